import type { z } from 'zod';
import { automationChannels } from './automation-channels';
import type { ChannelDef } from './channel';
import { bulkChannels } from './bulk-channels';
import { consentChannels } from './consent-channels';
import { deviceChannels } from './device-channels';
import { contactsChannels } from './contacts-channels';
import { erasureChannels } from './erasure-channels';
import { exportsChannels } from './exports-channels';
import { importsChannels } from './imports-channels';
import { lifecycleChannels } from './lifecycle-channels';
import { historyChannels } from './history-channels';
import { messagesChannels } from './messages-channels';
import { relayChannels } from './relay-channels';
import { overviewChannels } from './overview-channels';
import { reviewChannels } from './review-channels';
import { settingsChannels } from './settings-channels';
import { storeChannels } from './store-channels';
import { syncChannels } from './sync-channels';
import { syncTrustChannels } from './sync-trust-channels';
import { typesChannels } from './types-channels';
import { usersChannels } from './users-channels';

// The one contract: every channel, declared once. Each area keeps its channels in its
// own file and is merged here.
export const API_CHANNELS = {
  ...automationChannels,
  ...usersChannels,
  ...contactsChannels,
  ...typesChannels,
  ...consentChannels,
  ...messagesChannels,
  ...settingsChannels,
  ...syncChannels,
  ...syncTrustChannels,
  ...deviceChannels,
  ...importsChannels,
  ...bulkChannels,
  ...exportsChannels,
  ...historyChannels,
  ...reviewChannels,
  ...relayChannels,
  ...lifecycleChannels,
  ...erasureChannels,
  ...overviewChannels,
  ...storeChannels,
};

export type Channels = typeof API_CHANNELS;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelResult<C extends ChannelName> = Channels[C] extends ChannelDef<z.ZodType, infer O> ? O : never;

export const isChannelName = (name: unknown): name is ChannelName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(API_CHANNELS, name);

export * from './result';
export type { Access, ChannelDef } from './channel';

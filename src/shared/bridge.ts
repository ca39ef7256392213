import type { ChannelInput, ChannelName, ChannelResult, Result } from './api';
import type { AppEvent } from './events';

// The one object the preload (or the e2e harness) puts on `window`.
export const BRIDGE_KEY = 'consentDesk';
export const IPC_INVOKE = 'consent-desk:invoke';
export const IPC_EVENT = 'consent-desk:event';

export type ConsentDeskBridge = {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelResult<C>>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
};

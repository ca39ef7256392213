import { z } from 'zod';
import { channel } from './channel';

// The webhook relay as a device sees it: its inbox database on the sync server, read
// pull-only. Problems come as stable kinds the UI turns into plain words.
export const INBOX_PROBLEMS = ['unauthorized', 'forbidden', 'inbox_missing', 'unreachable', 'server_error', 'credentials_unreadable'] as const;
export type InboxProblemKind = (typeof INBOX_PROBLEMS)[number];
export type InboxProblem = { kind: InboxProblemKind; detail: string; at: string };

// off: sync is not set up or not running, so the inbox is not read either.
export type InboxState = 'off' | 'connecting' | 'catching_up' | 'listening' | 'error';

export type InboxStatus = {
  state: InboxState;
  inboxDatabase: string;
  // When the relay received the newest delivery this device has processed ('' = none yet).
  lastDeliveryAt: string;
  // When this device last heard from the inbox ('' = never).
  lastCheckAt: string;
  // Deliveries this device has processed (each once), and stored deliveries it could not read.
  processed: number;
  rejected: number;
  // Deliveries in the inbox this device has not processed yet.
  backlog: number;
  problem: InboxProblem | null;
};

export const relayChannels = {
  'relay:status': channel<InboxStatus>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'The live WhatsApp inbox fed by the webhook relay: last delivery time, backlog, deliveries processed on this device, and the last problem in plain words.',
    returns: 'InboxStatus',
    errors: ['invalid_input', 'not_signed_in'],
  }),
};

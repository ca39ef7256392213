// The platform's signals about a number or a person (platform-signals.ts reads them from a
// webhook payload). Types only, so the parse result every import path shares
// (inbound-item.ts) can carry them without importing the parser.
type Receiver = { businessDisplayNumber: string; phoneNumberId: string };

export type NumberChangedSignal = Receiver & {
  kind: 'number_changed';
  messageId: string;
  // The number that changed hands (the sender of the system message).
  from: string;
  // The user's new WhatsApp id as E.164 ('' when the payload carries none we can read).
  newNumber: string;
  body: string;
  timestamp: string;
};

export type IdentityChangedSignal = Receiver & {
  kind: 'identity_changed';
  messageId: string;
  from: string;
  // The new identity hash ('' when the system message carries none).
  identityHash: string;
  body: string;
  timestamp: string;
};

// A contact's identity_key_hash as seen on a message; a change from the last one seen is an
// identity change.
export type IdentitySeenSignal = Receiver & { kind: 'identity_seen'; messageId: string; from: string; identityHash: string; timestamp: string };

export type MarketingStoppedSignal = Receiver & {
  kind: 'marketing_stopped';
  statusId: string;
  recipient: string;
  errorTitle: string;
  timestamp: string;
};

export type PlatformSignal = NumberChangedSignal | IdentityChangedSignal | IdentitySeenSignal | MarketingStoppedSignal;

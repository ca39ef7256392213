// What Meta's webhooks say about a number or a person that is not a message to act on as
// text (issue 22): a user changed number (`system` message `user_changed_number`, older
// `customer_changed_number`), an identity changed (`system` `customer_identity_changed`,
// or a new `contacts[].identity_key_hash`), and a send that failed because the user
// stopped marketing messages (`statuses[].errors[].code` 131050). Pure, validated per item:
// one malformed item is reported with its path and the rest still come through.
import { z } from 'zod';
import { childPath, issueToError, toE164, unixSecondsToIso, type InboundError } from './inbound-item';

// "This message was not delivered to maintain healthy ecosystem engagement"'s sibling:
// the user has stopped marketing messages from this business.
export const MARKETING_STOPPED_ERROR_CODE = 131050;

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
export type PlatformSignalResult = { signals: PlatformSignal[]; errors: InboundError[] };

const unixSeconds = z.union([z.string(), z.number()]);
const envelopeSchema = z.object({ object: z.literal('whatsapp_business_account'), entry: z.array(z.unknown()) });
const entrySchema = z.object({ changes: z.array(z.unknown()) });
const changeSchema = z.object({ field: z.string(), value: z.unknown() });
const valueSchema = z.object({
  metadata: z.object({ display_phone_number: z.string(), phone_number_id: z.string().trim().min(1) }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});
const contactSchema = z.object({ wa_id: z.string().trim().min(1), identity_key_hash: z.string().trim().min(1).max(256).optional() });
const messageHead = z.object({ id: z.string().trim().min(1).max(300), from: z.string().trim().min(1), timestamp: unixSeconds, type: z.string() });
const systemSchema = z.object({
  system: z.object({
    type: z.string(),
    body: z.string().max(2000).optional(),
    wa_id: z.string().optional(),
    new_wa_id: z.union([z.string(), z.number()]).optional(),
    identity: z.string().max(256).optional(),
  }),
});
const statusSchema = z.object({
  id: z.string().trim().min(1).max(300),
  status: z.string(),
  timestamp: unixSeconds,
  recipient_id: z.string().trim().min(1),
  errors: z.array(z.object({ code: z.union([z.number(), z.string()]), title: z.string().max(500).optional() })).optional(),
});

const NUMBER_CHANGED = new Set(['user_changed_number', 'customer_changed_number']);
const IDENTITY_CHANGED = new Set(['customer_identity_changed', 'user_identity_changed']);
const digitsOf = (value: string) => value.replace(/\D/g, '');

function report(sink: PlatformSignalResult, path: string, error: z.ZodError): void {
  for (const issue of error.issues) sink.errors.push(issueToError(path, issue));
}

function readTime(sink: PlatformSignalResult, path: string, value: string | number): string | undefined {
  const at = unixSecondsToIso(value);
  if (at === undefined) sink.errors.push({ path: childPath(path, 'timestamp'), message: `"${String(value)}" is not Unix seconds` });
  return at;
}

function parseMessage(raw: unknown, path: string, receiver: Receiver, hashes: ReadonlyMap<string, string>, sink: PlatformSignalResult): void {
  const head = messageHead.safeParse(raw);
  // Malformed messages are the message parser's to report; here they carry no signal.
  if (!head.success) return;
  const message = head.data;
  const from = toE164(message.from);
  if (from === undefined) return;
  const hash = hashes.get(digitsOf(message.from));
  if (message.type !== 'system') {
    if (hash === undefined) return;
    const timestamp = readTime(sink, path, message.timestamp);
    if (timestamp) sink.signals.push({ kind: 'identity_seen', messageId: message.id, from, identityHash: hash, timestamp, ...receiver });
    return;
  }
  const parsed = systemSchema.safeParse(raw);
  if (!parsed.success) return report(sink, path, parsed.error);
  const system = parsed.data.system;
  if (!NUMBER_CHANGED.has(system.type) && !IDENTITY_CHANGED.has(system.type)) return;
  const timestamp = readTime(sink, path, message.timestamp);
  if (!timestamp) return;
  const body = system.body ?? '';
  if (NUMBER_CHANGED.has(system.type)) {
    const newId = system.wa_id ?? (system.new_wa_id === undefined ? '' : String(system.new_wa_id));
    sink.signals.push({ kind: 'number_changed', messageId: message.id, from, newNumber: toE164(newId) ?? '', body, timestamp, ...receiver });
  } else {
    sink.signals.push({ kind: 'identity_changed', messageId: message.id, from, identityHash: system.identity ?? '', body, timestamp, ...receiver });
  }
}

function parseStatus(raw: unknown, path: string, receiver: Receiver, sink: PlatformSignalResult): void {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return report(sink, path, parsed.error);
  const status = parsed.data;
  const stop = status.status === 'failed' ? status.errors?.find((e) => Number(e.code) === MARKETING_STOPPED_ERROR_CODE) : undefined;
  if (!stop) return;
  const recipient = toE164(status.recipient_id);
  if (recipient === undefined) {
    sink.errors.push({ path: childPath(path, 'recipient_id'), message: `"${status.recipient_id}" is not a phone number` });
    return;
  }
  const timestamp = readTime(sink, path, status.timestamp);
  if (!timestamp) return;
  sink.signals.push({ kind: 'marketing_stopped', statusId: status.id, recipient, errorTitle: stop.title ?? '', timestamp, ...receiver });
}

export function parsePlatformSignals(payload: unknown): PlatformSignalResult {
  const sink: PlatformSignalResult = { signals: [], errors: [] };
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) return sink;
  envelope.data.entry.forEach((entryRaw, entryIndex) => {
    const entry = entrySchema.safeParse(entryRaw);
    if (!entry.success) return;
    entry.data.changes.forEach((changeRaw, changeIndex) => {
      const change = changeSchema.safeParse(changeRaw);
      if (!change.success || change.data.field !== 'messages') return;
      const path = `entry[${entryIndex}].changes[${changeIndex}].value`;
      const value = valueSchema.safeParse(change.data.value);
      if (!value.success) return;
      const receiver = { businessDisplayNumber: toE164(value.data.metadata.display_phone_number) ?? '', phoneNumberId: value.data.metadata.phone_number_id };
      const hashes = new Map<string, string>();
      for (const c of value.data.contacts ?? []) {
        const contact = contactSchema.safeParse(c);
        if (contact.success && contact.data.identity_key_hash) hashes.set(digitsOf(contact.data.wa_id), contact.data.identity_key_hash);
      }
      (value.data.messages ?? []).forEach((m, i) => parseMessage(m, childPath(childPath(path, 'messages'), i), receiver, hashes, sink));
      (value.data.statuses ?? []).forEach((s, i) => parseStatus(s, childPath(childPath(path, 'statuses'), i), receiver, sink));
    });
  });
  return sink;
}

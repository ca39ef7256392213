// What Meta's webhooks say about a number or a person that is not a message to act on as
// text (issue 22): a user changed number (`system` message `user_changed_number`, older
// `customer_changed_number`), an identity changed (`system` `customer_identity_changed`,
// or a new `contacts[].identity_key_hash`), and a send that failed because the user
// stopped marketing messages (`statuses[].errors[].code` 131050). Pure, validated per item:
// one malformed item is reported with its path and the rest still come through.
import { z } from 'zod';
import { childPath, issueToError, toE164, unixSecondsToIso, type InboundError } from './inbound-item';
import type { PlatformSignal } from './platform-signal-types';

// "This message was not delivered to maintain healthy ecosystem engagement"'s sibling:
// the user has stopped marketing messages from this business.
export const MARKETING_STOPPED_ERROR_CODE = 131050;

export type {
  IdentityChangedSignal,
  IdentitySeenSignal,
  MarketingStoppedSignal,
  NumberChangedSignal,
  PlatformSignal,
} from './platform-signal-types';
type Receiver = { businessDisplayNumber: string; phoneNumberId: string };

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
// Sizes are bounded: a hostile payload's megabyte string is refused with its path, not stored.
const contactSchema = z.object({ wa_id: z.string().trim().min(1).max(64), identity_key_hash: z.string().trim().min(1).max(256).optional() });
const messageHead = z.object({ id: z.string().trim().min(1).max(300), from: z.string().trim().min(1).max(64), timestamp: unixSeconds, type: z.string().max(100) });
const systemSchema = z.object({
  system: z.object({
    type: z.string().max(100),
    body: z.string().max(2000).optional(),
    wa_id: z.string().max(64).optional(),
    new_wa_id: z.union([z.string().max(64), z.number()]).optional(),
    identity: z.string().max(256).optional(),
  }),
});
const statusSchema = z.object({
  id: z.string().trim().min(1).max(300),
  status: z.string().max(100),
  timestamp: unixSeconds,
  recipient_id: z.string().trim().min(1).max(64),
  errors: z.array(z.object({ code: z.union([z.number(), z.string().max(20)]), title: z.string().max(500).optional() })).max(100).optional(),
});

const NUMBER_CHANGED = new Set(['user_changed_number', 'customer_changed_number']);
const IDENTITY_CHANGED = new Set(['customer_identity_changed', 'user_identity_changed']);

// A system message of these types is a signal, not a message: the webhook parser leaves it
// to this one (no inbound item, so no contact is made for an unknown number).
export function isPlatformSignalSystemMessage(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const { type, system } = raw as { type?: unknown; system?: unknown };
  if (type !== 'system' || typeof system !== 'object' || system === null) return false;
  const kind = (system as { type?: unknown }).type;
  return typeof kind === 'string' && (NUMBER_CHANGED.has(kind) || IDENTITY_CHANGED.has(kind));
}
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
  if (!isPlatformSignalSystemMessage(raw)) return;
  const parsed = systemSchema.safeParse(raw);
  if (!parsed.success) return report(sink, path, parsed.error);
  const system = parsed.data.system;
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

// `basePath` prefixes the paths of errors, as the webhook parser's does (a file's line, an array index).
export function parsePlatformSignals(payload: unknown, basePath = ''): PlatformSignalResult {
  const sink: PlatformSignalResult = { signals: [], errors: [] };
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) return sink;
  envelope.data.entry.forEach((entryRaw, entryIndex) => {
    const entry = entrySchema.safeParse(entryRaw);
    if (!entry.success) return;
    entry.data.changes.forEach((changeRaw, changeIndex) => {
      const change = changeSchema.safeParse(changeRaw);
      if (!change.success || change.data.field !== 'messages') return;
      const path = childPath(childPath(childPath(childPath(childPath(basePath, 'entry'), entryIndex), 'changes'), changeIndex), 'value');
      const value = valueSchema.safeParse(change.data.value);
      if (!value.success) return;
      const receiver = { businessDisplayNumber: toE164(value.data.metadata.display_phone_number) ?? '', phoneNumberId: value.data.metadata.phone_number_id };
      const hashes = new Map<string, string>();
      (value.data.contacts ?? []).forEach((c, i) => {
        const contact = contactSchema.safeParse(c);
        if (contact.success) {
          if (contact.data.identity_key_hash) hashes.set(digitsOf(contact.data.wa_id), contact.data.identity_key_hash);
        } else if (typeof c === 'object' && c !== null && 'identity_key_hash' in c) {
          // Only a contact that claims an identity is this parser's to report; the rest are the message parser's.
          report(sink, childPath(childPath(path, 'contacts'), i), contact.error);
        }
      });
      (value.data.messages ?? []).forEach((m, i) => parseMessage(m, childPath(childPath(path, 'messages'), i), receiver, hashes, sink));
      (value.data.statuses ?? []).forEach((s, i) => parseStatus(s, childPath(childPath(path, 'statuses'), i), receiver, sink));
    });
  });
  return sink;
}

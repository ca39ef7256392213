// The normalised inbound item every import path produces (webhook payloads, the simple
// JSON/CSV form), and the small helpers they share. Pure: the renderer previews imports.
import type { PlatformSignal } from './platform-signal-types';

export const INBOUND_KINDS = ['text', 'button', 'preference', 'other'] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

export type InboundItem = {
  // 'other' is any inbound message we do not act on (image, location, ...): it
  // still opens the 24-hour service window, so it is kept.
  kind: InboundKind;
  // The platform message id; for `user_preferences`, which carry none, a
  // deterministic `pref:<wa_id>:<unix seconds>:<value>` so re-imports stay idempotent.
  messageId: string;
  // Sender as E.164 with '+'.
  from: string;
  // Receiving business number as E.164 with '+' ('' when unknown).
  businessDisplayNumber: string;
  // Meta's phone_number_id ('' for the simple form).
  phoneNumberId: string;
  profileName: string;
  // ISO 8601 UTC.
  timestamp: string;
  // The raw message type ('text', 'button', 'interactive', 'image', 'user_preferences', ...).
  messageType: string;
  body?: string;
  buttonPayload?: string;
  buttonText?: string;
  preference?: 'stop' | 'resume';
  preferenceDetail?: string;
  // The message this one replies to (for a button: the template message).
  contextMessageId?: string;
};

export type InboundError = { path: string; message: string };
// errorCount, when set, counts every error; errors may then hold only the first ones.
// signals: what the platform said about a number or a person (webhook payloads only), applied
// by the ingestion in time order among the items (message-ingestion.ts).
export type InboundParseResult = { items: InboundItem[]; errors: InboundError[]; errorCount?: number; signals?: PlatformSignal[] };

// WhatsApp ids are digits without '+'; people type spaces, dashes and a 00 prefix.
export function toE164(raw: string): string | undefined {
  const compact = raw.trim().replace(/[\s\-().\u00a0]/g, '');
  const digits = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : compact;
  if (!/^[1-9]\d{6,14}$/.test(digits)) return undefined;
  return `+${digits}`;
}

// Up to year 9999 in seconds: anything larger is a unit mistake (milliseconds).
const MAX_UNIX_SECONDS = 253_402_300_799;

export function unixSecondsToIso(value: string | number): string | undefined {
  const seconds = typeof value === 'number' ? value : /^\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > MAX_UNIX_SECONDS) return undefined;
  return new Date(seconds * 1000).toISOString();
}

export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

export function issuePath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) {
    path = childPath(path, typeof segment === 'number' ? segment : String(segment));
  }
  return path === '' ? '(root)' : path;
}

type Issue = { code: string; message: string; path: readonly PropertyKey[]; expected?: unknown };

// Zod's wording for a missing field ("expected string, received undefined") reads
// like a type error; an import report should say the field is missing.
export function issueToError(base: string, issue: Issue): InboundError {
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  const message = missing ? `is missing (expected ${String(issue.expected)})` : issue.message;
  return { path: issuePath(base, issue.path), message };
}

const OPTIONAL_TEXT_FIELDS = ['body', 'buttonPayload', 'buttonText', 'preferenceDetail', 'contextMessageId'] as const;

// A stored item read back (a kept message to reprocess): the shape is checked, not trusted.
export function asInboundItem(value: unknown): InboundItem | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const text = (key: string) => typeof v[key] === 'string';
  if (!(INBOUND_KINDS as readonly unknown[]).includes(v.kind)) return undefined;
  if (!['messageId', 'from', 'businessDisplayNumber', 'phoneNumberId', 'profileName', 'timestamp', 'messageType'].every(text)) return undefined;
  if (OPTIONAL_TEXT_FIELDS.some((key) => v[key] !== undefined && !text(key))) return undefined;
  if (v.preference !== undefined && v.preference !== 'stop' && v.preference !== 'resume') return undefined;
  const item: InboundItem = {
    kind: v.kind as InboundItem['kind'],
    messageId: String(v.messageId),
    from: String(v.from),
    businessDisplayNumber: String(v.businessDisplayNumber),
    phoneNumberId: String(v.phoneNumberId),
    profileName: String(v.profileName),
    timestamp: String(v.timestamp),
    messageType: String(v.messageType),
  };
  for (const key of OPTIONAL_TEXT_FIELDS) if (typeof v[key] === 'string') item[key] = v[key];
  if (v.preference === 'stop' || v.preference === 'resume') item.preference = v.preference;
  return item;
}

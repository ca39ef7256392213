import type { ConsentEvent } from '../../shared/domain';
import { FIRST_SEQ, GENESIS_PREV_HASH, hashMatches } from '../consent/event-hash';
import { ARRIVAL_SCHEMAS } from './arrival-schemas';
import type { SyncedCollection } from './sync-collections';

/*
 * The checks every document that arrives by replication passes before it may enter the
 * store (DESIGN "Trust boundaries"). Pure: what the store knows comes in through `ChainView`.
 * A verdict that waits names what it waits for, so the document is checked again when that
 * arrives (an event before its contact, a link before the event it follows).
 */

// Far above anything the app writes (an event is about 1 KB), far below what would hurt.
export const MAX_DOCUMENT_BYTES = 64 * 1024;

export const QUARANTINE_REASONS = [
  'too_large',
  'forbidden_key',
  'malformed',
  'hash_mismatch',
  'seq_taken',
  'broken_link',
  'missing_previous',
  'missing_contact',
  // Device trust (device/device-registry.ts): events
  'unknown_device',
  'bad_signature',
  'device_revoked',
  'unsigned',
  // and enrolment records
  'unknown_signer',
  'signer_revoked',
  'key_conflict',
  'root_not_revocable',
  'untrusted_root',
  // Signed changes to users, settings, rules and types (signed-changes.ts).
  'unsigned_change',
  'not_allowed',
] as const satisfies readonly string[];
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export type ArrivalVerdict =
  | { ok: true }
  | { ok: false; reason: QuarantineReason; detail: string; waitingFor?: string };

// What the store (and the batch the document came in) holds, as far as the checks need it.
export type ChainView = {
  // The event of this device at this seq, if any is held (or accepted earlier in the batch).
  eventAt(deviceId: string, seq: number): Promise<ConsentEvent | undefined>;
  // The filed copy of a link another device's copy replaced (integrity/kept-links.ts).
  keptLinkAt(deviceId: string, seq: number): Promise<ConsentEvent | undefined>;
  contactExists(contactId: string): Promise<boolean>;
};

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// JSON.parse makes "__proto__" an own key; merged into a plain object it would set its prototype.
export function forbiddenKeyPath(value: unknown, path = ''): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return here;
    const found = forbiddenKeyPath((value as Record<string, unknown>)[key], here);
    if (found) return found;
  }
  return null;
}

const fail = (reason: QuarantineReason, detail: string, waitingFor?: string): ArrivalVerdict => ({
  ok: false,
  reason,
  detail,
  ...(waitingFor ? { waitingFor } : {}),
});

export const eventSlot = (deviceId: string, seq: number) => `event:${deviceId}:${seq}`;
export const contactSlot = (contactId: string) => `contact:${contactId}`;

// Shape, size and keys: what any document must pass, whatever its collection.
export function checkShape(collection: SyncedCollection, doc: Record<string, unknown>, bytes: number): ArrivalVerdict {
  if (bytes > MAX_DOCUMENT_BYTES) return fail('too_large', `${bytes} bytes, over the limit of ${MAX_DOCUMENT_BYTES}`);
  const bad = forbiddenKeyPath(doc);
  if (bad) return fail('forbidden_key', `the key "${bad}" is not allowed`);
  const parsed = ARRIVAL_SCHEMAS[collection].safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return fail('malformed', first ? `${first.path.join('.') || '(document)'}: ${first.message}` : 'does not match the schema');
  }
  return { ok: true };
}

// A consent event that passed checkShape: its hash, its place in its device's chain, its contact.
export async function checkConsentEvent(event: ConsentEvent, view: ChainView): Promise<ArrivalVerdict> {
  if (!hashMatches(event)) return fail('hash_mismatch', 'its content does not match its hash');
  const taken = await view.eventAt(event.deviceId, event.seq);
  if (taken && taken.id !== event.id) {
    return fail('seq_taken', `seq ${event.seq} of device ${event.deviceId} is already held by event ${taken.id}`);
  }
  if (event.seq === FIRST_SEQ) {
    if (event.prevHash !== GENESIS_PREV_HASH) return fail('broken_link', 'the first event of a device links to an earlier one');
  } else {
    const previous = (await view.eventAt(event.deviceId, event.seq - 1)) ?? (await view.keptLinkAt(event.deviceId, event.seq - 1));
    if (!previous) {
      return fail('missing_previous', `seq ${event.seq - 1} of device ${event.deviceId} has not arrived`, eventSlot(event.deviceId, event.seq - 1));
    }
    if (previous.hash !== event.prevHash) return fail('broken_link', `it does not link to event ${previous.id} (seq ${previous.seq})`);
  }
  if (!(await view.contactExists(event.contactId))) {
    return fail('missing_contact', `contact ${event.contactId} does not exist here`, contactSlot(event.contactId));
  }
  return { ok: true };
}

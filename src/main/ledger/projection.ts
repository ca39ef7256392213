import type { ConsentEvent, ConsentStateRow } from '../../shared/domain';
import { compareConsentEvents, foldConsent, isCompensation, isOwnEvent, type FoldConflict } from '../../shared/consent/consent-fold';
import type { MangoQuerySelector } from 'rxdb';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import { counted, readDiscounts, type Discounts } from './discounted-events';

// The consent_state projection: (contact, type) → status, kept in step with the ledger.
// It is local to the device and can always be rebuilt by folding every event.

export const stateId = (contactId: string, typeId: string) => `${contactId}|${typeId}`;


export type ProjectionUpdate = { row: ConsentStateRow; conflicts: FoldConflict[] };

// Events in the (contactId, typeId, occurredAt) index's order, the order they are folded in.
const queryEvents = (db: AppDatabase, selector: MangoQuerySelector<ConsentEvent>, limit?: number): Promise<ConsentEvent[]> =>
  queryPlain(db.consent_events, { selector, sort: [{ contactId: 'asc' }, { typeId: 'asc' }, { occurredAt: 'asc' }], ...(limit ? { limit } : {}) });

// The events a fold counts: a revoked device's events after its revocation's last seq are left out (discounted-events.ts).
export async function eventsForKey(db: AppDatabase, contactId: string, typeId: string, discounts?: Discounts): Promise<ConsentEvent[]> {
  const d = discounts ?? (await readDiscounts(db));
  const events = await queryEvents(db, { contactId, typeId } as MangoQuerySelector<ConsentEvent>);
  return d.size === 0 ? events : events.filter((e) => counted(e, d));
}

// (contact, type) keys in about the index's order, so that a chunk of them lies close
// together for eventsForKeys (control characters aside, where the order may differ: that
// only costs the chunk its range read).
export const byContactAndType = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

// A range read may take up to this many times the events of the keys it serves (other
// keys' events in between) before one query per key is cheaper.
const RANGE_SLACK = 2;
const RANGE_EXTRA = 200;

/*
 * The events of many keys (contact, type) at once, for re-folds of a whole chunk (a
 * projection rebuild, a catch-up after a crash, a ledger arriving by sync). One query per
 * key costs ~90 µs here, mostly fixed cost; keys that lie close together in the index are
 * read in one walk over the contact range they span instead. The walk is capped: when the
 * range holds many events of other keys (the keys are scattered), the read stops early and
 * each key is queried on its own. Any key the walk did not yield is queried on its own too,
 * so the result never depends on how the keys sort.
 */
export async function eventsForKeys(db: AppDatabase, keys: readonly (readonly [string, string])[]): Promise<Map<string, ConsentEvent[]>> {
  const discounts = await readDiscounts(db);
  const wanted = new Map<string, ConsentEvent[]>();
  for (const [contactId, typeId] of keys) wanted.set(stateId(contactId, typeId), []);
  const found = new Set<string>();
  if (keys.length > 1) {
    const contacts = keys.map(([contactId]) => contactId).sort();
    const cap = keys.length * RANGE_SLACK + RANGE_EXTRA;
    const selector = { contactId: { $gte: contacts[0], $lte: contacts[contacts.length - 1] } } as MangoQuerySelector<ConsentEvent>;
    const events = await queryEvents(db, selector, cap + 1);
    if (events.length <= cap) {
      for (const event of events) {
        const key = stateId(event.contactId, event.typeId);
        const list = wanted.get(key);
        if (list) {
          if (counted(event, discounts)) list.push(event);
          found.add(key);
        }
      }
    }
  }
  for (const [contactId, typeId] of keys) {
    const key = stateId(contactId, typeId);
    if (!found.has(key)) wanted.set(key, await eventsForKey(db, contactId, typeId, discounts));
  }
  return wanted;
}

export function rowFromFold(contactId: string, typeId: string, events: readonly ConsentEvent[], at: string): ProjectionUpdate {
  const fold = foldConsent(events);
  const last = events.find((e) => e.id === fold.lastEventId);
  return {
    row: {
      id: stateId(contactId, typeId),
      contactId,
      typeId,
      status: fold.status,
      lastEventId: fold.lastEventId,
      ownOptOut: fold.ownOptOut,
      updatedAt: at,
      lastOccurredAt: last?.occurredAt ?? '',
      lastDeviceId: last?.deviceId ?? '',
      lastSeq: last?.seq ?? 0,
    },
    conflicts: fold.conflicts,
  };
}

// Rows that say the same (when they were written aside): re-writing one changes nothing.
export function sameProjection(a: ConsentStateRow, b: ConsentStateRow): boolean {
  return a.id === b.id && a.contactId === b.contactId && a.typeId === b.typeId && a.status === b.status
    && a.lastEventId === b.lastEventId && a.ownOptOut === b.ownOptOut && a.lastOccurredAt === b.lastOccurredAt
    && a.lastDeviceId === b.lastDeviceId && a.lastSeq === b.lastSeq;
}

// Extends a projected row by one newer event without reading the key's history, when
// the fold is sure to agree: the event sorts after the last applied one and no
// protected own opt-out could make it lose. Returns null when a full fold is needed.
export function extendRow(row: ConsentStateRow | undefined, event: ConsentEvent, at: string): ConsentStateRow | null {
  if (row && row.lastEventId) {
    // The row keeps the last event's stated time, never earlier than its order time, so
    // "after the last event" here is only ever too strict (the full fold then decides).
    const lastKey = { ...event, id: row.lastEventId, status: row.status, occurredAt: row.lastOccurredAt, recordedAt: row.lastOccurredAt, deviceId: row.lastDeviceId, seq: row.lastSeq };
    if (compareConsentEvents(event, lastKey) <= 0) return null;
    const own = isOwnEvent(event);
    if (row.ownOptOut && !own && event.status !== 'unsubscribed') return null;
    // An undo may put back a protection the row no longer records: the fold knows which.
    if (event.status === 'unsubscribed' && !row.ownOptOut && isCompensation(event)) return null;
  }
  const own = isOwnEvent(event);
  const keepsProtection = row?.ownOptOut === true && event.status === 'unsubscribed';
  return {
    id: stateId(event.contactId, event.typeId),
    contactId: event.contactId,
    typeId: event.typeId,
    status: event.status,
    lastEventId: event.id,
    ownOptOut: event.status === 'unsubscribed' && (own || keepsProtection),
    updatedAt: at,
    lastOccurredAt: event.occurredAt,
    lastDeviceId: event.deviceId,
    lastSeq: event.seq,
  };
}

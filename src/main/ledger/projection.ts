import type { ConsentEvent, ConsentStateRow } from '../../shared/domain';
import { compareConsentEvents, foldConsent, isOwnEvent, type FoldConflict } from '../../shared/consent/consent-fold';
import type { AppDatabase } from '../store/database';

// The consent_state projection: (contact, type) → status, kept in step with the ledger.
// It is local to the device and can always be rebuilt by folding every event.

export const stateId = (contactId: string, typeId: string) => `${contactId}|${typeId}`;


export type ProjectionUpdate = { row: ConsentStateRow; conflicts: FoldConflict[] };

export async function eventsForKey(db: AppDatabase, contactId: string, typeId: string): Promise<ConsentEvent[]> {
  const docs = await db.consent_events.find({ selector: { contactId, typeId } }).exec();
  return docs.map((d) => d.toMutableJSON() as ConsentEvent);
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

// Extends a projected row by one newer event without reading the key's history, when
// the fold is sure to agree: the event sorts after the last applied one and no
// protected own opt-out could make it lose. Returns null when a full fold is needed.
export function extendRow(row: ConsentStateRow | undefined, event: ConsentEvent, at: string): ConsentStateRow | null {
  if (row && row.lastEventId) {
    const lastKey = { ...event, id: row.lastEventId, occurredAt: row.lastOccurredAt, deviceId: row.lastDeviceId, seq: row.lastSeq };
    if (compareConsentEvents(event, lastKey) <= 0) return null;
    const own = isOwnEvent(event);
    if (row.ownOptOut && !own && event.status !== 'unsubscribed') return null;
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

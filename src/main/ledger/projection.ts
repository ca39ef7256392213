import type { ConsentEvent, ConsentStateRow } from '../../shared/domain';
import { compareConsentEvents, foldConsent, isOwnEvent, type FoldConflict } from '../../shared/consent/consent-fold';
import { normalizeMangoQuery, prepareQuery, type MangoQuerySelector } from 'rxdb';
import type { AppDatabase } from '../store/database';

// The consent_state projection: (contact, type) → status, kept in step with the ledger.
// It is local to the device and can always be rebuilt by folding every event.

export const stateId = (contactId: string, typeId: string) => `${contactId}|${typeId}`;


export type ProjectionUpdate = { row: ConsentStateRow; conflicts: FoldConflict[] };

// Plain documents from the storage, through the (contactId, typeId, occurredAt) index: a
// re-fold of many keys would otherwise build an RxDocument and a cached query for each.
export async function eventsForKey(db: AppDatabase, contactId: string, typeId: string): Promise<ConsentEvent[]> {
  const schema = db.consent_events.schema.jsonSchema;
  const selector = { contactId, typeId, _deleted: { $eq: false } } as MangoQuerySelector<ConsentEvent>;
  const query = normalizeMangoQuery<ConsentEvent>(schema, { selector, sort: [{ contactId: 'asc' }, { typeId: 'asc' }, { occurredAt: 'asc' }] });
  const { documents } = await db.consent_events.storageInstance.query(prepareQuery(schema, query));
  return documents.map((d) => {
    const { _meta, _rev, _attachments, _deleted, ...event } = d;
    void _meta; void _rev; void _attachments; void _deleted;
    return event as ConsentEvent;
  });
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

import type { RxJsonSchema } from 'rxdb';
import type { ConsentEvent, ConsentStateRow } from '../../../shared/domain';
import { ANY_OBJECT, BOOL, ID, ISO_TIME, SEQ, SHORT_TEXT, TEXT } from './schema-helpers';

// Append-only: the store layer refuses updates and deletes of these documents.
// Version 1 dropped the `occurredAt` and `source` indexes: nothing queries by them (the
// history builds its own in-memory index), and every index costs each insert a B-tree write.
// Version 2 added two optional fields: the `personal` map (salted digests of personal values, see
// src/main/erasure/personal-digests.ts; erasure updates an event only to delete values and
// salts) and `sig` (the device's signature of the hash; legacy events have none).
export const consentEventSchema: RxJsonSchema<ConsentEvent> = {
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 300 },
    contactId: ID,
    typeId: ID,
    status: { type: 'string', maxLength: 32 },
    previousStatus: { type: 'string', maxLength: 32 },
    source: { type: 'string', maxLength: 32 },
    legalBasis: { type: 'string', maxLength: 64 },
    explanation: TEXT,
    actor: ANY_OBJECT,
    evidence: ANY_OBJECT,
    occurredAt: ISO_TIME,
    recordedAt: ISO_TIME,
    deviceId: ID,
    seq: SEQ,
    basedOn: { type: 'string', maxLength: 300 },
    hash: SHORT_TEXT,
    prevHash: SHORT_TEXT,
    personal: ANY_OBJECT,
    sig: SHORT_TEXT,
  },
  required: [
    'id', 'contactId', 'typeId', 'status', 'previousStatus', 'source', 'legalBasis', 'explanation',
    'actor', 'evidence', 'occurredAt', 'recordedAt', 'deviceId', 'seq', 'basedOn', 'hash', 'prevHash',
  ],
  indexes: [['contactId', 'typeId', 'occurredAt'], ['deviceId', 'seq']],
};

// Local projection of the ledger: never replicated, rebuildable at any time.
// Version 1 dropped the [typeId, status] index: status filters are answered by the contact
// directory in memory; rows are read by id, by contact, or all at once.
export const consentStateSchema: RxJsonSchema<ConsentStateRow> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 260 },
    contactId: ID,
    typeId: ID,
    status: { type: 'string', maxLength: 32 },
    lastEventId: { type: 'string', maxLength: 300 },
    ownOptOut: BOOL,
    updatedAt: ISO_TIME,
    lastOccurredAt: ISO_TIME,
    lastDeviceId: ID,
    lastSeq: SEQ,
  },
  required: ['id', 'contactId', 'typeId', 'status', 'lastEventId', 'ownOptOut', 'updatedAt', 'lastOccurredAt', 'lastDeviceId', 'lastSeq'],
  indexes: ['contactId'],
};

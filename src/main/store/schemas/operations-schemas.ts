import type { RxJsonSchema } from 'rxdb';
import { ANY_OBJECT, ID, ISO_TIME, SEQ, SHORT_TEXT, STRING_MAP, TEXT } from './schema-helpers';

export type InboundMessageDoc = {
  id: string;
  contactId: string;
  typeId: string;
  kind: string;
  from: string;
  body: string;
  receivedAt: string;
  outcome: string;
  payload: Record<string, unknown>;
};

export type ReviewItemDoc = {
  id: string;
  kind: string;
  contactId: string;
  typeId: string;
  state: string;
  summary: string;
  evidence: Record<string, unknown>;
  createdAt: string;
  resolvedAt: string;
  resolvedBy: string;
  resolution: string;
  fieldClock?: Record<string, string>;
};

// fieldClock: per-field write stamps for sync merges (optional; updatedAt stands in).
export type SettingDoc = { id: string; value: Record<string, unknown>; updatedAt: string; fieldClock?: Record<string, string> };

export type ImportJobDoc = {
  id: string;
  fileName: string;
  fileHash: string;
  state: string;
  nextRow: number;
  totalRows: number;
  options: Record<string, unknown>;
  summary: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
};

export type AuditLogDoc = {
  id: string;
  action: string;
  actorId: string;
  actorName: string;
  details: Record<string, unknown>;
  at: string;
  deviceId: string;
};

export const inboundMessageSchema: RxJsonSchema<InboundMessageDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 300 },
    contactId: ID,
    typeId: ID,
    kind: { type: 'string', maxLength: 32 },
    from: { type: 'string', maxLength: 32 },
    body: TEXT,
    receivedAt: ISO_TIME,
    outcome: { type: 'string', maxLength: 64 },
    payload: ANY_OBJECT,
  },
  required: ['id', 'contactId', 'typeId', 'kind', 'from', 'body', 'receivedAt', 'outcome', 'payload'],
  indexes: ['contactId', 'receivedAt'],
};

export const reviewItemSchema: RxJsonSchema<ReviewItemDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 300 },
    kind: { type: 'string', maxLength: 32 },
    contactId: ID,
    typeId: ID,
    state: { type: 'string', maxLength: 16 },
    summary: TEXT,
    evidence: ANY_OBJECT,
    createdAt: ISO_TIME,
    resolvedAt: ISO_TIME,
    resolvedBy: ID,
    resolution: TEXT,
    fieldClock: STRING_MAP,
  },
  required: ['id', 'kind', 'contactId', 'typeId', 'state', 'summary', 'evidence', 'createdAt', 'resolvedAt', 'resolvedBy', 'resolution'],
  indexes: [['state', 'createdAt'], 'contactId'],
};

export const settingSchema: RxJsonSchema<SettingDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: ID, value: ANY_OBJECT, updatedAt: ISO_TIME, fieldClock: STRING_MAP },
  required: ['id', 'value', 'updatedAt'],
};

export const importJobSchema: RxJsonSchema<ImportJobDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: ID,
    fileName: TEXT,
    fileHash: SHORT_TEXT,
    state: { type: 'string', maxLength: 32 },
    nextRow: SEQ,
    totalRows: SEQ,
    options: ANY_OBJECT,
    summary: ANY_OBJECT,
    createdAt: ISO_TIME,
    updatedAt: ISO_TIME,
    createdBy: ID,
  },
  required: ['id', 'fileName', 'fileHash', 'state', 'nextRow', 'totalRows', 'options', 'summary', 'createdAt', 'updatedAt', 'createdBy'],
  indexes: ['fileHash', 'state'],
};

export const auditLogSchema: RxJsonSchema<AuditLogDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: ID,
    action: { type: 'string', maxLength: 64 },
    actorId: ID,
    actorName: SHORT_TEXT,
    details: ANY_OBJECT,
    at: ISO_TIME,
    deviceId: ID,
  },
  required: ['id', 'action', 'actorId', 'actorName', 'details', 'at', 'deviceId'],
  indexes: ['at', 'action'],
};

// Device-local bookkeeping (never replicated): e.g. how far the consent projection got.
export type LocalMetaDoc = { id: string; value: Record<string, unknown>; updatedAt: string };

export const localMetaSchema: RxJsonSchema<LocalMetaDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: ID, value: ANY_OBJECT, updatedAt: ISO_TIME },
  required: ['id', 'value', 'updatedAt'],
};

import { z } from 'zod';
import { ACTOR_KINDS, CONSENT_SOURCES, CONSENT_STATUSES, LEGAL_BASES, PURPOSES, ROLES } from '../../shared/domain';
import type { SyncedCollection } from './sync-collections';

/*
 * What a replicated document must look like before it may enter the store: the shapes the
 * app's own writes produce. RxDB's collection schemas are storage schemas (index lengths, any
 * object for actor and evidence), so they are not enough: a consent event with no actor, a
 * seq of "x" or a status nobody writes would pass them and then break the fold.
 */

const id = z.string().min(1).max(300);
const shortId = z.string().min(1).max(128);
const isoTime = z.string().max(30).refine((t) => !Number.isNaN(Date.parse(t)), 'not a time');
const text = z.string().max(20_000);
const fieldClock = z.record(z.string().max(200), z.string().max(200)).optional();

const actor = z.strictObject({ kind: z.enum(ACTOR_KINDS), id: z.string().max(300), name: z.string().max(500) });
const evidence = z.record(z.string().max(200), z.union([z.string().max(20_000), z.number(), z.boolean()]));

// Exactly the fields the ledger writes: an extra field would be covered by the hash, yet
// nothing on this device would know what it means.
export const arrivingConsentEvent = z.strictObject({
  id,
  contactId: shortId,
  typeId: shortId,
  status: z.enum(CONSENT_STATUSES),
  previousStatus: z.enum(CONSENT_STATUSES),
  source: z.enum(CONSENT_SOURCES),
  legalBasis: z.union([z.enum(LEGAL_BASES), z.literal('')]),
  explanation: text,
  actor,
  evidence,
  occurredAt: isoTime,
  recordedAt: isoTime,
  deviceId: shortId,
  seq: z.number().int().min(1).max(1_000_000_000_000),
  basedOn: z.string().max(300),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  prevHash: z.union([z.string().regex(/^[0-9a-f]{64}$/), z.literal('')]),
  // Salted digests of personal values; `s` is gone once the value is erased.
  personal: z
    .record(z.string().max(300), z.strictObject({ d: z.string().regex(/^[0-9a-f]{64}$/), s: z.string().regex(/^[0-9a-f]{32}$/).optional() }))
    .optional(),
  // Ed25519, 64 bytes in base64url; absent only on legacy events (the signature check decides).
  sig: z.string().length(86).regex(/^[A-Za-z0-9_-]+$/).optional(),
});

// Mutable documents: the fields every version writes are checked; other fields (added by a
// newer version of the app) pass, since the field-by-field merge keeps them apart.
const arrivingContact = z.looseObject({
  id: shortId,
  name: z.string().max(500),
  email: z.string().max(500),
  phoneInput: z.string().max(100),
  waNumber: z.string().max(32),
  phoneValid: z.boolean(),
  properties: z.record(z.string().max(200), z.string().max(20_000)),
  tags: z.array(z.string().max(200)).max(1000),
  createdAt: isoTime,
  updatedAt: isoTime,
  fieldClock,
});

const arrivingUser = z.looseObject({
  id: shortId,
  name: z.string().max(500),
  role: z.enum(ROLES),
  createdAt: isoTime,
  updatedAt: isoTime,
  fieldClock,
});

const arrivingType = z.looseObject({ id: shortId, name: z.string().max(500), purpose: z.enum(PURPOSES), fieldClock });

const anyDocument = z.looseObject({ id: z.string().min(1).max(300) });

export const ARRIVAL_SCHEMAS: Record<SyncedCollection, z.ZodType> = {
  consent_events: arrivingConsentEvent,
  contacts: arrivingContact,
  users: arrivingUser,
  subscription_types: arrivingType,
  settings: anyDocument,
  rules: anyDocument,
  review_items: anyDocument,
  audit_log: anyDocument,
  inbound_messages: anyDocument,
};

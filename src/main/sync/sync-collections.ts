import type { AppCollections } from '../store/database';

// How each shared collection merges when two devices wrote the same document.
// - insert_only: records that are never edited (the consent ledger, the audit trail).
//   The same id is the same record (ids are deterministic where the input has an
//   identity), so a copy that arrives never replaces the local one.
// - field_lww: mutable documents merged field by field, newest write per field wins.
export type SyncPolicy = 'insert_only' | 'field_lww';

// Local only, never sent: consent_state (a projection, rebuilt from the ledger on every
// device), import_jobs (resumable work of this device's files), rule_runs (this device's
// run log) and local_meta (device bookkeeping). audit_log is shared: a compliance officer
// on any device must see who exported, imported or changed settings anywhere, and entries
// are immutable with unique ids, so sharing them cannot conflict. inbound_messages are
// shared insert-only so a message processed on one device is not processed again on
// another; review_items are shared so an item raised on a field laptop reaches the
// compliance officer, and resolving it anywhere resolves it everywhere (deterministic ids
// make two devices raising the same item one item).
export const SYNCED_COLLECTIONS = {
  consent_events: 'insert_only',
  audit_log: 'insert_only',
  contacts: 'field_lww',
  subscription_types: 'field_lww',
  users: 'field_lww',
  settings: 'field_lww',
  rules: 'field_lww',
  review_items: 'field_lww',
  inbound_messages: 'insert_only',
} as const satisfies Partial<Record<keyof AppCollections, SyncPolicy>>;

export type SyncedCollection = keyof typeof SYNCED_COLLECTIONS;

export const syncedCollectionNames = () => Object.keys(SYNCED_COLLECTIONS) as SyncedCollection[];

// One server database per collection (the CouchDB protocol replicates whole databases),
// named from the configured base name: "consentdesk" → "consentdesk-consent-events".
export const remoteDatabaseName = (base: string, collection: string) => `${base}-${collection.replace(/_/g, '-')}`;

export const remoteDatabaseNames = (base: string) => syncedCollectionNames().map((c) => remoteDatabaseName(base, c));

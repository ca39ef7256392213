import {
  createRevision,
  fillWithDefaultSettings,
  getPrimaryKeyOfInternalDocument,
  INTERNAL_CONTEXT_COLLECTION,
  INTERNAL_STORAGE_NAME,
  INTERNAL_STORE_SCHEMA,
  now,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
} from 'rxdb';
import { canonicalJson } from '../../shared/consent/canonical-json';
import type { RxStorageSQLite } from './rx-storage-sqlite';

/*
 * Schema versions that only dropped indexes (documents unchanged, identity migration
 * strategy) are applied before RxDB opens the database, by moving the rows to the new
 * version's table in SQL (see rx-storage-sqlite/table-move.ts) and then retiring RxDB's
 * record of the old version, so RxDB finds nothing to migrate. RxDB's own migration
 * replays every document through its replication protocol: 7 s for 100,000 contacts at
 * the first start after an update, against well under a second here.
 *
 * Whatever this cannot prove safe is left to RxDB's migration, which stays the reference
 * path: several old versions on record (an interrupted migration), a step that is not
 * listed as index-only, documents whose schema differs, or replication state attached to
 * the collection (its checkpoints and per-document records migrate with the collection
 * in RxDB's path).
 */

// Per collection, the schema versions that only dropped indexes.
export type IndexOnlyVersions = Readonly<Record<string, readonly number[]>>;

type CollectionRecord = {
  id: string;
  data: { version: number; schema: RxJsonSchema<unknown>; connectedStorages?: readonly unknown[] };
};

const UPGRADE_TOKEN = 'index-only-upgrade';

// What decides a document's shape; versions that agree on it store identical documents.
function documentShape(schema: RxJsonSchema<unknown>): string {
  const { primaryKey, properties, required, additionalProperties, keyCompression, encrypted, attachments } = schema;
  return canonicalJson({ primaryKey, properties, required, additionalProperties, keyCompression, encrypted, attachments });
}

function isSQLiteStorage(storage: RxStorage<unknown, unknown>): storage is RxStorage<unknown, unknown> & RxStorageSQLite {
  return typeof (storage as Partial<RxStorageSQLite>).moveToFewerIndexes === 'function';
}

// Returns the collections moved to their current version.
export async function upgradeIndexOnlyVersions(
  storage: RxStorage<unknown, unknown>,
  databaseName: string,
  collections: Readonly<Record<string, { schema: RxJsonSchema<unknown> }>>,
  indexOnly: IndexOnlyVersions,
): Promise<string[]> {
  if (!isSQLiteStorage(storage)) return [];
  const internal = await storage.createStorageInstance<CollectionRecord>({
    databaseInstanceToken: UPGRADE_TOKEN,
    databaseName,
    collectionName: INTERNAL_STORAGE_NAME,
    schema: INTERNAL_STORE_SCHEMA as unknown as RxJsonSchema<RxDocumentData<CollectionRecord>>,
    options: {},
    multiInstance: false,
    devMode: false,
  });
  const moved: string[] = [];
  try {
    for (const [name, { schema }] of Object.entries(collections)) {
      const steps = indexOnly[name] ?? [];
      const olderIds = Array.from({ length: schema.version }, (_, v) => getPrimaryKeyOfInternalDocument(`${name}-${v}`, INTERNAL_CONTEXT_COLLECTION));
      if (steps.length === 0 || olderIds.length === 0) continue;
      const records = await internal.findDocumentsById(olderIds, false);
      const record = records.length === 1 ? records[0] : undefined;
      if (!record) continue;
      const from = record.data.version;
      const target = fillWithDefaultSettings(schema);
      const allIndexOnly = Array.from({ length: schema.version - from }, (_, i) => from + 1 + i).every((v) => steps.includes(v));
      if (!allIndexOnly || (record.data.connectedStorages ?? []).length > 0) continue;
      if (documentShape(record.data.schema) !== documentShape(target as RxJsonSchema<unknown>)) continue;
      if (!storage.moveToFewerIndexes(databaseName, name, from, target)) continue;
      // Only after the rows have moved: a crash in between leaves the old record over no
      // table, and RxDB's migration then finds nothing to move and retires the record itself.
      const retired = { ...record, _deleted: true, _rev: createRevision(UPGRADE_TOKEN, record), _meta: { lwt: now() } };
      const result = await internal.bulkWrite([{ previous: record, document: retired }], UPGRADE_TOKEN);
      if (result.error.length > 0) throw new Error(`Could not retire the record of ${name} version ${from}: status ${result.error[0]?.status}`);
      moved.push(name);
    }
  } finally {
    await internal.close();
  }
  return moved;
}

import type { RxCollection, RxDocumentData } from 'rxdb';

/*
 * RxDB's bulkInsert clones each document with a spread and then adds its four storage fields
 * (_deleted and _attachments, then _meta and _rev in its storage wrapper). Node 20's V8, which
 * runs the engine in the tests, the benchmarks and the UI harness, can take a slow path for
 * properties added to an object made by spread: 7 to 14 µs per document (0.7 to 1.4 s per
 * 100,000, more than SQLite needs to store them), depending on which shapes that clone site
 * has seen before, so the same insert is fast in one process and slow in the next. A document
 * that already carries the four fields is cloned with its shape and only has values
 * overwritten: under 1 µs, whatever came before. Node 22 and 24 (closer to Electron's V8) have
 * no such slow path; there the shaping costs about 0.2 µs per document.
 * Object.assign onto a fresh literal, not a spread: the literal has room for the added
 * fields, the spread copy does not.
 */
type StorageFields = Partial<Pick<RxDocumentData<object>, '_deleted' | '_attachments' | '_meta' | '_rev'>>;

export function withStorageFields<T extends object>(doc: T): RxDocumentData<T> {
  const shaped: StorageFields = Object.assign({}, doc);
  // As RxDB's own fill: kept when the caller set them, filled when not.
  if (!('_deleted' in shaped)) shaped._deleted = false;
  if (!('_attachments' in shaped)) shaped._attachments = {};
  // Placeholders: RxDB's storage wrapper sets both on every write, before the storage sees them.
  if (!('_meta' in shaped)) shaped._meta = { lwt: 0 };
  if (!('_rev' in shaped)) shaped._rev = '';
  return shaped as unknown as RxDocumentData<T>;
}

// collection.bulkInsert(docs), through the shape above. Read `error` only from the result:
// touching `success` makes RxDB build an RxDocument per written row.
export function insertDocuments<T>(collection: RxCollection<T>, docs: readonly T[]): ReturnType<RxCollection<T>['bulkInsert']> {
  return collection.bulkInsert(docs.map((doc) => withStorageFields(doc as T & object)));
}

// collection.bulkUpsert(docs), through the same shape: RxDB fills and inserts each first.
export function upsertDocuments<T>(collection: RxCollection<T>, docs: readonly T[]): ReturnType<RxCollection<T>['bulkUpsert']> {
  return collection.bulkUpsert(docs.map((doc) => withStorageFields(doc as T & object)));
}

// Inserts the documents whose ids the collection does not hold yet (deleted rows count as held)
// and leaves the rest as they are: for records that may already have arrived another way.
export async function insertMissing<T>(collection: RxCollection<T>, docs: readonly T[]): Promise<number> {
  if (docs.length === 0) return 0;
  const primaryKey = collection.schema.primaryPath as string;
  const idOf = (doc: unknown) => String((doc as Record<string, unknown>)[primaryKey]);
  const held = new Set((await collection.storageInstance.findDocumentsById(docs.map(idOf), true)).map(idOf));
  const fresh = docs.filter((doc) => !held.has(idOf(doc)));
  if (fresh.length > 0) await insertDocuments(collection, fresh);
  return fresh.length;
}

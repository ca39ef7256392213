import { normalizeMangoQuery, prepareQuery, type MangoQuery, type MangoQuerySelector, type RxCollection, type RxDocumentData } from 'rxdb';

// A document without RxDB's bookkeeping (_meta, _rev, _attachments, _deleted): what the app's
// types describe, what is hashed, compared and handed to the window.
export function withoutStorageFields<T>(doc: T | RxDocumentData<T>): T {
  const { _meta, _rev, _attachments, _deleted, ...rest } = doc as RxDocumentData<T>;
  void _meta; void _rev; void _attachments; void _deleted;
  return rest as T;
}

/*
 * Live documents matching a query, read as plain data straight from the storage: reads that
 * walk many documents once (re-folds, integrity passes) would otherwise fill memory with
 * RxDocuments and cached queries. The storage honours the sort only through an index that has it.
 */
export async function queryPlain<T>(collection: RxCollection<T>, query: MangoQuery<T>): Promise<T[]> {
  const schema = collection.schema.jsonSchema;
  const selector = { ...query.selector, _deleted: { $eq: false } } as MangoQuerySelector<T>;
  const prepared = prepareQuery(schema, normalizeMangoQuery<T>(schema, { ...query, selector }));
  const { documents } = await collection.storageInstance.query(prepared);
  return documents.map((d) => withoutStorageFields<T>(d));
}

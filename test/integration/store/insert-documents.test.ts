import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection, type RxDocumentData } from 'rxdb';
import { afterAll, describe, expect, it } from 'vitest';
import { insertDocuments, upsertDocuments, withStorageFields } from '../../../src/main/store/insert-documents';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { makeTestEvents, testEventSchema, type TestEvent } from '../../fixtures/store/conformance-schemas';

const dir = mkdtempSync(join(tmpdir(), 'cd-insert-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Db = { plain: RxCollection<TestEvent>; shaped: RxCollection<TestEvent> };

async function openDb(name: string) {
  const db = await createRxDatabase<Db>({ name, storage: getRxStorageSQLite({ directory: dir }), multiInstance: false });
  await db.addCollections({ plain: { schema: testEventSchema }, shaped: { schema: testEventSchema } });
  return db;
}

async function stored(collection: RxCollection<TestEvent>, ids: string[]): Promise<RxDocumentData<TestEvent>[]> {
  const docs = await collection.storageInstance.findDocumentsById(ids, true);
  return docs.sort((a, b) => a.id.localeCompare(b.id));
}

// Everything but the write time, which differs between two writes.
const withoutLwt = ({ _meta, ...rest }: RxDocumentData<TestEvent>) => ({ ...rest, metaKeys: Object.keys(_meta) });

describe('insertDocuments / upsertDocuments (storage fields present before RxDB clones)', () => {
  it('stores exactly what bulkInsert stores, with real revision and write time, and leaves the input alone', async () => {
    const db = await openDb('same-as-bulk');
    const docs = makeTestEvents(50);
    const before = structuredClone(docs);
    const started = Date.now();
    await db.plain.bulkInsert(docs);
    const result = await insertDocuments(db.shaped, docs);
    expect(result.error).toEqual([]);
    expect(docs).toEqual(before);

    const ids = docs.map((d) => d.id);
    const viaShape = await stored(db.shaped, ids);
    const viaRxdb = await stored(db.plain, ids);
    expect(viaShape.map(withoutLwt)).toEqual(viaRxdb.map(withoutLwt));
    // The placeholders never reach the store: RxDB's wrapper wrote the real values over them.
    for (const doc of viaShape) {
      expect(doc._rev).toMatch(/^1-.+/);
      expect(doc._meta.lwt).toBeGreaterThanOrEqual(started);
      expect(doc._deleted).toBe(false);
      expect(doc._attachments).toEqual({});
    }
    // And the documents read back through RxDB are the inserted ones.
    const found = await db.shaped.find({ sort: [{ id: 'asc' }] }).exec();
    expect(found.map((d) => d.toJSON())).toEqual([...docs].sort((a, b) => a.id.localeCompare(b.id)));
    await db.close();
  });

  it('reports a taken id as a conflict, as bulkInsert does, and writes the rest', async () => {
    const db = await openDb('conflicts');
    const docs = makeTestEvents(10);
    await insertDocuments(db.shaped, docs.slice(0, 3));
    const result = await insertDocuments(db.shaped, docs);
    expect(result.error.map((e) => [e.documentId, e.status])).toEqual(docs.slice(0, 3).map((d) => [d.id, 409]));
    expect(await db.shaped.count().exec()).toBe(10);
    await db.close();
  });

  it('upserts: new documents are inserted, existing ones get a next revision with the new data', async () => {
    const db = await openDb('upsert');
    const docs = makeTestEvents(6);
    const existingIds = new Set(docs.slice(0, 3).map((d) => d.id));
    await insertDocuments(db.shaped, docs.slice(0, 3));
    const before = new Map((await stored(db.shaped, [...existingIds])).map((d) => [d.id, d._meta.lwt]));
    const result = await upsertDocuments(db.shaped, docs.map((d) => ({ ...d, status: 'opted_out' })));
    expect(result.error).toEqual([]);

    const after = await stored(db.shaped, docs.map((d) => d.id));
    expect(after.map((d) => d.status)).toEqual(Array.from({ length: 6 }, () => 'opted_out'));
    for (const doc of after) {
      expect(doc._rev).toMatch(existingIds.has(doc.id) ? /^2-/ : /^1-/);
      expect(doc._meta.lwt).toBeGreaterThanOrEqual(before.get(doc.id) ?? 0);
    }
    await db.close();
  });

  it('keeps storage fields the caller set, as RxDB does', () => {
    const doc = { id: 'x', _deleted: true } as unknown as TestEvent;
    const shaped = withStorageFields(doc);
    expect(shaped._deleted).toBe(true);
    expect(shaped._attachments).toEqual({});
    expect(Object.keys(shaped)).toEqual(['id', '_deleted', '_attachments', '_meta', '_rev']);
    expect(shaped).not.toBe(doc);
  });
});

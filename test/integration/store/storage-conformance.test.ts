import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addRxPlugin,
  createRxDatabase,
  getChangedDocumentsSince,
  normalizeMangoQuery,
  prepareQuery,
  randomToken,
  type MangoQuery,
  type MangoQuerySelector,
  type RxCollection,
  type RxDatabase,
  type RxDocumentData,
  type RxStorage,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, describe, expect, it } from 'vitest';
import { asSQLiteInstance, getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import {
  makeTestEvents,
  testEventSchema,
  testEventSchemaV1,
  testLabelSchema,
  testNoteSchema,
  type TestEvent,
  type TestEventV1,
  type TestNote,
} from '../../fixtures/store/conformance-schemas';
import { CONFORMANCE_QUERIES } from './conformance-queries';

addRxPlugin(RxDBMigrationSchemaPlugin);

type Collections = { events: RxCollection<TestEvent>; notes: RxCollection<TestNote>; labels: RxCollection<TestNote> };
type Backend = { name: string; storage: RxStorage<unknown, unknown>; dbName: string };

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// A fresh backend pair per scenario: the same scenario runs on SQLite and on RxDB's memory storage.
function backends(): Backend[] {
  const dir = mkdtempSync(join(tmpdir(), 'cd-conformance-'));
  tempDirs.push(dir);
  return [
    { name: 'sqlite', storage: getRxStorageSQLite({ directory: dir }) as RxStorage<unknown, unknown>, dbName: 'conf' },
    { name: 'memory', storage: getRxStorageMemory() as RxStorage<unknown, unknown>, dbName: `conf${randomToken(8)}` },
  ];
}

async function openDb(backend: Backend): Promise<RxDatabase<Collections>> {
  const db = await createRxDatabase<Collections>({ name: backend.dbName, storage: backend.storage, multiInstance: false, eventReduce: true });
  await db.addCollections({ events: { schema: testEventSchema }, notes: { schema: testNoteSchema }, labels: { schema: testLabelSchema } });
  return db;
}

async function onBoth<T>(scenario: (db: RxDatabase<Collections>, backend: Backend) => Promise<T>): Promise<T> {
  const results: T[] = [];
  for (const backend of backends()) {
    const db = await openDb(backend);
    try {
      results.push(await scenario(db, backend));
    } finally {
      await db.close();
    }
  }
  const [sqlite, memory] = results;
  expect(sqlite).toEqual(memory);
  return sqlite as T;
}

const EVENTS = makeTestEvents(240);
// RxCollection adds this to every query; storage-level queries built here must too.
const NOT_DELETED = { _deleted: false } as MangoQuerySelector<TestEvent>;
const plain = (doc: { toJSON(): unknown }): unknown => doc.toJSON();

describe('SQLite storage behaves like RxDB memory storage', () => {
  it('inserts and reads documents back, with and without deleted', async () => {
    const result = await onBoth(async (db) => {
      const inserted = await db.events.bulkInsert(EVENTS);
      await db.events.find({ selector: { typeId: 'type-2' } }).remove();
      const storage = db.events.internalStorageInstance;
      const ids = ['ev-0-0', 'ev-2-2', 'ev-1-1', 'missing'];
      const strip = (docs: RxDocumentData<TestEvent>[]) => docs.map((d) => ({ id: d.id, deleted: d._deleted, seq: d.seq })).sort((a, b) => a.id.localeCompare(b.id));
      return {
        inserted: inserted.success.length,
        errors: inserted.error.length,
        withDeleted: strip(await storage.findDocumentsById(ids, true)),
        withoutDeleted: strip(await storage.findDocumentsById(ids, false)),
        remaining: await db.events.count().exec(),
      };
    });
    expect(result.inserted).toBe(240);
    expect(result.withDeleted).toHaveLength(3);
    expect(result.withoutDeleted).toHaveLength(2);
  });

  it('reports a 409 per conflicting row and applies the rest', async () => {
    const result = await onBoth(async (db) => {
      await db.events.bulkInsert(EVENTS.slice(0, 10));
      const again = await db.events.bulkInsert(EVENTS.slice(5, 15));
      const storage = db.events.internalStorageInstance;
      const [current] = await storage.findDocumentsById(['ev-1-1'], false);
      if (!current) {
        throw new Error('missing ev-1-1');
      }
      const stale = { ...current, _rev: '1-stale' };
      const writes = await storage.bulkWrite([
        { previous: stale, document: { ...current, status: 'lost', _rev: '2-a', _meta: { lwt: Date.now() + 1 } } },
        { previous: current, document: { ...current, status: 'won', _rev: '2-b', _meta: { lwt: Date.now() + 2 } } },
      ], 'conformance');
      const [after] = await storage.findDocumentsById(['ev-1-1'], false);
      return {
        insertErrors: again.error.map((e) => ({ status: e.status, id: e.documentId })),
        writeErrors: writes.error.map((e) => ({ status: e.status, id: e.documentId, isError: e.isError })),
        status: after?.status,
        count: await db.events.count().exec(),
      };
    });
    expect(result.insertErrors).toHaveLength(5);
    expect(result.insertErrors.every((e) => e.status === 409)).toBe(true);
    // The stale row is refused, the row based on the stored revision goes through.
    expect(result.writeErrors).toEqual([{ status: 409, id: 'ev-1-1', isError: true }]);
    expect(result.status).toBe('won');
  });

  it('rejects a write whose previous revision is stale', async () => {
    const result = await onBoth(async (db) => {
      await db.events.bulkInsert(EVENTS.slice(0, 3));
      const storage = db.events.internalStorageInstance;
      const docs = await storage.findDocumentsById(['ev-0-0', 'ev-1-1', 'ev-2-2'], false);
      const writes = await storage.bulkWrite(docs.map((doc, i) => ({
        previous: i === 1 ? { ...doc, _rev: '1-other' } : doc,
        document: { ...doc, seq: 99, _rev: `2-x${i}`, _meta: { lwt: Date.now() + i } },
      })), 'conformance');
      const after = await storage.findDocumentsById(['ev-0-0', 'ev-1-1', 'ev-2-2'], false);
      return {
        errors: writes.error.map((e) => ({ status: e.status, id: e.documentId, current: e.status === 409 ? e.documentInDb.seq : undefined })),
        seqs: after.map((d) => [d.id, d.seq]).sort(),
      };
    });
    expect(result.errors).toEqual([{ status: 409, id: 'ev-1-1', current: 3 }]);
  });

  it('answers every query operator identically, with counts', async () => {
    const result = await onBoth(async (db) => {
      await db.events.bulkInsert(EVENTS);
      await db.events.find({ selector: { seq: { $gt: 600 }, flag: true } }).remove();
      const answers: Record<string, { ids: string[]; count: number }> = {};
      for (const { name, query } of CONFORMANCE_QUERIES) {
        const docs = await db.events.find(query).exec();
        const countQuery = { selector: query.selector ?? {} };
        answers[name] = { ids: docs.map((d) => d.id), count: await db.events.count(countQuery).exec() };
      }
      return answers;
    });
    for (const { name } of CONFORMANCE_QUERIES) {
      if (name !== 'no match' && name !== 'skip past end') {
        expect(result[name]?.ids.length, name).toBeGreaterThan(0);
      }
    }
  });

  it('lists whole collections in primary key order by UTF-16 code unit, as JavaScript compares', async () => {
    // SQLite compares TEXT as UTF-8 bytes, which puts U+FFFF after an astral character; JavaScript does not.
    const ids = ['n-\u{1F600}', 'n-\uffff', 'n-\ue000', 'n-z', 'n-', 'n- ', 'n-\u00e9', 'n-A'];
    await onBoth(async (db) => {
      await db.notes.bulkInsert(ids.map((id, n) => ({ id, body: `b${n}`, n })));
      await db.notes.findOne('n-z').remove();
      return {
        asc: (await db.notes.find().exec()).map((d) => d.id),
        desc: (await db.notes.find({ sort: [{ id: 'desc' }] }).exec()).map((d) => d.id),
        page: (await db.notes.find({ sort: [{ id: 'asc' }], skip: 2, limit: 3 }).exec()).map((d) => d.id),
      };
    });
  });

  it('walks [_deleted, id] ranges (the SQLite primary key) like RxDB, trailing spaces included', async () => {
    const ids = ['n-\u{1F600}', 'n-\uffff', 'n-\ue000', 'n-z', 'n-', 'n- ', 'n-\u00e9', 'n-A', 'n-\t'];
    await onBoth(async (db) => {
      await db.labels.bulkInsert(ids.map((id, n) => ({ id, body: `b${n}`, n })));
      await db.labels.findOne('n-z').remove();
      const find = async (query: MangoQuery<TestNote>) => (await db.labels.find(query).exec()).map((d) => d.id);
      return {
        all: await find({}),
        desc: await find({ sort: [{ id: 'desc' }], skip: 1, limit: 4 }),
        // 'n-' and 'n- ' are two documents whose index strings are equal (padding).
        trailing: await find({ selector: { id: { $gte: 'n-', $lte: 'n- ' } } }),
        after: await find({ selector: { id: { $gt: 'n-' } }, limit: 4 }),
        from: await find({ selector: { id: { $gte: 'n-A' } } }),
        upTo: await find({ selector: { id: { $lte: 'n-A' } } }),
        below: await find({ selector: { id: { $lt: 'n-A' } } }),
        between: await find({ selector: { id: { $gt: 'n-A', $lt: 'n-\uffff' } }, sort: [{ id: 'desc' }] }),
        exact: await find({ selector: { id: 'n- ' } }),
        byId: [...(await db.labels.findByIds(['n-', 'n- ', 'n-z', 'n-\u{1F600}', 'missing']).exec()).keys()].sort(),
        counted: await db.labels.count({ selector: { id: { $gte: 'n-A' } } }).exec(),
        deletedByStorage: (await db.labels.storageInstance.findDocumentsById(['n-z', 'n-'], true)).map((d) => `${d.id}:${String(d._deleted)}`).sort(),
      };
    });
  });

  it('returns full documents identical to memory storage', async () => {
    await onBoth(async (db) => {
      await db.events.bulkInsert(EVENTS.slice(0, 50));
      return (await db.events.find({ sort: [{ occurredAt: 'desc' }] }).exec()).map(plain);
    });
  });

  it('pages through changes with checkpoints, resumed after close and reopen', async () => {
    await onBoth(async (db, backend) => {
      await db.events.bulkInsert(EVENTS.slice(0, 30));
      await db.events.find({ selector: { typeId: 'type-1' } }).remove();
      const seen: string[] = [];
      let checkpoint = undefined as { id: string; lwt: number } | undefined;
      for (;;) {
        const page = await getChangedDocumentsSince(db.events.internalStorageInstance, 7, checkpoint);
        // RxDB's helper: the storage's own method where it has one (SQLite), a query otherwise (memory).
        if (page.documents.length === 0) {
          break;
        }
        seen.push(...page.documents.map((d) => `${d.id}${d._deleted ? ':deleted' : ''}`));
        checkpoint = page.checkpoint as { id: string; lwt: number };
      }
      await db.close();
      const reopened = await openDb(backend);
      await reopened.events.bulkInsert(EVENTS.slice(30, 45));
      const after = await getChangedDocumentsSince(reopened.events.internalStorageInstance, 100, checkpoint);
      const resumed = after.documents.map((d) => d.id);
      const emptyPage = await getChangedDocumentsSince(reopened.events.internalStorageInstance, 100, after.checkpoint);
      await reopened.close();
      expect(seen).toHaveLength(30);
      // One bulkInsert shares one lwt, so within it the order is by id.
      expect(resumed).toEqual(EVENTS.slice(30, 45).map((e) => e.id).sort());
      return { seen, resumed, empty: emptyPage.documents.length };
    });
  });

  it('emits change events with checkpoints', async () => {
    await onBoth(async (db) => {
      const bulks: { events: string[]; checkpointId: unknown }[] = [];
      const sub = db.events.internalStorageInstance.changeStream().subscribe((bulk) => {
        bulks.push({ events: bulk.events.map((e) => `${e.operation}:${e.documentId}`), checkpointId: (bulk.checkpoint as { id: string }).id });
      });
      await db.events.bulkInsert(EVENTS.slice(0, 4));
      await db.events.findOne('ev-1-1').remove();
      sub.unsubscribe();
      return bulks;
    });
  });

  it('keeps many collections and purges tombstones on cleanup', async () => {
    await onBoth(async (db) => {
      await db.notes.bulkInsert(Array.from({ length: 20 }, (_, n) => ({ id: `n${n}`, body: `body ${n}`, n })));
      await db.events.bulkInsert(EVENTS.slice(0, 20));
      await db.notes.find({ selector: { n: { $lt: 5 } } }).remove();
      await db.notes.internalStorageInstance.cleanup(0);
      const tombstones = await db.notes.internalStorageInstance.findDocumentsById(['n0', 'n1', 'n7'], true);
      return {
        notes: (await db.notes.find({ sort: [{ n: 'desc' }], limit: 3 }).exec()).map(plain),
        events: await db.events.count().exec(),
        tombstones: tombstones.map((d) => d.id).sort(),
      };
    });
  });

  it('migrates between two schema versions', async () => {
    await onBoth(async (db, backend) => {
      await db.events.bulkInsert(EVENTS.slice(0, 25));
      await db.close();
      const v1 = await createRxDatabase<{ events: RxCollection<TestEventV1> }>({ name: backend.dbName, storage: backend.storage, multiInstance: false });
      await v1.addCollections({
        events: { schema: testEventSchemaV1, migrationStrategies: { 1: (doc: TestEvent) => ({ ...doc, source: `m-${doc.typeId}` }) } },
      });
      const docs = (await v1.events.find({ selector: { source: 'm-type-1' }, sort: [{ seq: 'asc' }] }).exec()).map(plain);
      await v1.close();
      expect(docs.length).toBeGreaterThan(0);
      return docs;
    });
  });
});

describe('SQLite storage uses real indexes', () => {
  it('answers indexed queries from an index range, not a table scan', async () => {
    const [backend] = backends();
    if (!backend) {
      throw new Error('no backend');
    }
    const db = await openDb(backend);
    try {
      await db.events.bulkInsert(makeTestEvents(2000));
      const instance = asSQLiteInstance<TestEvent>(db.events.internalStorageInstance);
      if (!instance) {
        throw new Error('not the SQLite storage');
      }
      const schema = db.events.schema.jsonSchema;
      const prepared = prepareQuery(schema, normalizeMangoQuery(schema, { selector: { ...NOT_DELETED, contactId: 'c2', occurredAt: { $gte: '2025-01-10' } }, sort: [{ occurredAt: 'asc' }] }));
      const plan = instance.explainQuery(prepared).join('\n');
      expect(plan).toMatch(/USING INDEX/);
      expect(plan).not.toMatch(/SCAN "?events-0"?\s*$/m);

      const before = instance.stats.rowsRead;
      const found = await instance.query(prepared);
      const read = instance.stats.rowsRead - before;
      expect(found.documents.length).toBeGreaterThan(0);
      expect(read).toBe(found.documents.length);

      const limited = prepareQuery(schema, normalizeMangoQuery(schema, { selector: { ...NOT_DELETED, seq: { $gt: 100 } }, sort: [{ seq: 'asc' }], limit: 3 }));
      const beforeLimited = instance.stats.rowsRead;
      expect((await instance.query(limited)).documents).toHaveLength(3);
      expect(instance.stats.rowsRead - beforeLimited).toBe(3);
    } finally {
      await db.close();
    }
  });
});

import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createRxDatabase, normalizeMangoQuery, prepareQuery, type MangoQuerySelector, type RxCollection, type RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { APPEND_CHUNK } from '../../src/main/ledger/ledger-service';
import { scanStore } from '../../src/main/ledger/store-scan';
import { insertDocuments } from '../../src/main/store/insert-documents';
import { getRxStorageSQLite } from '../../src/main/store/rx-storage-sqlite';
import { COLLECTION_SCHEMAS } from '../../src/main/store/database';
import { type BenchEvent, type BenchState, CONTACTS, contactId, foldLatest, type Latest } from './bench-data';

export const BACKEND_NAMES = ['raw-sqlite', 'rx-sqlite', 'rx-memory', 'pouchdb-leveldb'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export type Backend = {
  insert(batch: BenchEvent[]): Promise<void>;
  // Called once after all inserts, before lookups are timed (PouchDB builds its index lazily).
  prepare(): Promise<void>;
  lookup(contact: string): Promise<number>;
  // The rebuild path: every event of the ledger folded into the latest status per (contact, type).
  fold(): Promise<Latest>;
  // The app path: lists read the consent_state projection (kept in step on every append), not the ledger.
  // Chunks of rows, made as they are written: the bench's own copies never pile up.
  writeState(chunks: Iterable<BenchState[]>): Promise<void>;
  readState(): Promise<number>;
  close(): Promise<void>;
};

const PROJECTION_PAGE_CONTACTS = 500;

async function rxBackend(storage: RxStorage<unknown, unknown>, txSize: number): Promise<Backend> {
  const db = await createRxDatabase<{ events: RxCollection<BenchEvent>; state: RxCollection<BenchState> }>({ name: 'bench', storage, multiInstance: false, eventReduce: true });
  // The app's own collection definitions (schema, indexes, migration strategies).
  await db.addCollections({ events: COLLECTION_SCHEMAS.consent_events, state: COLLECTION_SCHEMAS.consent_state });
  const events = db.events;
  const schema = events.schema.jsonSchema;
  return {
    // One bulkInsert (one transaction) per txSize events, as the app inserts (insertDocuments),
    // a turn of the event loop in between:
    // the raw baseline's transaction size by default, APPEND_CHUNK to write as the ledger does.
    async insert(batch) {
      for (let start = 0; start < batch.length; start += txSize) {
        const result = await insertDocuments(events, batch.slice(start, start + txSize));
        if (result.error.length > 0) {
          throw new Error(`insert failed: ${JSON.stringify(result.error[0])}`);
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
    async prepare() {},
    async lookup(contact) {
      return (await events.find({ selector: { contactId: contact }, sort: [{ occurredAt: 'asc' }] }).exec()).length;
    },
    // Walks the [contactId, typeId, occurredAt] index in contact ranges at the storage level,
    // so no more than one page of plain documents is in memory at a time.
    async fold() {
      const latest: Latest = new Map();
      for (let start = 0; start < CONTACTS; start += PROJECTION_PAGE_CONTACTS) {
        const selector = {
          _deleted: false,
          contactId: { $gte: contactId(start), $lt: contactId(start + PROJECTION_PAGE_CONTACTS) },
        } as MangoQuerySelector<BenchEvent>;
        const prepared = prepareQuery(schema, normalizeMangoQuery(schema, { selector, sort: [{ contactId: 'asc' }, { typeId: 'asc' }, { occurredAt: 'asc' }] }));
        const page = await events.internalStorageInstance.query(prepared);
        for (const doc of page.documents) {
          foldLatest(latest, doc);
        }
      }
      return latest;
    },
    // The ledger keeps the projection in step per appended chunk, whatever --tx says.
    async writeState(chunks) {
      for (const rows of chunks) {
        for (let start = 0; start < rows.length; start += APPEND_CHUNK) {
          await insertDocuments(db.state, rows.slice(start, start + APPEND_CHUNK));
        }
      }
    },
    // What the contact directory does at start-up: every projection row, read as plain data in pages.
    async readState() {
      let rows = 0;
      await scanStore(db.state, () => { rows++; });
      return rows;
    },
    async close() {
      await db.close();
    },
  };
}

function rawSqliteBackend(directory: string): Backend {
  const db = new Database(join(directory, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  // better-sqlite3's own default in WAL mode, and the app's setting (src/main/store/storage.ts).
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -32768');
  // The app schemas' indexes (src/main/store/schemas/consent-schemas.ts) on plain columns.
  db.exec(`CREATE TABLE events (id TEXT PRIMARY KEY NOT NULL, contactId TEXT NOT NULL, typeId TEXT NOT NULL, status TEXT NOT NULL,
      occurredAt TEXT NOT NULL, deviceId TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE INDEX events_contact ON events (contactId, typeId, occurredAt);
    CREATE INDEX events_device ON events (deviceId, seq);
    CREATE TABLE state (id TEXT PRIMARY KEY NOT NULL, contactId TEXT NOT NULL, data TEXT NOT NULL);
    CREATE INDEX state_contact ON state (contactId);`);
  const insert = db.prepare('INSERT INTO events (id, contactId, typeId, status, occurredAt, deviceId, seq, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertMany = db.transaction((batch: BenchEvent[]) => {
    for (const e of batch) {
      insert.run(e.id, e.contactId, e.typeId, e.status, e.occurredAt, e.deviceId, e.seq, JSON.stringify(e));
    }
  });
  const byContact = db.prepare('SELECT data FROM events WHERE contactId = ? ORDER BY occurredAt').pluck(true);
  // SQLite's bare-column rule: with max(), `status` comes from the row holding the maximum.
  const latest = db.prepare('SELECT id, contactId, typeId, status, deviceId, seq, max(occurredAt) AS occurredAt FROM events GROUP BY contactId, typeId');
  const insertState = db.prepare('INSERT INTO state (id, contactId, data) VALUES (?, ?, ?)');
  const insertStates = db.transaction((rows: BenchState[]) => {
    for (const r of rows) {
      insertState.run(r.id, r.contactId, JSON.stringify(r));
    }
  });
  const allStates = db.prepare('SELECT data FROM state').pluck(true);
  return {
    async insert(batch) {
      insertMany.immediate(batch);
    },
    async prepare() {},
    async lookup(contact) {
      return byContact.all(contact).map((data) => JSON.parse(data as string) as BenchEvent).length;
    },
    async fold() {
      const result: Latest = new Map();
      for (const row of latest.iterate() as Iterable<BenchEvent>) {
        foldLatest(result, row);
      }
      return result;
    },
    async writeState(chunks) {
      for (const rows of chunks) {
        insertStates.immediate(rows);
      }
    },
    async readState() {
      return allStates.all().map((data) => JSON.parse(data as string) as BenchState).length;
    },
    async close() {
      db.close();
    },
  };
}

type PouchDoc = Record<string, unknown>;
type PouchDatabase = {
  bulkDocs(docs: PouchDoc[]): Promise<{ error?: string }[]>;
  createIndex(options: { index: { fields: string[] } }): Promise<unknown>;
  find(query: { selector: Record<string, unknown>; sort?: string[]; limit?: number }): Promise<{ docs: PouchDoc[] }>;
  allDocs(options: { include_docs: boolean }): Promise<{ rows: { doc?: PouchDoc }[] }>;
  close(): Promise<void>;
};
type PouchConstructor = { new (name: string, options: { adapter: string }): PouchDatabase; plugin(plugin: unknown): PouchConstructor };

// pouchdb-find fails (TypeError in its planner) when a sort field is missing from the selector.
const SORTED_BY_INDEX = { typeId: { $gt: null }, occurredAt: { $gt: null } };

function pouchBackend(directory: string): Backend {
  // PouchDB ships no types and is CommonJS; load it through require with a minimal local type.
  const require = createRequire(import.meta.url);
  const PouchDB = (require('pouchdb-core') as PouchConstructor)
    .plugin(require('pouchdb-adapter-leveldb'))
    .plugin(require('pouchdb-find'));
  const db = new PouchDB(join(directory, 'pouch'), { adapter: 'leveldb' });
  const state = new PouchDB(join(directory, 'pouch-state'), { adapter: 'leveldb' });
  return {
    async insert(batch) {
      const results = await db.bulkDocs(batch.map((e) => ({ ...e, _id: e.id })));
      const failed = results.find((r) => r.error);
      if (failed) {
        throw new Error(`pouch insert failed: ${JSON.stringify(failed)}`);
      }
    },
    async prepare() {
      await db.createIndex({ index: { fields: ['contactId', 'typeId', 'occurredAt'] } });
      await db.find({ selector: { contactId: contactId(0), ...SORTED_BY_INDEX }, sort: ['contactId', 'typeId', 'occurredAt'] });
    },
    async lookup(contact) {
      return (await db.find({ selector: { contactId: contact, ...SORTED_BY_INDEX }, sort: ['contactId', 'typeId', 'occurredAt'] })).docs.length;
    },
    async fold() {
      const latest: Latest = new Map();
      for (let start = 0; start < CONTACTS; start += PROJECTION_PAGE_CONTACTS) {
        const page = await db.find({
          selector: { contactId: { $gte: contactId(start), $lt: contactId(start + PROJECTION_PAGE_CONTACTS) }, ...SORTED_BY_INDEX },
          sort: ['contactId', 'typeId', 'occurredAt'],
          limit: Number.MAX_SAFE_INTEGER,
        });
        for (const doc of page.docs) {
          foldLatest(latest, doc as unknown as BenchEvent);
        }
      }
      return latest;
    },
    async writeState(chunks) {
      for (const rows of chunks) {
        await state.bulkDocs(rows.map((r) => ({ ...r, _id: r.id })));
      }
    },
    async readState() {
      return (await state.allDocs({ include_docs: true })).rows.filter((row) => row.doc).length;
    },
    async close() {
      await db.close();
      await state.close();
    },
  };
}

// txSize: documents per RxDB bulkInsert (raw always writes a whole batch per transaction).
export async function createBackend(name: BackendName, directory: string, txSize: number): Promise<Backend> {
  switch (name) {
    case 'raw-sqlite':
      return rawSqliteBackend(directory);
    case 'rx-sqlite':
      return rxBackend(getRxStorageSQLite({ directory, synchronous: 'NORMAL' }) as RxStorage<unknown, unknown>, txSize);
    case 'rx-memory':
      return rxBackend(getRxStorageMemory() as RxStorage<unknown, unknown>, txSize);
    case 'pouchdb-leveldb':
      return pouchBackend(directory);
  }
}

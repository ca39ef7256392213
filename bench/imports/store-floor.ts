import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { fillWithDefaultSettings, getProperty, type RxJsonSchema } from 'rxdb';
import { sealEvent } from '../../src/main/consent/event-hash';
import { consentEventSchema, consentStateSchema } from '../../src/main/store/schemas/consent-schemas';
import { contactSchema } from '../../src/main/store/schemas/people-schemas';
import { openConnection, type SqliteDatabase } from '../../src/main/store/rx-storage-sqlite/sqlite-driver';
import { keyColumnIndexes } from '../../src/main/store/rx-storage-sqlite/table-setup';
import type { ImportMapping } from '../../src/shared/imports/import-mapping';
import { compileMapping, validateRow, type DuplicateIndex } from '../../src/shared/imports/row-validate';
import type { ConsentEvent, ConsentStateRow, Contact } from '../../src/shared/domain';

/*
 * The floor under any import, as issue 19 defines it: papaparse + the import's row validation
 * + raw better-sqlite3 writing the same documents (a contact, an event, a status row per row,
 * as the same JSON with RxDB's storage fields) into tables with the same indexes, in
 * transactions of the same size. No RxDB, no adapter, no ledger service: what is left when
 * everything of ours between the file and SQLite is taken away.
 *  - Tables and indexes come from the app's schemas, filled by RxDB as the app's storage sees
 *    them (keyColumnIndexes): one key column + B-tree per index, the primary key on the id,
 *    the partial tombstone index. Key values are the indexed fields joined as text (the app
 *    encodes them into comparable bytes; the floor only pays for the B-tree insert).
 *  - Same pragmas as the app's store: WAL, synchronous NORMAL, secure_delete, 32 MB page cache.
 *  - Two floors: plain better-sqlite3, and encrypted as the app's store is (the same cipher
 *    build, opened through the app's own openConnection with a random 256-bit raw key, so
 *    the same SQLCipher v4 pragmas). The ratio to the encrypted floor is like for like.
 *  - SQLite's own WAL auto-checkpoint runs on the committing thread (the app moves it to a
 *    worker): the floor is what raw SQLite does, and its stalls are printed as measured.
 *  - Events are sealed into the hash chain (the hash is part of the stored document).
 *  - Each batch of rows is three transactions (contacts, events, status rows), and the
 *    event loop gets a turn between batches, so the floor's stalls are measured too.
 */

export type FloorResult = {
  rows: number;
  parseValidateMs: number;
  writeMs: number;
  wallMs: number;
  cpuMs: number;
  peakRss: number;
  stallMs: number;
  slowestBatchMs: number;
  tables: string[];
};

const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

type FloorDatabase = Database.Database | SqliteDatabase;
type FloorTable = { name: string; insert: ReturnType<FloorDatabase['prepare']>; keys: string[][] };

function createTable(db: FloorDatabase, name: string, schema: RxJsonSchema<unknown>): FloorTable {
  const keys = keyColumnIndexes(fillWithDefaultSettings(schema));
  const quoted = `"${name}"`;
  db.exec(`CREATE TABLE ${quoted} (id TEXT PRIMARY KEY NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, data TEXT NOT NULL${keys.map((_, i) => `, k${i} BLOB NOT NULL`).join('')})`);
  keys.forEach((_, i) => db.exec(`CREATE INDEX "${name}__k${i}" ON ${quoted} (k${i})`));
  db.exec(`CREATE INDEX "${name}__tombstones" ON ${quoted} (lwt) WHERE deleted = 1`);
  const insert = db.prepare(`INSERT INTO ${quoted} (id, deleted, lwt, data${keys.map((_, i) => `, k${i}`).join('')}) VALUES (?, ?, ?, ?${keys.map(() => ', ?').join('')})`);
  return { name, insert, keys };
}

type Stored = { id: string; _deleted: boolean; _meta: { lwt: number } };

function writeRows(db: FloorDatabase, table: FloorTable, docs: readonly Stored[]): void {
  db.transaction(() => {
    for (const doc of docs) {
      const params: (string | number)[] = [doc.id, doc._deleted ? 1 : 0, doc._meta.lwt, JSON.stringify(doc)];
      for (const fields of table.keys) params.push(fields.map((f) => String(getProperty(doc, f))).join('\u0001'));
      table.insert.run(params);
    }
  }).immediate();
}

// RxDB's storage fields, as every stored document carries them.
const stored = <T extends object>(doc: T, lwt: number) => Object.assign(doc, { _deleted: false, _attachments: {}, _meta: { lwt }, _rev: '1-floorrevxx' });

export async function storeFloor(input: { csv: string; delimiter: string; mapping: ImportMapping; defaultCountry: string; batch: number; encrypted: boolean }): Promise<FloorResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cd-store-floor-'));
  const path = join(dir, 'floor.sqlite');
  const db: FloorDatabase = input.encrypted ? openConnection(path, { timeoutMs: 2000, key: randomBytes(32) }) : new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -32768');
  const contacts = createTable(db, 'contacts', contactSchema as RxJsonSchema<unknown>);
  const events = createTable(db, 'consent_events', consentEventSchema as RxJsonSchema<unknown>);
  const states = createTable(db, 'consent_state', consentStateSchema as RxJsonSchema<unknown>);

  const loop = monitorEventLoopDelay({ resolution: 5 });
  let peakRss = process.memoryUsage.rss();
  const probe = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 20);
  loop.enable();
  const cpu0 = cpuNow();
  const started = performance.now();
  let writeMs = 0;
  let slowestBatchMs = 0;
  let rows = 0;
  let prevHash = '';
  let seq = 0;
  const at = new Date().toISOString();
  const actor = { kind: 'user' as const, id: 'bench', name: 'Bench' };
  const duplicates: DuplicateIndex = { first: new Map(), conflicts: new Map() };
  let headers: string[] | null = null;
  let compiled = compileMapping(input.mapping, []);
  let batch: { contact: Contact; row: number; typeId: string; status: ConsentEvent['status']; legalBasis: ConsentEvent['legalBasis']; explanation: string }[] = [];

  const flush = () => {
    const t = performance.now();
    const lwt = Date.now();
    const contactDocs = batch.map((b) => stored(b.contact, lwt));
    const eventDocs: ConsentEvent[] = [];
    const stateDocs: ConsentStateRow[] = [];
    for (const b of batch) {
      seq += 1;
      const event = sealEvent({
        id: `csv:floor:${b.row}:${b.typeId}`, contactId: b.contact.id, typeId: b.typeId, status: b.status, previousStatus: 'not_specified',
        source: 'csv_import', legalBasis: b.legalBasis, explanation: b.explanation, actor,
        evidence: { fileName: 'bench.csv', row: b.row, importId: 'floor', fileHash: 'floor' }, occurredAt: at, recordedAt: at, deviceId: 'floor', seq, basedOn: '',
      }, prevHash);
      prevHash = event.hash;
      eventDocs.push(event);
      stateDocs.push({
        id: `${b.contact.id}|${b.typeId}`, contactId: b.contact.id, typeId: b.typeId, status: b.status, lastEventId: event.id, ownOptOut: false,
        updatedAt: at, lastOccurredAt: at, lastDeviceId: 'floor', lastSeq: seq,
      });
    }
    writeRows(db, contacts, contactDocs as unknown as Stored[]);
    writeRows(db, events, eventDocs.map((e) => stored(e, lwt)) as unknown as Stored[]);
    writeRows(db, states, stateDocs.map((s) => stored(s, lwt)) as unknown as Stored[]);
    batch = [];
    const took = performance.now() - t;
    writeMs += took;
    slowestBatchMs = Math.max(slowestBatchMs, took);
  };

  // papaparse's step mode over the whole text; a pause between batches lets the loop turn.
  await new Promise<void>((resolve, reject) => {
    let row = 0;
    Papa.parse<string[]>(input.csv, {
      delimiter: input.delimiter,
      step: (result, parser) => {
        row += 1;
        const cells = result.data;
        if (!headers) {
          headers = cells;
          compiled = compileMapping(input.mapping, headers);
          return;
        }
        if (cells.length === 1 && cells[0] === '') return;
        rows += 1;
        const plan = validateRow(row, cells, compiled, input.defaultCountry, duplicates).plan;
        const status = plan?.statuses[0];
        if (!plan || !status) return;
        batch.push({
          contact: {
            id: `csv-floor-${row}`, name: plan.name, email: plan.email ?? '', phoneInput: plan.phoneInput, waNumber: plan.waNumber, phoneValid: true,
            properties: plan.properties, tags: plan.tags ?? [], createdAt: at, updatedAt: at, lastInboundAt: '',
          },
          row,
          typeId: status.typeId,
          status: status.status,
          legalBasis: status.legalBasis,
          explanation: status.explanation || `Imported from bench.csv, row ${row}`,
        });
        if (batch.length >= input.batch) {
          flush();
          parser.pause();
          setImmediate(() => parser.resume());
        }
      },
      complete: () => resolve(),
      error: (e: Error) => reject(e),
    });
  });
  if (batch.length) flush();
  await yieldNow();
  const wallMs = performance.now() - started;
  const cpuMs = cpuNow() - cpu0;
  loop.disable();
  clearInterval(probe);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    rows, parseValidateMs: wallMs - writeMs, writeMs, wallMs, cpuMs, peakRss, stallMs: loop.max / 1e6, slowestBatchMs,
    tables: [contacts, events, states].map((t) => `${t.name}: ${t.keys.length} key indexes (${t.keys.map((k) => k.join('+')).join(', ')})`),
  };
}

import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Subject } from 'rxjs';
import { StoreError, isSqliteCorruption } from './store-error';

export const META_TABLE = '_consentdesk_store_meta';
export const FORMAT_MARKER = 'consent-desk/rx-storage-sqlite';
// 2: compact index keys, encoded ids as primary key (no [_deleted, id] index of its own).
export const FORMAT_VERSION = '2';
const SQLITE_MAGIC = 'SQLite format 3\u0000';

export type SynchronousMode = 'FULL' | 'NORMAL';

export type OpenOptions = {
  synchronous: SynchronousMode;
  // quick_check reads every page: thorough, but O(size) at start-up, so it is opt-in.
  verifyOnOpen: boolean;
  // Hold SQLite's lock for as long as the file is open, so no other process can read or write it.
  exclusive: boolean;
  // How long an open waits for another process to let go of the file before it fails with STORE_LOCKED.
  lockTimeoutMs: number;
};

export type DatabaseFile = {
  readonly path: string;
  readonly db: Database.Database;
  refCount: number;
  // One change stream per table, shared by every instance on it in this process (like storage-memory).
  readonly channels: Map<string, Subject<unknown>>;
};

const OPEN_FILES = new Map<string, DatabaseFile>();

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// Looks at the raw header before SQLite touches the file, so a foreign file is never modified.
function assertSqliteHeader(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) {
    return;
  }
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC) {
      throw new StoreError('STORE_FOREIGN', `The data file ${path} is not a SQLite database; it was left untouched.`);
    }
  } finally {
    closeSync(fd);
  }
}

function readTableNames(db: Database.Database, path: string): string[] {
  try {
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return rows.map((row) => row.name);
  } catch (error) {
    if (isSqliteCorruption(error)) {
      throw new StoreError('STORE_CORRUPT', `The data file ${path} is damaged and cannot be read: ${String(error)}`, { cause: error });
    }
    throw error;
  }
}

function assertOurFormat(db: Database.Database, path: string, tables: readonly string[]): void {
  if (!tables.includes(META_TABLE)) {
    throw new StoreError('STORE_FOREIGN', `The data file ${path} is a SQLite database not written by Consent Desk; it was left untouched.`);
  }
  const rows = db.prepare(`SELECT key, value FROM ${quoteIdent(META_TABLE)} WHERE key IN ('format', 'formatVersion')`).all() as { key: string; value: string }[];
  const meta = new Map(rows.map((row) => [row.key, row.value]));
  if (meta.get('format') !== FORMAT_MARKER || meta.get('formatVersion') !== FORMAT_VERSION) {
    throw new StoreError('STORE_FOREIGN', `The data file ${path} has an unknown format (${meta.get('format') ?? 'none'} v${meta.get('formatVersion') ?? '?'}); it was left untouched.`);
  }
}

function verifyIntegrity(db: Database.Database, path: string): void {
  let result: string;
  try {
    result = String(db.pragma('quick_check(1)', { simple: true }));
  } catch (error) {
    if (isSqliteCorruption(error)) {
      throw new StoreError('STORE_CORRUPT', `The data file ${path} is damaged: ${String(error)}`, { cause: error });
    }
    throw error;
  }
  if (result !== 'ok') {
    throw new StoreError('STORE_CORRUPT', `The data file ${path} is damaged: ${result}`);
  }
}

function isSqliteBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function configure(db: Database.Database, options: OpenOptions): void {
  if (options.exclusive) {
    // Two processes appending to one ledger would fork this device's hash chain. In EXCLUSIVE
    // mode the connection keeps its file lock until close (the OS drops it if the process dies),
    // so a second process cannot even read. Set after the format checks, which must not write.
    db.pragma('locking_mode = EXCLUSIVE');
  }
  db.pragma('journal_mode = WAL');
  // FULL by default: in WAL mode that fsyncs the log on every commit, so a write that RxDB
  // acknowledged survives power loss too, not only a killed process (which NORMAL covers).
  // Consent records are legal evidence; one fsync per bulkWrite is the price.
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('foreign_keys = OFF');
  db.pragma('temp_store = MEMORY');
  // 32 MB page cache keeps hot index pages in memory without letting RSS grow with the data.
  db.pragma('cache_size = -32768');
}

function openChecked(path: string, options: OpenOptions): Database.Database {
  assertSqliteHeader(path);
  const db = new Database(path, { timeout: options.lockTimeoutMs });
  try {
    const tables = readTableNames(db, path);
    if (tables.length > 0) {
      assertOurFormat(db, path, tables);
      if (options.verifyOnOpen) {
        verifyIntegrity(db, path);
      }
    }
    configure(db, options);
    db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdent(META_TABLE)} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
    // A write: in exclusive mode this is where the lock is taken, so a second process fails here at the latest.
    db.prepare(`INSERT OR IGNORE INTO ${quoteIdent(META_TABLE)} (key, value) VALUES ('format', ?), ('formatVersion', ?)`).run(FORMAT_MARKER, FORMAT_VERSION);
    return db;
  } catch (error) {
    db.close();
    if (isSqliteBusy(error)) {
      throw new StoreError('STORE_LOCKED', `The data file ${path} is in use by another process (is Consent Desk already running?).`, { cause: error });
    }
    throw error;
  }
}

export function acquireDatabaseFile(path: string, options: OpenOptions): DatabaseFile {
  const existing = OPEN_FILES.get(path);
  if (existing) {
    existing.refCount++;
    return existing;
  }
  const file: DatabaseFile = { path, db: openChecked(path, options), refCount: 1, channels: new Map() };
  OPEN_FILES.set(path, file);
  return file;
}

function hasCollectionTables(db: Database.Database): boolean {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name <> ?").get(META_TABLE) as { n: number };
  return row.n > 0;
}

// When the last RxDatabase using a file lets go of it, close it; delete it if every collection was removed.
export function releaseDatabaseFile(file: DatabaseFile): void {
  file.refCount--;
  if (file.refCount > 0 || OPEN_FILES.get(file.path) !== file) {
    return;
  }
  OPEN_FILES.delete(file.path);
  const empty = !hasCollectionTables(file.db);
  file.db.close();
  if (empty) {
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(file.path + suffix, { force: true });
    }
  }
}

import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Subject } from 'rxjs';
import { acquireProcessLock, isSqliteBusy, lockFilePath } from './process-lock';
import { StoreError, isSqliteCorruption } from './store-error';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, DEFAULT_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer';

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
  // Hold a lock for as long as the file is open, so no other process can open it (process-lock.ts).
  exclusive: boolean;
  // How long an open waits for another process to let go of the file before it fails with STORE_LOCKED.
  lockTimeoutMs: number;
  // Rows written through this file before checkpoints move to a worker thread (wal-checkpointer.ts);
  // Infinity keeps them on the writing connection. Small stores never pay for the thread.
  backgroundCheckpointAfterRows: number;
};

export type DatabaseFile = {
  readonly path: string;
  readonly db: Database.Database;
  refCount: number;
  // One change stream per table, shared by every instance on it in this process (like storage-memory).
  readonly channels: Map<string, Subject<unknown>>;
  readonly lock: Database.Database | undefined;
  readonly options: OpenOptions;
  rowsWritten: number;
  checkpointer: WalCheckpointer | undefined;
  // Why the background checkpointer stopped, when it stopped on its own.
  checkpointerLost: string | undefined;
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

function configure(db: Database.Database, options: OpenOptions): void {
  db.pragma('journal_mode = WAL');
  // FULL by default: in WAL mode that fsyncs the log on every commit, so a write that RxDB
  // acknowledged survives power loss too, not only a killed process (which NORMAL covers).
  // Consent records are legal evidence; one fsync per bulkWrite is the price.
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('foreign_keys = OFF');
  // Erased personal data (GDPR Art. 17) must not linger in freed pages of the file.
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  // 32 MB page cache keeps hot index pages in memory without letting RSS grow with the data.
  db.pragma('cache_size = -32768');
}

function openChecked(path: string, options: OpenOptions): { db: Database.Database; lock: Database.Database | undefined } {
  assertSqliteHeader(path);
  const db = new Database(path, { timeout: options.lockTimeoutMs });
  let lock: Database.Database | undefined;
  try {
    const tables = readTableNames(db, path);
    if (tables.length > 0) {
      assertOurFormat(db, path, tables);
      if (options.verifyOnOpen) {
        verifyIntegrity(db, path);
      }
    }
    // After the format checks (a foreign file gets no lock file beside it), before the first write.
    lock = options.exclusive ? acquireProcessLock(path, options.lockTimeoutMs) : undefined;
    configure(db, options);
    db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdent(META_TABLE)} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
    db.prepare(`INSERT OR IGNORE INTO ${quoteIdent(META_TABLE)} (key, value) VALUES ('format', ?), ('formatVersion', ?)`).run(FORMAT_MARKER, FORMAT_VERSION);
    return { db, lock };
  } catch (error) {
    db.close();
    lock?.close();
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
  const { db, lock } = openChecked(path, options);
  const file: DatabaseFile = {
    path, db, lock, options, refCount: 1, channels: new Map(), rowsWritten: 0, checkpointer: undefined, checkpointerLost: undefined,
  };
  OPEN_FILES.set(path, file);
  return file;
}

/*
 * Called after every committed write. Once enough rows went through this file, checkpoints move
 * to a worker thread (wal-checkpointer.ts); from then on each commit only nudges it. A lost
 * worker is not restarted: the main connection checkpoints again, as SQLite does by default.
 */
export function noteCommitted(file: DatabaseFile, rows: number): void {
  file.rowsWritten += rows;
  if (file.checkpointer) {
    file.checkpointer.notifyCommitted();
    return;
  }
  if (file.checkpointerLost !== undefined || file.rowsWritten < file.options.backgroundCheckpointAfterRows || OPEN_FILES.get(file.path) !== file) {
    return;
  }
  file.checkpointer = new WalCheckpointer(
    file.path,
    file.options.lockTimeoutMs,
    () => {
      if (file.db.open) {
        file.db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
      }
    },
    (reason) => {
      file.checkpointer = undefined;
      file.checkpointerLost = reason;
      if (file.db.open) {
        file.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
      }
    },
  );
}

function hasCollectionTables(db: Database.Database): boolean {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name <> ?").get(META_TABLE) as { n: number };
  return row.n > 0;
}

/*
 * When the last RxDatabase using a file lets go of it, close it; delete it if every collection
 * was removed. The main connection and the process lock close at once (the next owner may open
 * right away); the promise settles when the checkpoint worker has closed its connection too.
 */
export function releaseDatabaseFile(file: DatabaseFile): Promise<void> {
  file.refCount--;
  if (file.refCount > 0 || OPEN_FILES.get(file.path) !== file) {
    return Promise.resolve();
  }
  OPEN_FILES.delete(file.path);
  const empty = !hasCollectionTables(file.db);
  const checkpointerClosed = file.checkpointer?.close() ?? Promise.resolve();
  file.checkpointer = undefined;
  file.db.close();
  file.lock?.close();
  return checkpointerClosed.then(() => {
    // Reopened meanwhile by this process: the file is someone's again.
    if (empty && !OPEN_FILES.has(file.path)) {
      for (const path of [file.path, `${file.path}-wal`, `${file.path}-shm`, lockFilePath(file.path), `${lockFilePath(file.path)}-journal`]) {
        rmSync(path, { force: true });
      }
    }
  });
}

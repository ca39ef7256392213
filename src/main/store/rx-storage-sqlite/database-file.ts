import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import type { Subject } from 'rxjs';
import { acquireProcessLock, isSqliteBusy, lockFilePath } from './process-lock';
import { type CipherKey, type CipherScheme, cipherPragmas, openConnection, type SqliteDatabase } from './sqlite-driver';
import { StoreError, isSqliteCorruption, isSqliteNotADatabase } from './store-error';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, DEFAULT_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer';

export const META_TABLE = '_consentdesk_store_meta';
export const FORMAT_MARKER = 'consent-desk/rx-storage-sqlite';
// 2: compact index keys, encoded ids as primary key (no [_deleted, id] index of its own).
export const FORMAT_VERSION = '2';
export const SQLITE_MAGIC = 'SQLite format 3\u0000';

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
  // The file's SQLCipher key; undefined for a plain file (tests, tools). Every connection gets it.
  cipherKey: CipherKey | undefined;
  // How the key encrypts the pages (sqlite-driver.ts); undefined is SQLCipher 4's own.
  cipherScheme?: CipherScheme;
  // SQLite's page cache in KiB (default 32 MB); benches compare sizes.
  cacheSizeKb?: number;
  // Set when the app starts read-only (a full disk, read-only-start.ts): why nothing may be
  // written, in words for the person at the keyboard. The file is opened as readOnlyConnection says.
  readOnly: string | undefined;
};

export type DatabaseFile = {
  readonly path: string;
  readonly db: SqliteDatabase;
  refCount: number;
  // One change stream per table, shared by every instance on it in this process (like storage-memory).
  readonly channels: Map<string, Subject<unknown>>;
  readonly lock: SqliteDatabase | undefined;
  readonly options: OpenOptions;
  rowsWritten: number;
  checkpointer: WalCheckpointer | undefined;
  // Rows committed since the checkpoint worker was last asked to run (see nudgeCheckpointer).
  rowsSinceNudge: number;
  nudgeTimer: NodeJS.Timeout | undefined;
  // Why the background checkpointer stopped, when it stopped on its own.
  checkpointerLost: string | undefined;
};

const DEFAULT_CACHE_KB = 32768;

const OPEN_FILES = new Map<string, DatabaseFile>();

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// True when the file starts with SQLite's plain-text header (an encrypted file starts with random salt).
export function hasPlainSqliteHeader(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    return read === 16 && header.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

// Looks at the raw header before SQLite touches the file, so a foreign file is never modified.
function assertSqliteHeader(path: string, encrypted: boolean): void {
  if (!existsSync(path) || statSync(path).size === 0) {
    return;
  }
  const plain = hasPlainSqliteHeader(path);
  if (encrypted && plain) {
    throw new StoreError('STORE_NOT_ENCRYPTED', `The data file ${path} is not encrypted; it must be migrated before it is opened with a key. It was left untouched.`);
  }
  if (!encrypted && !plain) {
    throw new StoreError('STORE_FOREIGN', `The data file ${path} is not a SQLite database; it was left untouched.`);
  }
}

function readTableNames(db: SqliteDatabase, path: string, encrypted: boolean): string[] {
  try {
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return rows.map((row) => row.name);
  } catch (error) {
    // With a key, "not a database" on the first read means the key does not open this file.
    if (encrypted && isSqliteNotADatabase(error)) {
      throw new StoreError('STORE_KEY_WRONG', `The data file ${path} cannot be opened with this computer's database key (a different key, or not a Consent Desk file). It was left untouched.`, { cause: error });
    }
    if (isSqliteCorruption(error)) {
      throw new StoreError('STORE_CORRUPT', `The data file ${path} is damaged and cannot be read: ${String(error)}`, { cause: error });
    }
    throw error;
  }
}

function assertOurFormat(db: SqliteDatabase, path: string, tables: readonly string[]): void {
  if (!tables.includes(META_TABLE)) {
    throw new StoreError('STORE_FOREIGN', `The data file ${path} is a SQLite database not written by Consent Desk; it was left untouched.`);
  }
  const rows = db.prepare(`SELECT key, value FROM ${quoteIdent(META_TABLE)} WHERE key IN ('format', 'formatVersion')`).all() as { key: string; value: string }[];
  const meta = new Map(rows.map((row) => [row.key, row.value]));
  if (meta.get('format') !== FORMAT_MARKER || meta.get('formatVersion') !== FORMAT_VERSION) {
    throw new StoreError('STORE_FOREIGN', `The data file ${path} has an unknown format (${meta.get('format') ?? 'none'} v${meta.get('formatVersion') ?? '?'}); it was left untouched.`);
  }
}

function verifyIntegrity(db: SqliteDatabase, path: string): void {
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

function configure(db: SqliteDatabase, options: OpenOptions): void {
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
  db.pragma(`cache_size = -${Math.trunc(options.cacheSizeKb ?? DEFAULT_CACHE_KB)}`);
}

/*
 * A read-only start must read on a disk with no free byte, where SQLite cannot size the
 * shared-memory file (-shm) that WAL readers use: even a SQLITE_OPEN_READONLY connection
 * fails there (SQLITE_IOERR_SHMSIZE). In EXCLUSIVE locking mode SQLite keeps the WAL index
 * in the process's memory instead and creates no -shm, and the exclusive lock it holds on the
 * data file shuts other processes out as the lock file would (which a full disk cannot take).
 * query_only makes SQLite itself refuse every change, whatever code path asks for one; the
 * storage names the refusal (readOnlyRefusal). Nothing else may open the file meanwhile, so
 * readers in workers are not offered it (storage-instance.ts).
 */
function openReadOnlyStart(path: string, options: OpenOptions, reason: string): SqliteDatabase {
  const encrypted = options.cipherKey !== undefined;
  assertSqliteHeader(path, encrypted);
  const db = openConnection(path, { timeoutMs: options.lockTimeoutMs, fileMustExist: true, key: options.cipherKey, scheme: options.cipherScheme });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('query_only = ON');
    const tables = readTableNames(db, path, encrypted);
    if (!tables.includes(META_TABLE)) {
      throw new StoreError('STORE_READ_ONLY', `${reason} (The data file holds no Consent Desk data to read.)`);
    }
    assertOurFormat(db, path, tables);
    db.pragma('temp_store = MEMORY');
    db.pragma(`cache_size = -${Math.trunc(options.cacheSizeKb ?? DEFAULT_CACHE_KB)}`);
    return db;
  } catch (error) {
    db.close();
    if (isSqliteBusy(error)) {
      throw new StoreError('STORE_LOCKED', `The data file ${path} is in use by another process (is Consent Desk already running?).`, { cause: error });
    }
    throw error;
  }
}

// What a write on a file opened read-only gets, whatever path it came by.
export function readOnlyRefusal(file: DatabaseFile): StoreError | undefined {
  return file.options.readOnly === undefined ? undefined : new StoreError('STORE_READ_ONLY', file.options.readOnly);
}

function openChecked(path: string, options: OpenOptions): { db: SqliteDatabase; lock: SqliteDatabase | undefined } {
  if (options.readOnly !== undefined) return { db: openReadOnlyStart(path, options, options.readOnly), lock: undefined };
  const encrypted = options.cipherKey !== undefined;
  assertSqliteHeader(path, encrypted);
  const db = openConnection(path, { timeoutMs: options.lockTimeoutMs, key: options.cipherKey, scheme: options.cipherScheme });
  let lock: SqliteDatabase | undefined;
  try {
    const tables = readTableNames(db, path, encrypted);
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
    rowsSinceNudge: 0, nudgeTimer: undefined,
  };
  OPEN_FILES.set(path, file);
  return file;
}

/*
 * Called after every committed write. Once enough rows went through this file, checkpoints move
 * to a worker thread (wal-checkpointer.ts); from then on commits only nudge it. A lost
 * worker is not restarted: the main connection checkpoints again, as SQLite does by default.
 */
export function noteCommitted(file: DatabaseFile, rows: number): void {
  file.rowsWritten += rows;
  if (file.checkpointer) {
    nudgeCheckpointer(file, rows);
    return;
  }
  if (file.checkpointerLost !== undefined || file.rowsWritten < file.options.backgroundCheckpointAfterRows || OPEN_FILES.get(file.path) !== file) {
    return;
  }
  file.checkpointer = new WalCheckpointer(
    file.path,
    file.options.lockTimeoutMs,
    file.options.cipherKey ? cipherPragmas(file.options.cipherKey, file.options.cipherScheme) : [],
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

/*
 * Each PASSIVE checkpoint copies what the log holds and syncs both files. Asked after every
 * commit, the worker ran one per import slice (a thousand per 100,000 rows, each with its
 * fsyncs), which cost the process about a tenth of an import's CPU time. So it is asked once
 * per CHECKPOINT_NUDGE_ROWS rows, about SQLite's own 1,000-page threshold for this app's
 * documents, and once more CHECKPOINT_NUDGE_MS after a smaller write, so that a few edits
 * are still copied back soon.
 */
const CHECKPOINT_NUDGE_ROWS = 2000;
const CHECKPOINT_NUDGE_MS = 1000;

function nudgeCheckpointer(file: DatabaseFile, rows: number): void {
  file.rowsSinceNudge += rows;
  if (file.rowsSinceNudge >= CHECKPOINT_NUDGE_ROWS) {
    file.rowsSinceNudge = 0;
    file.checkpointer?.notifyCommitted();
    return;
  }
  if (file.nudgeTimer || file.rowsSinceNudge === 0) {
    return;
  }
  file.nudgeTimer = setTimeout(() => {
    file.nudgeTimer = undefined;
    if (file.rowsSinceNudge > 0) {
      file.rowsSinceNudge = 0;
      file.checkpointer?.notifyCommitted();
    }
  }, CHECKPOINT_NUDGE_MS);
  file.nudgeTimer.unref();
}

function hasCollectionTables(db: SqliteDatabase): boolean {
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
  clearTimeout(file.nudgeTimer);
  file.nudgeTimer = undefined;
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

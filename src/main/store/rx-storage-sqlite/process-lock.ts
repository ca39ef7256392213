import { openConnection, type SqliteDatabase } from './sqlite-driver';
import { StoreError } from './store-error';

/*
 * One process at a time owns a data file: two processes appending to one ledger would fork
 * this device's hash chain. The data file itself cannot carry that lock any more: its WAL is
 * shared with a second connection in this process (the background checkpointer, see
 * wal-checkpointer.ts), which SQLite's EXCLUSIVE locking mode would shut out. So the lock is
 * held on a small sibling file instead: a SQLite file in EXCLUSIVE locking mode keeps its write
 * lock from the first write until the connection closes, and the OS drops it when the process
 * dies, so a killed owner never leaves a stale lock behind. SQLite tracks locks per file inside
 * a process too, so a second open in this process is refused like one from another process.
 * The file is never deleted while the data file exists: unlinking a lock file that another
 * process is waiting on would let two owners in.
 */
export function lockFilePath(dataPath: string): string {
  return `${dataPath}.lock`;
}

export function acquireProcessLock(dataPath: string, timeoutMs: number): SqliteDatabase {
  const path = lockFilePath(dataPath);
  // Holds no data (a pid and a time), so it stays plain.
  const lock = openConnection(path, { timeoutMs, key: undefined });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    // The write lock is the first lock taken: two openers that both held a read lock first
    // would each wait for the other to let go.
    lock.exec('BEGIN EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    lock.exec('DELETE FROM owner');
    lock.prepare('INSERT INTO owner (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
    lock.exec('COMMIT');
    return lock;
  } catch (error) {
    lock.close();
    if (isSqliteBusy(error)) {
      throw new StoreError('STORE_LOCKED', `The data file ${dataPath} is in use by another process (is Consent Desk already running?).`, { cause: error });
    }
    throw error;
  }
}

export function isSqliteBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

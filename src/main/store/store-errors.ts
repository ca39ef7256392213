import { AppError } from '../app-error';
import { StoreError } from './rx-storage-sqlite';

/*
 * What the store's failures mean to the person at the keyboard. SQLite names the cause in the
 * error's code (SQLITE_FULL, SQLITE_IOERR_WRITE, …); each class gets an API error code and a
 * sentence that says what to do, instead of 'internal'. Nothing is written when these fire:
 * SQLite rolls the statement's transaction back, so the store is as it was before the call.
 */
type StoreProblem = { code: 'disk_full' | 'read_only' | 'store_error' | 'store_missing' | 'store_empty'; message: string };

const sqliteCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
};

const DISK_FULL = 'The disk is full, so nothing was saved. Free some space on the disk that holds the data folder (delete or move files you do not need), then try again. Reading and checking the history still work.';
const READ_ONLY = 'The data folder cannot be written to (it is read-only, or this account may not change it), so nothing was saved. Check the folder\'s permissions or the disk, then start Consent Desk again.';

const STORE_ERROR_PROBLEMS: Partial<Record<StoreError['code'], StoreProblem['code']>> = {
  STORE_MISSING: 'store_missing',
  STORE_EMPTY: 'store_empty',
  // A write after a read-only start (read-only-start.ts); its message says why and what to do.
  STORE_READ_ONLY: 'read_only',
};

export function describeStoreProblem(error: unknown): StoreProblem | undefined {
  if (error instanceof StoreError) {
    return { code: STORE_ERROR_PROBLEMS[error.code] ?? 'store_error', message: error.message };
  }
  const code = sqliteCode(error);
  if (!code) return undefined;
  if (code.startsWith('SQLITE_FULL') || (code === 'SQLITE_IOERR_WRITE' && /no space|disk is full|ENOSPC/i.test(String(error)))) {
    return { code: 'disk_full', message: DISK_FULL };
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') return { code: 'read_only', message: READ_ONLY };
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return { code: 'store_error', message: 'The data file is damaged. Nothing was changed; restore the data folder from a backup and tell your administrator.' };
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return { code: 'store_error', message: `The disk reported an error while the data was being read or written (${code}); nothing was changed. Check the disk, then try again.` };
  }
  return undefined;
}

// The AppError for a store failure, or undefined for anything else (a bug: 'internal').
export function storeAppError(error: unknown): AppError | undefined {
  const problem = describeStoreProblem(error);
  return problem ? new AppError(problem.code, problem.message, { cause: sqliteCode(error) ?? (error instanceof StoreError ? error.code : undefined) }) : undefined;
}

import { statfsSync } from 'node:fs';
import { StoreError } from './rx-storage-sqlite';

/*
 * A full disk must not lock people out of their consent records: when the store cannot be
 * opened for writing because the disk is full, the app starts read-only instead of refusing.
 * Two signs, checked in this order: the disk has less free space than a start needs
 * (MIN_START_FREE_BYTES: the log of the first writes, SQLite's shared-memory file, the files
 * beside the data), or the normal open failed with the disk's "no space" (SQLITE_FULL, the
 * shared-memory file that could not grow, ENOSPC from a file beside the data). Read-only
 * means: the data file is opened so that SQLite refuses every change (database-file.ts),
 * nothing else in the data folder is written, and sync and the relay inbox do not start.
 * Once there is room again, the next start is a normal one: nothing is remembered.
 */
export type StartMode =
  | { readOnly: false }
  | { readOnly: true; reason: 'disk_full'; freeBytes: number | null; message: string };

export const READ_ONLY_DISK_FULL =
  'Consent Desk started read-only because the disk that holds its data folder is full, so nothing was saved. You can still read and export. Free some space on that disk (delete or move files you do not need), then close and restart Consent Desk.';

// A start's own writes (the log of its first changes, SQLite's 32 KB shared-memory file,
// the start page and the history index beside the data) fit well within this.
export const MIN_START_FREE_BYTES = 8 * 1024 * 1024;

// Free bytes for this user on the disk that holds `dir`; null where the OS cannot say.
export function freeDiskBytes(dir: string): number | null {
  try {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return null;
  }
}

export function readOnlyDiskFull(freeBytes: number | null): StartMode {
  return { readOnly: true, reason: 'disk_full', freeBytes, message: READ_ONLY_DISK_FULL };
}

// Before opening: too little room for a start is a read-only start straight away.
export function startModeFor(dataDir: string, minFreeBytes: number = MIN_START_FREE_BYTES): StartMode {
  const free = freeDiskBytes(dataDir);
  return free !== null && free < minFreeBytes ? readOnlyDiskFull(free) : { readOnly: false };
}

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_IOERR_SHMSIZE']);

/*
 * True when a failed normal open failed for want of room. RxDB wraps what the storage throws
 * (in `parameters.error` or as `cause`), so the chain is followed a few links down.
 */
export function failedForWantOfRoom(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null || error instanceof StoreError) return false;
  const code = 'code' in error ? String((error as { code: unknown }).code) : '';
  if (code.startsWith('SQLITE_FULL') || DISK_FULL_CODES.has(code)) return true;
  if (code === 'SQLITE_IOERR_WRITE' && /no space|disk is full|ENOSPC/i.test(String(error))) return true;
  const parameters = 'parameters' in error ? (error as { parameters: unknown }).parameters : undefined;
  const wrapped = typeof parameters === 'object' && parameters !== null && 'error' in parameters ? (parameters as { error: unknown }).error : undefined;
  return failedForWantOfRoom(wrapped, depth + 1) || failedForWantOfRoom((error as { cause?: unknown }).cause, depth + 1);
}

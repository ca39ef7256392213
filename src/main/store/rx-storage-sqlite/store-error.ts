// Stable codes let callers (and the UI) react to a bad data file without parsing messages.
export type StoreErrorCode =
  | 'STORE_CORRUPT'
  | 'STORE_FOREIGN'
  | 'STORE_SCHEMA_MISMATCH'
  | 'STORE_CLOSED'
  | 'STORE_LOCKED'
  | 'STORE_NOT_SUPPORTED'
  | 'STORE_NOT_ENCRYPTED'
  | 'STORE_KEY_WRONG'
  | 'STORE_KEY_MISSING'
  | 'STORE_KEY_UNREADABLE'
  | 'STORE_MISSING'
  | 'STORE_EMPTY'
  // The app started read-only (a full disk): the message says why and what to do.
  | 'STORE_READ_ONLY';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

export function isSqliteCorruption(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) {
    return false;
  }
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && CORRUPTION_CODES.has(code);
}

export function isSqliteNotADatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'SQLITE_NOTADB';
}

// SQLite reports damage lazily, when a damaged page is first read; give it the same code as at open.
export function translateSqliteError(error: unknown, file: string, readOnly?: string): unknown {
  if (readOnly !== undefined && typeof error === 'object' && error !== null && 'code' in error && String((error as { code: unknown }).code).startsWith('SQLITE_READONLY')) {
    return new StoreError('STORE_READ_ONLY', readOnly, { cause: error });
  }
  if (isSqliteCorruption(error)) {
    return new StoreError('STORE_CORRUPT', `The data file ${file} is damaged: ${String(error)}`, { cause: error });
  }
  return error;
}

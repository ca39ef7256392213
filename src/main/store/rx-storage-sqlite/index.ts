import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RXDB_VERSION, ensureRxStorageInstanceParamsAreCorrect } from 'rxdb';
import type { RxDocumentData, RxJsonSchema, RxStorage, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';
import { acquireDatabaseFile, releaseDatabaseFile, type SynchronousMode } from './database-file';
import type { CipherKey, CipherScheme } from './sqlite-driver';
import { RxStorageInstanceSQLite, type SQLiteInstanceOptions, type SQLiteInternals } from './storage-instance';
import { StoreError } from './store-error';
import { moveRowsToFewerIndexes } from './table-move';
import { ensureCollectionTable, keyColumnIndexes } from './table-setup';

export type SQLiteStorageSettings = {
  directory: string;
  synchronous?: SynchronousMode;
  verifyOnOpen?: boolean;
  // Default true: one process at a time owns the file (see process-lock.ts).
  exclusive?: boolean;
  lockTimeoutMs?: number;
  // Default 1000: rows written before checkpoints move to a worker thread (wal-checkpointer.ts).
  backgroundCheckpointAfterRows?: number;
  // A 256-bit SQLCipher key (see sqlite-driver.ts); without it the file is plain SQLite.
  cipherKey?: CipherKey;
  // How the key encrypts pages (sqlite-driver.ts); default SQLCipher 4's own.
  cipherScheme?: CipherScheme;
  // SQLite's page cache per file in KiB (default 32 MB).
  cacheSizeKb?: number;
  // Opens the file for reading only, for a read-only start (database-file.ts); the text says
  // why, and is what every refused write answers.
  readOnly?: string;
};

export type RxStorageSQLite = RxStorage<SQLiteInternals, SQLiteInstanceOptions> & {
  /*
   * Outside RxDB's interface: moves a collection's rows from the table of `fromVersion` to the
   * table of `schema` (a later version with the same documents and a subset of the indexes,
   * as RxDB fills it in), without a document-by-document migration. False when the move does
   * not apply; see table-move.ts. The caller keeps RxDB's own records in step.
   */
  moveToFewerIndexes<RxDocType>(databaseName: string, collectionName: string, fromVersion: number, schema: RxJsonSchema<RxDocumentData<RxDocType>>): boolean;
};

export const RX_STORAGE_NAME_SQLITE = 'consentdesk-sqlite';

// A few bulk writes' worth: a store that only ever takes a handful of edits never starts the thread.
const DEFAULT_BACKGROUND_CHECKPOINT_ROWS = 1000;

export function databaseFilePath(directory: string, databaseName: string): string {
  // The name becomes a file name: refuse anything that could point outside the directory.
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(databaseName) || databaseName.includes('..')) {
    throw new StoreError('STORE_NOT_SUPPORTED', `Database name ${JSON.stringify(databaseName)} cannot be used as a file name.`);
  }
  return join(resolve(directory), `${databaseName}.sqlite`);
}

// One table per collection and schema version.
const tableName = (collectionName: string, version: number): string => `${collectionName}-${version}`;

export function getRxStorageSQLite(settings: SQLiteStorageSettings): RxStorageSQLite {
  const openOptions = {
    synchronous: settings.synchronous ?? 'FULL',
    verifyOnOpen: settings.verifyOnOpen ?? false,
    exclusive: settings.exclusive ?? true,
    lockTimeoutMs: settings.lockTimeoutMs ?? 2000,
    backgroundCheckpointAfterRows: settings.backgroundCheckpointAfterRows ?? DEFAULT_BACKGROUND_CHECKPOINT_ROWS,
    cipherKey: settings.cipherKey,
    cipherScheme: settings.cipherScheme,
    cacheSizeKb: settings.cacheSizeKb,
    readOnly: settings.readOnly,
  };
  const storage: RxStorageSQLite = {
    name: RX_STORAGE_NAME_SQLITE,
    rxdbVersion: RXDB_VERSION,
    createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, SQLiteInstanceOptions>,
    ): Promise<RxStorageInstance<RxDocType, SQLiteInternals, SQLiteInstanceOptions>> {
      try {
        ensureRxStorageInstanceParamsAreCorrect(params);
        if (params.schema.attachments) {
          throw new StoreError('STORE_NOT_SUPPORTED', `Collection ${params.collectionName}: attachments are not supported by the SQLite storage.`);
        }
        mkdirSync(settings.directory, { recursive: true });
        const file = acquireDatabaseFile(databaseFilePath(settings.directory, params.databaseName), openOptions);
        const table = tableName(params.collectionName, params.schema.version);
        try {
          ensureCollectionTable(file.db, table, keyColumnIndexes(params.schema), openOptions.readOnly);
          return Promise.resolve(new RxStorageInstanceSQLite<RxDocType>(
            storage, params.databaseName, params.collectionName, params.schema, params.options, file, table,
          ));
        } catch (error) {
          // This instance never wrote, so the file has no checkpoint worker and closes at once.
          void releaseDatabaseFile(file);
          throw error;
        }
      } catch (error) {
        return Promise.reject(error);
      }
    },
    moveToFewerIndexes(databaseName, collectionName, fromVersion, schema) {
      if (openOptions.readOnly !== undefined) throw new StoreError('STORE_READ_ONLY', `${openOptions.readOnly} (This version of Consent Desk must first upgrade the data file.)`);
      const file = acquireDatabaseFile(databaseFilePath(settings.directory, databaseName), openOptions);
      try {
        return moveRowsToFewerIndexes(file.db, tableName(collectionName, fromVersion), tableName(collectionName, schema.version), keyColumnIndexes(schema));
      } finally {
        // Runs before RxDB opens the file: no rows written, no checkpoint worker, closed at once.
        void releaseDatabaseFile(file);
      }
    },
  };
  return storage;
}

// Test and diagnostics hook: the SQLite instance behind an RxCollection (`collection.internalStorageInstance`).
export function asSQLiteInstance<RxDocType>(instance: unknown): RxStorageInstanceSQLite<RxDocType> | undefined {
  return instance instanceof RxStorageInstanceSQLite ? (instance as RxStorageInstanceSQLite<RxDocType>) : undefined;
}

export { bulkInsertChunked, type ChunkedInsertOptions, type ChunkedInsertResult } from './bulk-insert-chunked';
export { RxStorageInstanceSQLite, type SQLiteCheckpoint, type SQLiteInstanceOptions, type SQLiteInternals } from './storage-instance';
export { StoreError, type StoreErrorCode } from './store-error';
export { CIPHER_KEY_BYTES, CIPHER_SCHEMES, openConnection, type CipherKey, type CipherScheme, type SqliteDatabase } from './sqlite-driver';
export { hasPlainSqliteHeader } from './database-file';

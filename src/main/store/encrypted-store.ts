import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretProtection } from '../../shared/api/sync-channels';
import { DatabaseKeyError, hasDatabaseKey, newDatabaseKey, readDatabaseKey, SCHEME_OF_UNMARKED_FILES, syncDirectory, writeDatabaseKey } from '../secrets/database-key';
import type { ActiveSecretStore } from '../secrets/secret-store';
import { encryptingPath, hasLeftoverEncryptingFile, type MigrationResult, type MigrationStep, migratePlainStore, removeLeftoverEncryptingFile } from './plain-store-migration';
import { acquireProcessLock } from './rx-storage-sqlite/process-lock';
import { FORMAT_MARKER, FORMAT_VERSION, META_TABLE, hasPlainSqliteHeader, quoteIdent } from './rx-storage-sqlite/database-file';
import { type CipherKey, type CipherScheme, openConnection, StoreError } from './rx-storage-sqlite';

/*
 * Decides, before RxDB opens anything, which key the data file is opened with, and puts the
 * folder in the one state the storage accepts: an encrypted file and its wrapped key. Four
 * starting states are accepted: a fresh folder (a key and an encrypted file are made), a plain
 * store from before encryption (migrated), an encrypted store with its key, and the leftovers
 * of a first start that stopped between writing the key and placing the file. Everything else is
 * refused with a StoreError and the folder is left as it was: above all, a folder that has
 * held data (a key or a device id) but whose database is missing or empty is never given a
 * new empty store, because that would look like a store with no consents.
 */

/*
 * The page scheme of new stores and of plain stores encrypted now. SQLCipher 4 with 16 KB pages:
 * the same cipher and per-page HMAC as 4 KB SQLCipher 4 (nothing weakened, SQLCipher tools read
 * it with cipher_page_size = 16384), at a quarter of the pages. bench/store/encryption.bench.ts,
 * against plain in the same run: at 200,000 events 1.07× plain's insert CPU (4 KB pages 1.43×,
 * ChaCha20 1.23×, 4 KB pages with a 64 MB cache 1.52×); at 1,000,000 events 1.02× wall and
 * 1.77× CPU (4 KB pages 1.85× and 2.11×, ChaCha20 1.10× and 1.66×, which would give up the
 * SQLCipher format for little). Existing stores keep the scheme their key file names (database-key.ts).
 */
export const NEW_STORE_SCHEME: CipherScheme = 'sqlcipher-v4-16k';

export type EncryptedStore = {
  dbPath: string;
  scheme: CipherScheme;
  // Undefined only for a plain store read as it is at a read-only start (findStoreAsItIs).
  key: CipherKey | undefined;
  protection: SecretProtection;
  migrated: MigrationResult | undefined;
};

export type PrepareOptions = {
  // Crash tests stop the process at a step of the migration.
  onMigrationStep?: (step: MigrationStep) => void;
  lockTimeoutMs?: number;
};

// Files that only a folder which has held a store has.
const SIGNS_OF_A_STORE = ['device-id', 'device-key.json'];

function folderHasHeldAStore(dataDir: string): boolean {
  return hasDatabaseKey(dataDir) || SIGNS_OF_A_STORE.some((name) => existsSync(join(dataDir, name)));
}

function readKey(dataDir: string, secrets: ActiveSecretStore): { key: CipherKey; protection: SecretProtection; scheme: CipherScheme } | undefined {
  try {
    return readDatabaseKey(dataDir, secrets);
  } catch (error) {
    if (error instanceof DatabaseKeyError) {
      throw new StoreError(error.problem === 'key_unreadable' ? 'STORE_KEY_UNREADABLE' : 'STORE_KEY_MISSING', error.message, { cause: error });
    }
    throw error;
  }
}

// A new, empty encrypted file under the temporary name; placed once its key is on disk.
function createEncryptedFile(path: string, key: CipherKey, scheme: CipherScheme): void {
  removeLeftoverEncryptingFile(path.slice(0, -'.encrypting'.length));
  const db = openConnection(path, { timeoutMs: 2000, key, scheme });
  try {
    // The same first rows the storage writes into a new file, so it opens this one as its own.
    db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdent(META_TABLE)} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
    db.prepare(`INSERT OR IGNORE INTO ${quoteIdent(META_TABLE)} (key, value) VALUES ('format', ?), ('formatVersion', ?)`).run(FORMAT_MARKER, FORMAT_VERSION);
  } finally {
    db.close();
  }
}

export function prepareEncryptedStore(dataDir: string, databaseName: string, secrets: ActiveSecretStore, options: PrepareOptions = {}): EncryptedStore {
  const dbPath = join(dataDir, `${databaseName}.sqlite`);
  const lockTimeoutMs = options.lockTimeoutMs ?? 2000;
  const existing = readKey(dataDir, secrets);
  const size = existsSync(dbPath) ? statSync(dbPath).size : undefined;

  if (size === undefined || size === 0) {
    if (size === undefined && existing && hasLeftoverEncryptingFile(dbPath)) {
      // A first start stopped after writing the key: the file it made is complete, place it.
      renameSync(encryptingPath(dbPath), dbPath);
      syncDirectory(dataDir);
      return { dbPath, ...existing, migrated: undefined };
    }
    if (size === 0) {
      throw new StoreError('STORE_EMPTY', `The data file ${dbPath} is empty (0 bytes). Consent Desk will not start over on it: restore the file from a backup, or move the data folder aside to start with a new, empty store.`);
    }
    if (folderHasHeldAStore(dataDir)) {
      throw new StoreError('STORE_MISSING', `The data file ${dbPath} is missing, but this data folder has held a store (its key or device id is here). Consent Desk will not start over: restore the file from a backup, or move the data folder aside to start with a new, empty store.`);
    }
    const key = newDatabaseKey();
    createEncryptedFile(encryptingPath(dbPath), key, NEW_STORE_SCHEME);
    const written = writeDatabaseKey(dataDir, secrets, key, NEW_STORE_SCHEME);
    renameSync(encryptingPath(dbPath), dbPath);
    syncDirectory(dataDir);
    return { dbPath, ...written, migrated: undefined };
  }

  if (hasPlainSqliteHeader(dbPath)) {
    // Nobody else may be using the plain file while it is copied and replaced.
    const lock = acquireProcessLock(dbPath, lockTimeoutMs);
    try {
      const keyed = existing ?? writeDatabaseKey(dataDir, secrets, newDatabaseKey(), NEW_STORE_SCHEME);
      const migrated = migratePlainStore(dbPath, keyed.key, keyed.scheme, options.onMigrationStep);
      return { dbPath, ...keyed, migrated };
    } finally {
      lock.close();
    }
  }

  removeLeftoverEncryptingFile(dbPath);
  if (!existing) {
    throw new StoreError('STORE_KEY_MISSING', `The data file ${dbPath} is encrypted, but its key file (database-key.json) is missing from the data folder. Restore the key file from a backup of this folder; without it the data cannot be read.`);
  }
  return { dbPath, ...existing, migrated: undefined };
}

/*
 * For a read-only start (read-only-start.ts): the store as it is on disk, changing nothing.
 * No migration, no leftovers tidied: a plain store from before encryption is read as it is.
 * A missing or empty data file is refused as at a normal start.
 */
export function findStoreAsItIs(dataDir: string, databaseName: string, secrets: ActiveSecretStore, readOnly: string): EncryptedStore {
  const dbPath = join(dataDir, `${databaseName}.sqlite`);
  const size = existsSync(dbPath) ? statSync(dbPath).size : undefined;
  if (size === 0) {
    throw new StoreError('STORE_EMPTY', `The data file ${dbPath} is empty (0 bytes). Consent Desk will not start over on it: restore the file from a backup, or move the data folder aside to start with a new, empty store.`);
  }
  if (size === undefined) {
    throw new StoreError('STORE_READ_ONLY', `${readOnly} (There is no data file yet, so there is nothing to read.)`);
  }
  if (hasPlainSqliteHeader(dbPath)) {
    return { dbPath, key: undefined, scheme: SCHEME_OF_UNMARKED_FILES, protection: readKey(dataDir, secrets)?.protection ?? secrets.protection, migrated: undefined };
  }
  const existing = readKey(dataDir, secrets);
  if (!existing) {
    throw new StoreError('STORE_KEY_MISSING', `The data file ${dbPath} is encrypted, but its key file (database-key.json) is missing from the data folder. Restore the key file from a backup of this folder; without it the data cannot be read.`);
  }
  return { dbPath, ...existing, migrated: undefined };
}

import { join } from 'node:path';
import { readDatabaseKey } from '../../src/main/secrets/database-key';
import { chooseSecretStore } from '../../src/main/secrets/secret-store';
import { type CipherKey, openConnection, type SqliteDatabase } from '../../src/main/store/rx-storage-sqlite';
import { APP_DATABASE_NAME } from '../../src/main/store/storage';

// The key of an app data folder made in a test (no OS store there: the key file unwraps it).
export function appStoreKey(dataDir: string): CipherKey {
  const key = readDatabaseKey(dataDir, chooseSecretStore(dataDir, undefined));
  if (!key) throw new Error(`${dataDir} has no database key`);
  return key.key;
}

// The app's encrypted SQLite file, opened directly (with its key) to look at tables and rows.
export function openAppStoreFile(dataDir: string): SqliteDatabase {
  return openConnection(join(dataDir, `${APP_DATABASE_NAME}.sqlite`), { timeoutMs: 2000, fileMustExist: true, key: appStoreKey(dataDir) });
}

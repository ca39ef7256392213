import { join } from 'node:path';
import { readDatabaseKey } from '../../src/main/secrets/database-key';
import { chooseSecretStore } from '../../src/main/secrets/secret-store';
import { type CipherKey, type CipherScheme, openConnection, type SqliteDatabase } from '../../src/main/store/rx-storage-sqlite';
import { APP_DATABASE_NAME } from '../../src/main/store/storage';

// The key of an app data folder made in a test (no OS store there: the key file unwraps it),
// with the page scheme it encrypts with.
export function appStoreCipher(dataDir: string): { cipherKey: CipherKey; cipherScheme: CipherScheme } {
  const key = readDatabaseKey(dataDir, chooseSecretStore(dataDir, undefined));
  if (!key) throw new Error(`${dataDir} has no database key`);
  return { cipherKey: key.key, cipherScheme: key.scheme };
}

// The app's encrypted SQLite file, opened directly (with its key) to look at tables and rows.
export function openAppStoreFile(dataDir: string): SqliteDatabase {
  const { cipherKey, cipherScheme } = appStoreCipher(dataDir);
  return openConnection(join(dataDir, `${APP_DATABASE_NAME}.sqlite`), { timeoutMs: 2000, fileMustExist: true, key: cipherKey, scheme: cipherScheme });
}

import type { RxStorage } from 'rxdb';
import type { SecretProtection } from '../../shared/api/sync-channels';
import { chooseSecretStore, type ActiveSecretStore } from '../secrets/secret-store';
import { findStoreAsItIs, prepareEncryptedStore, type PrepareOptions } from './encrypted-store';
import { type CipherScheme, getRxStorageSQLite } from './rx-storage-sqlite';

export const APP_DATABASE_NAME = 'consentdesk';

export type AppStorage = {
  storage: RxStorage<unknown, unknown>;
  name: string;
  // How the database key is kept: in the OS store, or in the key file beside the data.
  protection: SecretProtection;
  // The data key, from which the sealed files beside the database derive theirs (sealed-file.ts);
  // undefined only for a plain store from before encryption read at a read-only start.
  key: Buffer | undefined;
  // How the key encrypts the file's pages (sqlite-driver.ts), for connections of its own.
  scheme: CipherScheme;
};

export type AppStorageOptions = PrepareOptions & {
  // A read-only start (read-only-start.ts): why nothing may be written. The folder is read as it is.
  readOnly?: string;
};

// The app's durable storage: one encrypted SQLite file per database in the data folder.
// Without an OS store the key is wrapped by the key file beside the data (secret-store.ts).
export function createAppStorage(dataDir: string, secrets: ActiveSecretStore = chooseSecretStore(dataDir, undefined), options: AppStorageOptions = {}): AppStorage {
  const { readOnly } = options;
  const prepared = readOnly === undefined ? prepareEncryptedStore(dataDir, APP_DATABASE_NAME, secrets, options) : findStoreAsItIs(dataDir, APP_DATABASE_NAME, secrets, readOnly);
  return {
    storage: getRxStorageSQLite({ directory: dataDir, synchronous: 'NORMAL', cipherKey: prepared.key, cipherScheme: prepared.scheme, readOnly }) as RxStorage<unknown, unknown>,
    name: APP_DATABASE_NAME,
    protection: prepared.protection,
    key: prepared.key,
    scheme: prepared.scheme,
  };
}

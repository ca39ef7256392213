import type { RxStorage } from 'rxdb';
import type { SecretProtection } from '../../shared/api/sync-channels';
import { chooseSecretStore, type ActiveSecretStore } from '../secrets/secret-store';
import { prepareEncryptedStore, type PrepareOptions } from './encrypted-store';
import { getRxStorageSQLite } from './rx-storage-sqlite';

export const APP_DATABASE_NAME = 'consentdesk';

export type AppStorage = {
  storage: RxStorage<unknown, unknown>;
  name: string;
  // How the database key is kept: in the OS store, or in the key file beside the data.
  protection: SecretProtection;
  // The data key, from which the sealed files beside the database derive theirs (sealed-file.ts).
  key: Buffer;
};

// The app's durable storage: one encrypted SQLite file per database in the data folder.
// Without an OS store the key is wrapped by the key file beside the data (secret-store.ts).
export function createAppStorage(dataDir: string, secrets: ActiveSecretStore = chooseSecretStore(dataDir, undefined), options: PrepareOptions = {}): AppStorage {
  const prepared = prepareEncryptedStore(dataDir, APP_DATABASE_NAME, secrets, options);
  return {
    storage: getRxStorageSQLite({ directory: dataDir, synchronous: 'NORMAL', cipherKey: prepared.key }) as RxStorage<unknown, unknown>,
    name: APP_DATABASE_NAME,
    protection: prepared.protection,
    key: prepared.key,
  };
}

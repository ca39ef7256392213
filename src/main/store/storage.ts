import type { RxStorage } from 'rxdb';
import { getRxStorageSQLite } from './rx-storage-sqlite';

// The app's durable storage: one SQLite file per database in the data folder.
export function createAppStorage(dataDir: string): { storage: RxStorage<unknown, unknown>; name: string } {
  return { storage: getRxStorageSQLite({ directory: dataDir, synchronous: 'NORMAL' }) as RxStorage<unknown, unknown>, name: 'consentdesk' };
}

import { createHash } from 'node:crypto';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';

// The app's storage for a data folder. Memory until the durable SQLite storage lands;
// the memory storage is process-global by name, so the name carries the folder.
export function createAppStorage(dataDir: string): { storage: RxStorage<unknown, unknown>; name: string } {
  const suffix = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return { storage: getRxStorageMemory() as RxStorage<unknown, unknown>, name: `consentdesk${suffix}` };
}

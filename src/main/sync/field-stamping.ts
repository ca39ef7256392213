import type { RxCollection } from 'rxdb';
import type { AppDatabase } from '../store/database';
import { fieldStamp, type FieldClock } from './field-clock';
import { sameValue } from './field-merge';
import { SYNCED_COLLECTIONS, syncedCollectionNames } from './sync-collections';

// Fields that are bookkeeping or merge by their own rule, never stamped.
const UNSTAMPED = new Set(['_deleted', '_attachments', '_meta', '_rev', 'fieldClock', 'updatedAt', 'createdAt']);

type Data = Record<string, unknown> & { fieldClock?: FieldClock };

// Every local update of a mutable shared document stamps the fields it changed, whoever
// the writer is (services, imports, bulk edits, settings upserts): RxDB runs pre-save hooks
// on every document update through the collection, and never on writes the replication
// makes, so documents arriving from the server keep their own stamps.
export function installFieldStamping(db: AppDatabase, deviceId: string, now: () => Date): void {
  for (const name of syncedCollectionNames()) {
    if (SYNCED_COLLECTIONS[name] !== 'field_lww') continue;
    const collection = db.collections[name] as unknown as RxCollection<Data>;
    const primaryKey = collection.schema.primaryPath as string;
    collection.preSave((next: Data, previous: unknown) => {
      const before = previous as Data;
      const changed = Object.keys({ ...before, ...next }).filter(
        (k) => k !== primaryKey && !UNSTAMPED.has(k) && !sameValue(before[k], next[k]),
      );
      if (changed.length === 0) {
        if (before.fieldClock && !next.fieldClock) next.fieldClock = before.fieldClock;
        return;
      }
      const clock: FieldClock = { ...(before.fieldClock ?? {}), ...(next.fieldClock ?? {}) };
      const at = typeof next.updatedAt === 'string' && next.updatedAt !== before.updatedAt ? next.updatedAt : now().toISOString();
      for (const f of changed) {
        // A writer that stamped the field itself (the contact service) keeps its stamp.
        if (next.fieldClock?.[f] !== undefined && next.fieldClock[f] !== before.fieldClock?.[f]) continue;
        clock[f] = fieldStamp(at, deviceId);
      }
      next.fieldClock = clock;
    }, false);
  }
}

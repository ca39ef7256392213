import type { Subscription } from 'rxjs';
import type { AppDatabase } from '../store/database';
import { syncedCollectionNames, type SyncedCollection } from './sync-collections';

// Writes made on this device that the server has not confirmed yet. A write counts from
// the moment it is stored; a collection's count drops to zero when its replication goes
// idle while the server answers (RxDB keeps a replication busy until every local write
// is pushed). Counted since the app started: after a restart the first sync settles it.
export type PendingChanges = {
  count(): number;
  settled(collection: SyncedCollection): void;
  close(): void;
};

// Writes made by the replication itself (documents arriving from the server) carry this
// context prefix in RxDB and are not local changes.
export const DOWNSTREAM_CONTEXT = 'replication-downstream-';

// `counting` says whether sync is set up at all: without a server there is nothing pending,
// and a device that never syncs would otherwise keep the id of every write it ever made.
export function trackPendingChanges(db: AppDatabase, onChange: () => void, counting: () => boolean): PendingChanges {
  const pending = new Map<SyncedCollection, Set<string>>();
  const subs: Subscription[] = [];
  for (const name of syncedCollectionNames()) {
    const ids = new Set<string>();
    pending.set(name, ids);
    subs.push(
      db.collections[name].eventBulks$.subscribe((bulk) => {
        if (bulk.context.startsWith(DOWNSTREAM_CONTEXT) || !counting()) return;
        const before = ids.size;
        for (const ev of bulk.events) ids.add(ev.documentId);
        if (ids.size !== before) onChange();
      }),
    );
  }
  return {
    count: () => [...pending.values()].reduce((n, s) => n + s.size, 0),
    settled(collection) {
      const ids = pending.get(collection);
      if (ids && ids.size > 0) {
        ids.clear();
        onChange();
      }
    },
    close: () => subs.forEach((s) => s.unsubscribe()),
  };
}

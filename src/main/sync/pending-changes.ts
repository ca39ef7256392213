import type { Subscription } from 'rxjs';
import type { AppDatabase } from '../store/database';
import { syncedCollectionNames, type SyncedCollection } from './sync-collections';

// Writes made on this device that the server has not confirmed yet. A write counts from
// the moment it is stored. When a collection's replication goes idle while the server
// answers, the writes made before that round of work began are settled (RxDB keeps a
// replication busy until every local write it has seen is pushed). A write made while the
// replication was already busy may not be part of that round (RxDB picks it up a moment
// later, and a round can be a read only), so it waits for the next round to settle.
// Counted since the app started: after a restart the first sync settles it.
export type PendingChanges = {
  count(): number;
  // A collection's replication went from idle to busy.
  roundStarted(collection: SyncedCollection): void;
  // ... and back to idle, with the server answering.
  settled(collection: SyncedCollection): void;
  close(): void;
};

// Writes made by the replication itself (documents arriving from the server) carry this
// context prefix in RxDB and are not local changes.
export const DOWNSTREAM_CONTEXT = 'replication-downstream-';

// `counting` says whether sync is set up at all: without a server there is nothing pending,
// and a device that never syncs would otherwise keep the id of every write it ever made.
export function trackPendingChanges(db: AppDatabase, onChange: () => void, counting: () => boolean): PendingChanges {
  // Per collection: document id → the number of the latest local write to it.
  const pending = new Map<SyncedCollection, Map<string, number>>();
  // Per collection: the last write number when its current round of work began.
  const roundFrom = new Map<SyncedCollection, number>();
  let writes = 0;
  const subs: Subscription[] = [];
  for (const name of syncedCollectionNames()) {
    const ids = new Map<string, number>();
    pending.set(name, ids);
    subs.push(
      db.collections[name].eventBulks$.subscribe((bulk) => {
        if (bulk.context.startsWith(DOWNSTREAM_CONTEXT) || !counting()) return;
        const before = ids.size;
        for (const ev of bulk.events) ids.set(ev.documentId, ++writes);
        if (ids.size !== before) onChange();
      }),
    );
  }
  return {
    count: () => [...pending.values()].reduce((n, s) => n + s.size, 0),
    roundStarted(collection) {
      roundFrom.set(collection, writes);
    },
    settled(collection) {
      const ids = pending.get(collection);
      const from = roundFrom.get(collection);
      if (!ids || ids.size === 0 || from === undefined) return;
      const before = ids.size;
      for (const [id, at] of ids) if (at <= from) ids.delete(id);
      if (ids.size !== before) onChange();
    },
    close: () => subs.forEach((s) => s.unsubscribe()),
  };
}

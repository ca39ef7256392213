import { combineLatest, type Subscription } from 'rxjs';
import type { RxCollection } from 'rxdb';
import { replicateCouchDB, type RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { AppDatabase } from '../store/database';
import type { InstalledHandlers } from './conflict-handlers';
import { createCouchFetch, joinUrl, type CouchCredentials, type CouchFetchObserver } from './couch-http';
import { remoteDatabaseName, syncedCollectionNames, type SyncedCollection } from './sync-collections';

export type SessionOptions = {
  db: AppDatabase;
  url: string;
  database: string;
  credentials: CouchCredentials;
  handlers: InstalledHandlers;
  observer: CouchFetchObserver;
  // Called with the set of collections whose replication is busy (empty = idle).
  onActivity(busy: ReadonlySet<SyncedCollection>, idle: SyncedCollection | null): void;
  retryMs: number;
  // How often every replication re-reads the server's changes from its checkpoint.
  catchUpMs: number;
  batchSize: number;
};

export type ReplicationSession = {
  awaitInSync(): Promise<void>;
  stop(): Promise<void>;
};

// One live replication per shared collection, all over one authenticated fetch. Each runs
// until stopped; failed requests are retried every `retryMs` without bothering anyone.
export function startReplicationSession(o: SessionOptions): ReplicationSession {
  const abort = new AbortController();
  const fetch = createCouchFetch(o.credentials, abort.signal, o.observer);
  const states: Array<RxCouchDBReplicationState<unknown>> = [];
  const subs: Subscription[] = [];
  const busy = new Set<SyncedCollection>();
  // Idle before the first round of work says nothing about being in sync.
  const started = new Set<SyncedCollection>();
  for (const name of syncedCollectionNames()) {
    const collection = o.db.collections[name] as unknown as RxCollection<unknown>;
    const primaryKey = collection.schema.primaryPath as string;
    const state = replicateCouchDB<unknown>({
      replicationIdentifier: `couchdb:${o.url}:${remoteDatabaseName(o.database, name)}`,
      collection,
      url: `${joinUrl(o.url, encodeURIComponent(remoteDatabaseName(o.database, name)))}/`,
      fetch,
      live: true,
      retryTime: o.retryMs,
      // One main process owns the database; there is no leader to wait for.
      waitForLeadership: false,
      pull: { batchSize: o.batchSize, heartbeat: 30_000 },
      push: {
        batchSize: o.batchSize,
        modifier: (doc: unknown) => {
          const id = (doc as Record<string, unknown>)[primaryKey];
          return typeof id === 'string' && o.handlers.skipPush(name, id) ? null : doc;
        },
      },
    });
    states.push(state);
    subs.push(
      combineLatest([state.active$, state.canceled$]).subscribe(([active, canceled]) => {
        if (active && !canceled) {
          started.add(name);
          busy.add(name);
          o.onActivity(busy, null);
        } else {
          busy.delete(name);
          o.onActivity(busy, canceled || !started.has(name) ? null : name);
        }
      }),
      // Errors are reported through the fetch observer in plain words; RxDB's own error
      // objects only repeat them, and must be consumed so they are not unhandled.
      state.error$.subscribe(() => undefined),
    );
  }
  /*
   * RxDB's CouchDB pull follows the server with a long-poll that starts at `since=now`, next to
   * its first catch-up read from the checkpoint: a change that lands between the two is in
   * neither, and would only arrive after the next restart. A catch-up read now and then (one
   * small `_changes` request per collection when nothing is new) bounds that to catchUpMs.
   */
  const catchUp = setInterval(() => {
    for (const s of states) s.reSync();
  }, o.catchUpMs);
  catchUp.unref?.();
  return {
    async awaitInSync() {
      await Promise.all(states.map((s) => s.awaitInSync()));
    },
    async stop() {
      clearInterval(catchUp);
      abort.abort();
      for (const s of subs) s.unsubscribe();
      await Promise.all(states.map((s) => s.cancel()));
    },
  };
}

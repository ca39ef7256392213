import { combineLatest, firstValueFrom, type Subscription } from 'rxjs';
import type { RxCollection } from 'rxdb';
import { replicateCouchDB, type RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { AppDatabase } from '../store/database';
import type { ArrivalGate } from './arrival-gate';
import { checkedArrivals } from './arrival-fetch';
import type { InstalledHandlers } from './conflict-handlers';
import { createCouchFetch, joinUrl, type CouchCredentials, type CouchFetchObserver } from './couch-http';
import { liveFeedAsNudge } from './live-feed-nudge';
import { remoteDatabaseName, syncedCollectionNames, type SyncedCollection } from './sync-collections';

export type SessionOptions = {
  db: AppDatabase;
  url: string;
  database: string;
  credentials: CouchCredentials;
  handlers: InstalledHandlers;
  gate: ArrivalGate;
  observer: CouchFetchObserver;
  // Called with the set of collections whose replication is busy (empty = idle).
  onActivity(busy: ReadonlySet<SyncedCollection>, idle: SyncedCollection | null): void;
  // A collection's replication went from idle to busy (including catch-up reads not shown as busy).
  onRoundStarted(collection: SyncedCollection): void;
  retryMs: number;
  // How often every replication re-reads the server's changes from its checkpoint.
  catchUpMs: number;
  // Documents per `_bulk_docs` request sent.
  batchSize: number;
  // Documents per `_changes` page read (see PULL_BATCH_SIZE).
  pullBatchSize: number;
  // A document the server took without a conflict (the chain-head publisher follows its own events).
  onPushed?(collection: SyncedCollection, doc: unknown): void;
  // A read from the checkpoint reached the end of the server's changes (arrival-fetch.ts).
  onCaughtUp?(collection: SyncedCollection, readStartedAt: number): void;
};

export type ReplicationSession = {
  awaitInSync(): Promise<void>;
  stop(): Promise<void>;
};

/*
 * A page of `_changes` costs a round trip, a pass of the arrival checks, two RxDB writes (the
 * documents and their replication state) and a checkpoint, whatever its size: at 100 documents
 * a page, a joining device spends most of its time on those per-page costs. Pages of 1,000
 * (about 1 MB of events) cut them tenfold.
 */
export const PULL_BATCH_SIZE = 1000;
/*
 * The same for pushes (each is an `_all_docs` read of the current revisions, then a
 * `_bulk_docs` write), and the pages other devices read follow them: their live feed wakes on
 * each write, so a device pushing 100 at a time makes every other device pull 100 at a time.
 */
export const PUSH_BATCH_SIZE = 1000;

/*
 * An event names its contact; one pulled before that contact is kept aside and checked again
 * when the contact arrives (a write, a re-check and a second write, per event). A device that
 * joins late would do that for most of its ledger, since every collection replicates at once.
 * So the ledger's replication starts once the contacts' first round has ended (or failed), or
 * after FIRST_ROUND_WAIT_MS at most, so that a slow contacts round never holds the ledger back.
 */
const AFTER_CONTACTS: ReadonlySet<SyncedCollection> = new Set(['consent_events']);
const FIRST_ROUND_WAIT_MS = 30_000;

// One live replication per shared collection, all over one authenticated fetch. Each runs
// until stopped; failed requests are retried every `retryMs` without bothering anyone.
export function startReplicationSession(o: SessionOptions): ReplicationSession {
  const abort = new AbortController();
  const fetch = createCouchFetch(o.credentials, abort.signal, o.observer);
  const replications: Array<{ name: SyncedCollection; state: RxCouchDBReplicationState<unknown> }> = [];
  const subs: Subscription[] = [];
  const busy = new Set<SyncedCollection>();
  // Idle before the first round of work says nothing about being in sync.
  const started = new Set<SyncedCollection>();
  const active = new Set<SyncedCollection>();
  // Collections whose activity since the last catch-up read has moved no document: not
  // reported as work, or the status would show "syncing" for a round trip every catchUpMs on
  // a slow link. The first document received or sent makes it work again.
  const quietCatchUp = new Set<SyncedCollection>();
  const showBusy = (name: SyncedCollection) => {
    busy.add(name);
    o.onActivity(busy, null);
  };
  for (const name of syncedCollectionNames()) {
    const collection = o.db.collections[name] as unknown as RxCollection<unknown>;
    const primaryKey = collection.schema.primaryPath as string;
    const state = replicateCouchDB<unknown>({
      replicationIdentifier: `couchdb:${o.url}:${remoteDatabaseName(o.database, name)}`,
      collection,
      url: `${joinUrl(o.url, encodeURIComponent(remoteDatabaseName(o.database, name)))}/`,
      fetch: checkedArrivals(liveFeedAsNudge(fetch, () => state.reSync()), name, o.gate, o.onCaughtUp),
      live: true,
      retryTime: o.retryMs,
      autoStart: !AFTER_CONTACTS.has(name),
      // One main process owns the database; there is no leader to wait for.
      waitForLeadership: false,
      pull: { batchSize: o.pullBatchSize, heartbeat: 30_000 },
      push: {
        batchSize: o.batchSize,
        modifier: (doc: unknown) => {
          const id = (doc as Record<string, unknown>)[primaryKey];
          return typeof id === 'string' && o.handlers.skipPush(name, id) ? null : doc;
        },
      },
    });
    replications.push({ name, state });
    const documentMoved = () => {
      if (quietCatchUp.delete(name) && active.has(name)) showBusy(name);
    };
    subs.push(
      combineLatest([state.active$, state.canceled$]).subscribe(([isActive, canceled]) => {
        if (isActive && !canceled) {
          started.add(name);
          if (!active.has(name)) o.onRoundStarted(name);
          active.add(name);
          if (!quietCatchUp.has(name)) showBusy(name);
        } else {
          // A catch-up read can go active and idle more than once (RxDB drops a task queued
          // before its last read, then reads); the collection stays quiet until something moves.
          active.delete(name);
          busy.delete(name);
          o.onActivity(busy, canceled || !started.has(name) ? null : name);
        }
      }),
      state.received$.subscribe(documentMoved),
      state.sent$.subscribe((doc) => {
        documentMoved();
        o.onPushed?.(name, doc);
      }),
      // Errors are reported through the fetch observer in plain words; RxDB's own error
      // objects only repeat them, and must be consumed so they are not unhandled.
      state.error$.subscribe(() => undefined),
    );
  }
  const contacts = replications.find((r) => r.name === 'contacts')?.state;
  let firstRoundTimer: NodeJS.Timeout | undefined;
  const firstRoundOver = contacts
    ? Promise.race([
        contacts.awaitInitialReplication(),
        firstValueFrom(contacts.error$),
        new Promise<void>((resolve) => {
          firstRoundTimer = setTimeout(resolve, FIRST_ROUND_WAIT_MS);
          firstRoundTimer.unref?.();
        }),
      ])
    : Promise.resolve();
  void firstRoundOver
    .catch(() => undefined)
    .then(() => {
      clearTimeout(firstRoundTimer);
      if (abort.signal.aborted) return;
      for (const { name, state } of replications) if (AFTER_CONTACTS.has(name)) state.start().catch(() => undefined);
    });
  /*
   * The live feed cannot tell of a change made just before it opened (live-feed-nudge.ts); when
   * no later change nudges the replication, a read from the checkpoint now and then (one small
   * `_changes` request per collection when nothing is new) brings it within catchUpMs.
   */
  const catchUp = setInterval(() => {
    for (const { name, state } of replications) {
      // A collection already at work shows as busy anyway; the read is part of that work.
      if (!busy.has(name)) quietCatchUp.add(name);
      state.reSync();
    }
  }, o.catchUpMs);
  catchUp.unref?.();
  return {
    async awaitInSync() {
      await Promise.all(replications.map(({ state }) => state.awaitInSync()));
    },
    async stop() {
      clearInterval(catchUp);
      clearTimeout(firstRoundTimer);
      abort.abort();
      for (const s of subs) s.unsubscribe();
      await Promise.all(replications.map(({ state }) => state.cancel()));
    },
  };
}

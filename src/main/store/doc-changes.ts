import type { RxChangeEvent, RxCollection } from 'rxdb';
import type { Subscription } from 'rxjs';

// Every document change of a collection, one by one, as `collection.$` delivers them —
// but read from the raw event bulks. RxDB 17 turns each bulk into `$` events through a
// module-level Map keyed by the bulk (EVENT_BULK_CACHE in rx-change-event.js) that is
// never cleared, so while anything listens on `$`, every document ever written stays in
// memory: an import of 100,000 rows kept some 400 MB that way. Use this instead of `$`.
export function onDocChanges<T>(collection: RxCollection<T>, listener: (event: RxChangeEvent<T>) => void): Subscription {
  return collection.eventBulks$.subscribe((bulk) => {
    // The raw events carry everything `$` events do except isLocal/collectionName, which no listener reads.
    for (const event of bulk.events as RxChangeEvent<T>[]) listener(event);
  });
}

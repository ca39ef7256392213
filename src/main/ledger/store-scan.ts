import { getChangedDocumentsSince, type RxCollection, type RxDocumentData } from 'rxdb';

// A position in a collection's change index (the document id and write time it reached).
export type ChangeCheckpoint = { id: string; lwt: number };

// Pages of 2,000: a page's documents then die young (10,000 at a time outlive V8's young
// generation, and a full read costs 1.6-3x as much), and no page holds the event loop long
// enough to delay the window's calls much while a large collection is read.
const PAGE = 2000;

// Every live document of a collection, read from the storage in pages along its change
// index (plain data: no RxDocument per row, no cached query holding the rows), with a
// turn of the event loop between pages. Used for whole-collection passes over large ones.
// Stops quietly once `stopped` says so (the app closing), also when that made a read fail.
export async function scanStore<T>(
  collection: RxCollection<T>,
  visit: (doc: RxDocumentData<T>) => void,
  stopped: () => boolean = () => false,
  pageSize: number = PAGE,
): Promise<void> {
  let checkpoint: unknown;
  while (!stopped()) {
    let page: { documents: RxDocumentData<T>[]; checkpoint: unknown };
    try {
      page = await getChangedDocumentsSince(collection.storageInstance, pageSize, checkpoint);
    } catch (e) {
      if (stopped()) return;
      throw e;
    }
    for (const d of page.documents) if (!d._deleted) visit(d);
    if (page.documents.length < pageSize) return;
    checkpoint = page.checkpoint;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

// The documents changed after `from` (deleted ones included), page by page along the change
// index, until none are left; each page comes with the point it reaches. Catch-up reads
// (the projection after a crash, the start page) walk it and stop when they have enough.
export async function* changesSince<T>(
  collection: RxCollection<T>,
  from: ChangeCheckpoint | undefined,
  pageSize: number,
): AsyncGenerator<{ documents: RxDocumentData<T>[]; checkpoint: ChangeCheckpoint }> {
  let cursor = from;
  for (;;) {
    const page = await getChangedDocumentsSince(collection.storageInstance, pageSize, cursor);
    if (page.documents.length === 0) return;
    cursor = page.checkpoint as ChangeCheckpoint;
    yield { documents: page.documents, checkpoint: cursor };
    if (page.documents.length < pageSize) return;
  }
}

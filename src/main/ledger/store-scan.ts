import { getChangedDocumentsSince, type RxCollection, type RxDocumentData } from 'rxdb';

const PAGE = 10_000;

// Every live document of a collection, read from the storage in pages along its change
// index (plain data: no RxDocument per row, no cached query holding the rows), with a
// turn of the event loop between pages. Used for whole-collection passes over large ones.
export async function scanStore<T>(
  collection: RxCollection<T>,
  visit: (doc: RxDocumentData<T>) => void,
  stopped: () => boolean = () => false,
): Promise<void> {
  let checkpoint: unknown;
  while (!stopped()) {
    const page = await getChangedDocumentsSince(collection.storageInstance, PAGE, checkpoint);
    for (const d of page.documents) if (!d._deleted) visit(d);
    if (page.documents.length < PAGE) return;
    checkpoint = page.checkpoint;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

import type { RxCollection, RxStorageWriteError } from 'rxdb';
import { performance } from 'node:perf_hooks';
import { insertDocuments } from '../insert-documents';

export type ChunkedInsertOptions = {
  // Upper bound for one chunk; the chunk shrinks when a chunk takes longer than maxSliceMs.
  chunkSize?: number;
  // Target duration of one chunk. Kept well below 50 ms so even a slow machine stays under it.
  maxSliceMs?: number;
  onProgress?: (done: number, total: number) => void;
};

export type ChunkedInsertResult<RxDocType> = {
  inserted: number;
  errors: RxStorageWriteError<RxDocType>[];
};

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// Each chunk is one RxDB bulkInsert (one SQLite transaction); between chunks the event loop runs,
// so IPC, timers and the UI stay responsive during imports of any size.
export async function bulkInsertChunked<RxDocType>(
  collection: RxCollection<RxDocType>,
  docs: readonly RxDocType[],
  options: ChunkedInsertOptions = {},
): Promise<ChunkedInsertResult<RxDocType>> {
  const maxChunk = Math.max(1, Math.floor(options.chunkSize ?? 500));
  const targetMs = options.maxSliceMs ?? 20;
  let size = maxChunk;
  let offset = 0;
  let inserted = 0;
  const errors: RxStorageWriteError<RxDocType>[] = [];
  while (offset < docs.length) {
    const chunk = docs.slice(offset, offset + size);
    const started = performance.now();
    const result = await insertDocuments(collection, chunk);
    const elapsed = performance.now() - started;
    // Not result.success: reading it turns every written document into a cached RxDocument.
    inserted += chunk.length - result.error.length;
    errors.push(...result.error);
    offset += chunk.length;
    options.onProgress?.(offset, docs.length);
    // Adapt to the machine: aim each chunk at targetMs, never above the caller's chunk size.
    const scaled = Math.floor(chunk.length * (targetMs / Math.max(elapsed, 0.1)));
    size = Math.max(1, Math.min(maxChunk, scaled, chunk.length * 2));
    await yieldToEventLoop();
  }
  return { inserted, errors };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection } from 'rxdb';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkInsertChunked, getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { makeTestEvents, testEventSchema, type TestEvent } from '../../fixtures/store/conformance-schemas';

const dir = mkdtempSync(join(tmpdir(), 'cd-chunked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bulkInsertChunked', () => {
  it('writes everything while keeping every synchronous slice short', async () => {
    const db = await createRxDatabase<{ events: RxCollection<TestEvent> }>({
      name: 'chunked', storage: getRxStorageSQLite({ directory: dir }), multiInstance: false,
    });
    await db.addCollections({ events: { schema: testEventSchema } });
    const docs = makeTestEvents(30_000).map((doc, i) => ({ ...doc, id: `chunk-${i}` }));
    let progressCalls = 0;

    // The event loop must get a turn between chunks (IPC and the UI run there). Counted
    // structurally, not timed: a probe re-queues itself with setImmediate while we write.
    let probeTurns = 0;
    let probing = true;
    const probe = () => {
      probeTurns++;
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    const result = await bulkInsertChunked(db.events, docs, { chunkSize: 2000, onProgress: () => { progressCalls++; } });
    probing = false;

    expect(result.inserted).toBe(docs.length);
    expect(result.errors).toEqual([]);
    expect(await db.events.count().exec()).toBe(docs.length);
    expect(progressCalls).toBeGreaterThan(10);
    // No chunk is larger than asked, so no single synchronous slice writes more than 2,000 docs.
    expect(progressCalls).toBeGreaterThanOrEqual(Math.ceil(docs.length / 2000));
    expect(probeTurns).toBeGreaterThanOrEqual(progressCalls - 1);

    const again = await bulkInsertChunked(db.events, docs.slice(0, 10));
    expect(again.errors.map((e) => e.status)).toEqual(Array.from({ length: 10 }, () => 409));
    await db.close();
  });
});

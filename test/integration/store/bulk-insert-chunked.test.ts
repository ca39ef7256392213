import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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

    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const result = await bulkInsertChunked(db.events, docs, { chunkSize: 2000, onProgress: () => { progressCalls++; } });
    histogram.disable();

    expect(result.inserted).toBe(docs.length);
    expect(result.errors).toEqual([]);
    expect(await db.events.count().exec()).toBe(docs.length);
    expect(progressCalls).toBeGreaterThan(10);
    // The longest event-loop stall; the target is ~20 ms, the bound is generous for slow CI machines.
    const longestMs = histogram.max / 1e6;
    expect(longestMs).toBeLessThan(150);

    const again = await bulkInsertChunked(db.events, docs.slice(0, 10));
    expect(again.errors.map((e) => e.status)).toEqual(Array.from({ length: 10 }, () => 409));
    await db.close();
  });
});

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection } from 'rxdb';
import { afterAll, describe, expect, it } from 'vitest';
import { asSQLiteInstance, getRxStorageSQLite, type RxStorageInstanceSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, DEFAULT_AUTOCHECKPOINT_PAGES } from '../../../src/main/store/rx-storage-sqlite/wal-checkpointer';
import { waitFor } from '../../helpers/sync-devices';
import { crashBatchSchema, type CrashBatchDoc } from '../../fixtures/store/crash-schema';

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const PAYLOAD = 'p'.repeat(1000);

async function openDb(directory: string, backgroundCheckpointAfterRows?: number) {
  const db = await createRxDatabase<{ batches: RxCollection<CrashBatchDoc> }>({
    name: 'ckpt', storage: getRxStorageSQLite({ directory, backgroundCheckpointAfterRows }), multiInstance: false,
  });
  await db.addCollections({ batches: { schema: crashBatchSchema } });
  const instance = asSQLiteInstance<CrashBatchDoc>(db.batches.internalStorageInstance) as RxStorageInstanceSQLite<CrashBatchDoc>;
  return { db, instance };
}

function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'cd-ckpt-'));
  tempDirs.push(directory);
  return directory;
}

async function writeBatches(collection: RxCollection<CrashBatchDoc>, from: number, count: number, size = 1000): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const docs = Array.from({ length: size }, (_, i) => ({ id: `b${n}-${i}`, batch: `b${n}`, i, payload: PAYLOAD }));
    const result = await collection.bulkInsert(docs);
    expect(result.error).toEqual([]);
  }
}

describe('background WAL checkpoints', () => {
  it('move to a worker thread once enough rows were written, and every row survives close and reopen', async () => {
    const directory = tempDir();
    const file = join(directory, 'ckpt.sqlite');
    const { db, instance } = await openDb(directory, 2000);
    await writeBatches(db.batches, 0, 1);
    // Below the threshold the writing connection checkpoints, as SQLite does by default.
    expect(instance.checkpointing()).toMatchObject({ background: false, autocheckpointPages: DEFAULT_AUTOCHECKPOINT_PAGES });

    await writeBatches(db.batches, 1, 1);
    await waitFor('the checkpoint thread', () => instance.checkpointing().background);
    expect(instance.checkpointing().autocheckpointPages).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);

    // ~12 MB more: under the main connection's raised threshold (32 MB), so only the worker
    // can have copied the log into the data file.
    const sizeBefore = statSync(file).size;
    await writeBatches(db.batches, 2, 12);
    await waitFor('a checkpoint that grew the data file', () => instance.checkpointing().runs > 0 && statSync(file).size > sizeBefore + 8_000_000);
    expect(instance.checkpointing().lost).toBeUndefined();

    await db.close();
    const reopened = await openDb(directory);
    try {
      expect(await reopened.db.batches.count().exec()).toBe(14_000);
      const last = await reopened.db.batches.findOne('b13-999').exec();
      expect(last?.payload).toBe(PAYLOAD);
    } finally {
      await reopened.db.close();
    }
  });

  it('hands checkpoints back to the writing connection when the worker dies, without losing a row', async () => {
    const directory = tempDir();
    const { db, instance } = await openDb(directory, 0);
    await writeBatches(db.batches, 0, 2);
    await waitFor('the checkpoint thread', () => instance.checkpointing().background);

    await instance.killCheckpointerForTest();
    expect(instance.checkpointing()).toMatchObject({ background: false, autocheckpointPages: DEFAULT_AUTOCHECKPOINT_PAGES });
    expect(instance.checkpointing().lost).toMatch(/exited/);

    // Not restarted: a thread that died once would die again; the default path takes over.
    await writeBatches(db.batches, 2, 3);
    expect(instance.checkpointing().background).toBe(false);
    await db.close();

    const reopened = await openDb(directory);
    try {
      expect(await reopened.db.batches.count().exec()).toBe(5000);
    } finally {
      await reopened.db.close();
    }
  });

  it('never starts the thread for a store that takes a handful of edits', async () => {
    const { db, instance } = await openDb(tempDir());
    await writeBatches(db.batches, 0, 5, 10);
    expect(instance.checkpointing().background).toBe(false);
    expect(instance.checkpointing().runs).toBe(0);
    await db.close();
  });
});

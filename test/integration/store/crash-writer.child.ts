// Child process for crash-durability.test.ts: writes batches until it is killed.
// Usage: node --import tsx crash-writer.child.ts <directory> <run id>
import { createRxDatabase, type RxCollection } from 'rxdb';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { CRASH_BATCH_SIZE, crashBatchSchema, type CrashBatchDoc } from '../../fixtures/store/crash-schema';

const [directory, runId] = process.argv.slice(2);
if (!directory || !runId) {
  throw new Error('usage: crash-writer.child.ts <directory> <run id>');
}

const db = await createRxDatabase<{ batches: RxCollection<CrashBatchDoc> }>({
  name: 'crash',
  storage: getRxStorageSQLite({ directory }),
  multiInstance: false,
});
await db.addCollections({ batches: { schema: crashBatchSchema } });
process.stdout.write('READY\n');

const payload = 'x'.repeat(200);
for (let n = 0; ; n++) {
  const batch = `${runId}-${n}`;
  const docs = Array.from({ length: CRASH_BATCH_SIZE }, (_, i) => ({ id: `${batch}-${i}`, batch, i, payload }));
  const result = await db.batches.bulkInsert(docs);
  if (result.error.length > 0) {
    process.stderr.write(`batch ${batch} failed: ${JSON.stringify(result.error[0])}\n`);
    process.exit(2);
  }
  // Printed only after bulkInsert resolved: every ACK line is a write the store acknowledged.
  process.stdout.write(`ACK ${batch}\n`);
}

// Child process for read-only-start.test.ts, run on a real full disk (a tmpfs filled to the
// last byte, in a mount namespace of its own): starts the app on the data folder and prints
// what it saw, with the folder's fingerprint before and after, as one line `RESULT <json>`.
// With `refused` instead, it expects the start to fail (a read-only folder) and prints how
// the API would answer, as `REFUSED <json>`.
// Usage: node --import tsx read-only-start.child.ts <data folder> <seeded json> <minFreeBytes|default|refused>
import { exerciseStart, folderFingerprint, type Seeded } from './read-only-scenario';
import { freeDiskBytes } from '../../../src/main/store/read-only-start';
import { storeAppError } from '../../../src/main/store/store-errors';

const [dataDir, seededJson, minFree] = process.argv.slice(2);
if (!dataDir || !seededJson || !minFree) throw new Error('usage: read-only-start.child.ts <data folder> <seeded json> <minFreeBytes|default>');
const seeded = JSON.parse(seededJson) as Seeded;
const freeAtStart = freeDiskBytes(dataDir);
const before = folderFingerprint(dataDir);
if (minFree === 'refused') {
  const error = await exerciseStart(dataDir, seeded).then(() => undefined, (e: unknown) => e);
  const answer = storeAppError(error);
  process.stdout.write(`REFUSED ${JSON.stringify({ started: error === undefined, code: answer?.code, message: answer?.message, cause: String(error) })}\n`);
  process.exit(0);
}
const seen = await exerciseStart(dataDir, seeded, minFree === 'default' ? {} : { minFreeBytes: Number(minFree) });
process.stdout.write(`RESULT ${JSON.stringify({ freeAtStart, before, after: folderFingerprint(dataDir), seen })}\n`);

// Sync benchmark: npx tsx bench/sync/sync.bench.ts [--events 10000] [--late 100000] [--late-contacts N] [--skip-write] [--skip-late] [--no-baseline]
// 1. N consent events written on device A until all are visible on device B through the server,
//    then the same documents through plain PouchDB replication (memory, batch 100) and the same
//    server: the same-run baseline.
// 2. A device joining late while the server holds the shared bench data set (bench/data/):
//    time until its projection is complete and may-I-message answers, and its peak RSS; beside
//    it, a plain PouchDB pull of the same events (up to 200,000: it holds them all in memory).
// Each device is a whole app on its own SQLite data folder, in its own process
// (test/helpers/sync-device.child.ts).
import { performance } from 'node:perf_hooks';
import { remoteDatabaseName } from '../../src/main/sync/sync-collections';
import { startCouchServer, type CouchServer } from '../../test/helpers/couch-server';
import { eventChanges, openDevice, prepareServer, SYNC_DB, type Device } from '../../test/helpers/sync-devices';
import { ensureBenchDataset } from '../data/bench-dataset';
import { startLateJoinServer } from './late-join-server';
import { pouchPullBaseline, pouchReplicationBaseline } from './pouchdb-baseline';

if (process.argv.includes('--help')) {
  console.log(`Usage: npx tsx bench/sync/sync.bench.ts [options]
  --events N         events written on A and seen on B (default 10000)
  --late N           events on the server when a device joins late (default 100000; the shared data set)
  --late-contacts N  contacts of that data set (default min(100000, N / 10))
  --skip-write       skip the A → B run     --skip-late   skip the late joiner
  --no-baseline      skip the PouchDB baselines`);
  process.exit(0);
}

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isSafeInteger(v) && v > 0 ? v : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);

const EVENTS = argument('events', 10_000);
const LATE = argument('late', 100_000);
const LATE_CONTACTS = argument('late-contacts', Math.min(100_000, Math.max(1, Math.floor(LATE / 10))));
const BASELINE = !flag('no-baseline');
const CHUNK = 1000;
const LATE_BASELINE_LIMIT = 200_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')} docs/s`;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function writeThenSee(server: CouchServer): Promise<void> {
  await prepareServer(server);
  const a = await openDevice(server, 'A');
  const b = await openDevice(server, 'B');
  let appMs: number;
  try {
    const contact = await a.must('contacts:create', { name: 'Bench' });
    await until('the contact on B', async () => (await b.contacts()).length > 0, 60_000, 50);
    const start = performance.now();
    for (let done = 0; done < EVENTS; done += CHUNK) {
      await a.append(eventChanges('A', a.admin.userId ?? '', contact.id, Math.min(CHUNK, EVENTS - done)).map((c, i) => ({ ...c, id: `bench-${done + i}` })));
    }
    const written = performance.now() - start;
    await until(`${EVENTS} events on B`, async () => (await b.eventCount()) === EVENTS, 600_000, 50);
    appMs = performance.now() - start;
    console.log(`app, write on A:              ${EVENTS} events in ${seconds(written)} (${rate(EVENTS, written)})`);
    console.log(`app, A → server → B seen:     ${seconds(appMs)} (${rate(EVENTS, appMs)})`);
  } finally {
    await a.dispose();
    await b.dispose();
  }
  if (!BASELINE) return;
  // The very documents A wrote, into a database of their own on the same server.
  const docs = (await server.allDocs(remoteDatabaseName(SYNC_DB, 'consent_events'))).map(({ _rev, ...doc }) => doc);
  await server.createDatabases(['baseline-write']);
  const base = await pouchReplicationBaseline(`${server.url}/baseline-write`, docs, CHUNK);
  console.log(`PouchDB baseline, write on A: ${docs.length} docs in ${seconds(base.writtenMs)}`);
  console.log(`PouchDB baseline, A → B seen: ${seconds(base.seenMs)} (${rate(docs.length, base.seenMs)})`);
  console.log(`ratio (baseline time / app time): ${(base.seenMs / appMs).toFixed(2)}× (≥ 1.0 is as fast as the baseline or faster)`);
}

async function lateJoiner(): Promise<void> {
  const size = { events: LATE, contacts: LATE_CONTACTS };
  const dataset = await ensureBenchDataset(size);
  const { server, fillMs } = await startLateJoinServer(size, (line) => console.log(line));
  console.log(fillMs === null ? `server holds the data set (a cached copy)` : `server filled with the data set in ${seconds(fillMs)} (cached for next time)`);
  let late: Device | null = null;
  try {
    const poll = Math.max(100, Math.min(2000, LATE / 500));
    const start = performance.now();
    late = await openDevice(server, 'Late');
    const device = late;
    const opened = performance.now() - start;
    await until(`${LATE} events on the late device`, async () => (await device.eventCount()) >= LATE, 3_600_000, poll);
    const received = performance.now() - start;
    await device.settled();
    const expected = dataset.manifest.stateRows;
    await until(`${expected} projection rows`, async () => {
      await device.settled();
      return (await device.stateCount()) >= expected;
    }, 600_000, poll);
    const contactId = (await device.contacts())[0]?.id ?? '';
    const answer = await device.must('consent:mayMessage', { contactId, typeId: dataset.manifest.typeIds[0] ?? '', category: 'marketing' });
    const projected = performance.now() - start;
    console.log(`late joiner, app started and signed in: ${seconds(opened)}`);
    console.log(`late joiner, ${LATE.toLocaleString('en')} events received: ${seconds(received)} (${rate(LATE, received)})`);
    const usage = await device.usage();
    console.log(`late joiner, projection complete (${(await device.stateCount()).toLocaleString('en')} rows) and may-I-message answers (${answer.allowed ? 'allowed' : answer.reasonCode}): ${seconds(projected)}`);
    console.log(`late joiner, peak RSS ${mb(usage.peakRss)}, CPU time ${seconds(usage.cpuMs)} (app start included)`);
    await device.dispose();
    late = null;
    if (BASELINE && LATE <= LATE_BASELINE_LIMIT) {
      const base = await pouchPullBaseline(`${server.url}/${remoteDatabaseName(SYNC_DB, 'consent_events')}`);
      console.log(`PouchDB baseline, pull of ${base.docs.toLocaleString('en')} events: ${seconds(base.ms)} (${rate(base.docs, base.ms)})`);
      console.log(`ratio (baseline pull / app receive): ${(base.ms / received).toFixed(2)}×`);
    }
  } finally {
    await late?.dispose();
    await server.stop();
  }
}

async function main() {
  console.log(`sync bench: --events ${EVENTS} --late ${LATE} --late-contacts ${LATE_CONTACTS} (pouchdb-server on 127.0.0.1, SQLite data folder per device)`);
  if (!flag('skip-write')) {
    const server = await startCouchServer();
    try {
      await writeThenSee(server);
    } finally {
      await server.stop();
    }
  }
  if (!flag('skip-late')) await lateJoiner();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

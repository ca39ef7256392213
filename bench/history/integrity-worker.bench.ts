// The integrity check in its worker thread over the shared bench data set (default 1,000,000
// events, 100,000 contacts; bench/data/bench-dataset.ts), in the real app on a private copy.
// Prints events/s, the process's peak RSS, and the main thread's longest stall while the check
// runs (perf_hooks.monitorEventLoopDelay), with same-run baselines: hashing alone (the events'
// SHA-256 on one thread, nothing else) and, with --main-thread, the old check on the main thread.
// Usage: npx tsx bench/history/integrity-worker.bench.ts [--events 1000000] [--contacts 100000] [--main-thread]
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openApp } from '../../src/main/app';
import { hashMatches } from '../../src/main/consent/event-hash';
import { ledgerTable } from '../../src/main/integrity/ledger-table';
import { withoutStorageFields } from '../../src/main/store/plain-documents';
import type { ConsentEvent } from '../../src/shared/domain';
import { copyBenchDataset, datasetSizeFromArgs, ensureBenchDataset } from '../data/bench-dataset';

if (process.argv.includes('--help')) {
  console.log('Usage: npx tsx bench/history/integrity-worker.bench.ts [--events 1000000] [--contacts 100000] [--main-thread]\nThe integrity check in its worker over the shared bench data set: events/s, peak RSS, longest main-thread stall; baselines: hashing alone, and with --main-thread the check on the main thread.');
  process.exit(0);
}

const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const dataset = await ensureBenchDataset(datasetSizeFromArgs(), { log: console.log });
const dir = copyBenchDataset(dataset);
const app = await openApp({ dataDir: dir, log: quiet });
try {
  await app.services.ledger.settled();
  await app.services.directory.ready;
  const events = await app.services.db.consent_events.count().exec();
  console.log(`data set: ${events.toLocaleString('en')} events on ${dataset.manifest.devices.length} devices; rss after open ${mb(process.memoryUsage().rss)} MB, peak so far ${peakMb()} MB`);

  // The machine's own noise: the same 1 ms timer over an idle main thread for 3 s.
  const gapOver = async (ms: number) => {
    let gap = 0;
    let prev = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      gap = Math.max(gap, now - prev);
      prev = now;
    }, 1);
    await new Promise((resolve) => setTimeout(resolve, ms));
    clearInterval(timer);
    return gap;
  };
  console.log(`baseline, idle main thread for 3 s: longest gap of a 1 ms timer ${(await gapOver(3000)).toFixed(1)} ms (machine load ${loadavg()[0]?.toFixed(1)})`);

  // The check in the worker, with the main thread's event loop watched at 1 ms resolution
  // and a 1 ms timer on it (what a window's IPC would feel).
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let longestGap = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 1);
  let progressEvents = 0;
  let firstProgressMs = 0;
  const stop = app.services.events.subscribe((e) => {
    if (e.type !== 'progress' || e.kind !== 'integrity') return;
    progressEvents += 1;
    if (progressEvents === 1) firstProgressMs = performance.now() - t0;
  });
  const t0 = performance.now();
  delay.enable();
  const report = await app.services.integrity.verify();
  const workerMs = performance.now() - t0;
  delay.disable();
  clearInterval(tick);
  stop();
  const peakAfterWorker = peakMb();
  console.log(
    `integrity check in the worker: ${report.ok ? 'ok' : 'PROBLEMS'}, ${report.events.toLocaleString('en')} events, ${report.devices} devices in ${(workerMs / 1000).toFixed(2)} s = ${Math.round(report.events / (workerMs / 1000)).toLocaleString('en')} events/s; ${progressEvents} progress events, the first (worker started, store opened) after ${firstProgressMs.toFixed(0)} ms`,
  );
  console.log(
    `  main thread while it ran: longest event-loop delay ${(delay.max / 1e6).toFixed(1)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms), longest gap of a 1 ms timer ${longestGap.toFixed(1)} ms; peak RSS of the process ${peakAfterWorker} MB`,
  );

  // Baseline: hashing alone. The same events read on this thread from a read-only connection;
  // only the hashMatches calls are timed (reading and parsing reported apart).
  const table = ledgerTable(app.services.db);
  if (!table) throw new Error('the bench needs the SQLite storage');
  const sql = new Database(table.path, { readonly: true, fileMustExist: true });
  let hashMs = 0;
  let readMs = 0;
  let hashed = 0;
  let batch: ConsentEvent[] = [];
  const hashBatch = () => {
    const t = performance.now();
    for (const e of batch) if (hashMatches(e)) hashed += 1;
    hashMs += performance.now() - t;
    batch = [];
  };
  let t = performance.now();
  for (const data of sql.prepare(`SELECT data FROM "${table.table}" WHERE deleted = 0`).pluck(true).iterate() as Iterable<string>) {
    batch.push(withoutStorageFields(JSON.parse(data) as ConsentEvent));
    if (batch.length === 5000) {
      readMs += performance.now() - t;
      hashBatch();
      t = performance.now();
    }
  }
  readMs += performance.now() - t;
  hashBatch();
  sql.close();
  console.log(
    `baseline, hashing alone on one thread: ${hashed.toLocaleString('en')} events hashed in ${(hashMs / 1000).toFixed(2)} s = ${Math.round(hashed / (hashMs / 1000)).toLocaleString('en')} events/s (reading + parsing apart: ${(readMs / 1000).toFixed(2)} s)`,
  );
  console.log(`  ratio: the worker's whole check takes ${(workerMs / hashMs).toFixed(2)}x the hashing alone`);

  if (process.argv.includes('--main-thread')) {
    let mainGap = 0;
    let mainLast = performance.now();
    const mainTick = setInterval(() => {
      const now = performance.now();
      mainGap = Math.max(mainGap, now - mainLast);
      mainLast = now;
    }, 1);
    const t1 = performance.now();
    const old = await app.services.integrity.verifyAll();
    const mainMs = performance.now() - t1;
    clearInterval(mainTick);
    const verdict = (r: typeof report) => JSON.stringify([r.ok, r.events, r.devices, r.heads, r.counts, r.issues, r.truncated]);
    console.log(
      `baseline, the check on the main thread: ${old.ok ? 'ok' : 'PROBLEMS'}, ${old.events.toLocaleString('en')} events in ${(mainMs / 1000).toFixed(2)} s = ${Math.round(old.events / (mainMs / 1000)).toLocaleString('en')} events/s, longest gap of a 1 ms timer ${mainGap.toFixed(1)} ms; the worker takes ${(workerMs / mainMs).toFixed(2)}x its time; same verdict: ${verdict(old) === verdict(report)}`,
    );
  }
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

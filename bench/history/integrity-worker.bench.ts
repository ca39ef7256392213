// The integrity check in its worker threads over the shared bench data set (default 1,000,000
// events, 100,000 contacts; bench/data/bench-dataset.ts), signed and enrolled (a cached copy,
// integrity-signed-dataset.ts), in the real app on a private copy. Three runs: the chains alone,
// the chains with every signature, and the whole check as `history:verify` runs it (with the
// projection comparison on the main thread, in turns). For each: events/s, the main thread's
// longest stall while it ran (a 1 ms timer's longest gap, and perf_hooks' event-loop delay), the
// process's peak RSS so far, and the load average. Same-run baselines: hashing alone and
// verifying signatures alone, each on one thread, and with --main-thread the old chain check on
// the main thread.
// Usage: npx tsx bench/history/integrity-worker.bench.ts [--events 1000000] [--contacts 100000] [--main-thread]
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openApp } from '../../src/main/app';
import { eventSignatureMessage, hashMatches } from '../../src/main/consent/event-hash';
import { verifyDeviceSignature } from '../../src/main/device/device-keys';
import { runIntegrityCheck } from '../../src/main/integrity/integrity-check';
import { ledgerTable } from '../../src/main/integrity/ledger-table';
import { withoutStorageFields } from '../../src/main/store/plain-documents';
import { openReadOnly } from '../../src/main/store/rx-storage-sqlite/sqlite-driver';
import type { ConsentEvent } from '../../src/shared/domain';
import { copyBenchDataset, datasetSizeFromArgs, ensureBenchDataset } from '../data/bench-dataset';
import { ensureSignedBenchDataset } from './integrity-signed-dataset';

const USAGE = `Usage: npx tsx bench/history/integrity-worker.bench.ts [--events 1000000] [--contacts 100000] [--main-thread]
The integrity check in its workers over the shared bench data set (signed and enrolled): the chains alone, with
signatures, and the whole check (projection included). Prints events/s, the main thread's longest stall, peak RSS
and load average for each; baselines in the same run: hashing alone and signatures alone on one thread, and with
--main-thread the chain check on the main thread.`;
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}

const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
const rate = (events: number, ms: number) => Math.round(events / (ms / 1000)).toLocaleString('en');
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// The main thread's own CPU time in ns (Linux: the thread's schedstat; its tid is the pid), or
// null elsewhere. On a loaded machine a thread waits for a core too; this tells its own work
// apart from that wait.
const mainThreadCpuNs = (): number | null => {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
};

// Watches the main thread while `work` runs: a 1 ms timer's longest gap (what a window's call
// would wait at worst), the most CPU time the thread spent between two ticks (its longest
// turn of its own work), and the event-loop delay histogram.
async function watched<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; gapMs: number; cpuTurnMs: number | null; delayMaxMs: number; delayP99Ms: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let gap = 0;
  let last = performance.now();
  let lastCpu = mainThreadCpuNs();
  let cpuTurn = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
    const cpu = mainThreadCpuNs();
    if (cpu !== null && lastCpu !== null) cpuTurn = Math.max(cpuTurn, cpu - lastCpu);
    lastCpu = cpu;
  }, 1);
  delay.enable();
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - t0, gapMs: Math.max(gap, performance.now() - last), cpuTurnMs: lastCpu === null ? null : cpuTurn / 1e6, delayMaxMs: delay.max / 1e6, delayP99Ms: delay.percentile(99) / 1e6 };
  } finally {
    delay.disable();
    clearInterval(tick);
  }
}
const stallLine = (w: { gapMs: number; cpuTurnMs: number | null; delayMaxMs: number; delayP99Ms: number }) =>
  `longest main-thread stall ${w.gapMs.toFixed(1)} ms wall (1 ms timer gap; event-loop delay max ${w.delayMaxMs.toFixed(1)} ms, p99 ${w.delayP99Ms.toFixed(1)} ms), ` +
  `longest turn by the main thread's own CPU time ${w.cpuTurnMs === null ? 'n/a' : `${w.cpuTurnMs.toFixed(1)} ms`}`;

const dataset = await ensureSignedBenchDataset(await ensureBenchDataset(datasetSizeFromArgs(), { log: console.log }));
const dir = copyBenchDataset(dataset);
const app = await openApp({ dataDir: dir, log: quiet });
try {
  await app.services.ledger.settled();
  await app.services.directory.ready;
  const events = await app.services.db.consent_events.count().exec();
  console.log(`data set: ${events.toLocaleString('en')} events on ${dataset.manifest.devices.length} devices (signed, enrolled); rss after open ${mb(process.memoryUsage().rss)} MB, peak so far ${peakMb()} MB; ${availableParallelism()} cores`);

  // The machine's own noise: the same probe over an idle main thread for 3 s.
  const idle = await watched(() => new Promise((resolve) => setTimeout(resolve, 3000)));
  console.log(`baseline, idle main thread for 3 s: ${stallLine(idle)}; ${load()}`);

  let progressEvents = 0;
  const stop = app.services.events.subscribe((e) => {
    if (e.type === 'progress' && e.kind === 'integrity') progressEvents += 1;
  });
  const registry = await app.services.trust.registry();

  const chains = await watched(() => app.services.integrity.verify());
  console.log(`1. chains alone, in the worker: ${chains.value.ok ? 'ok' : 'PROBLEMS'}, ${chains.value.events.toLocaleString('en')} events in ${s(chains.ms)} = ${rate(chains.value.events, chains.ms)} events/s; ${load()}`);
  console.log(`   ${stallLine(chains)}; peak RSS so far ${peakMb()} MB`);

  const signed = await watched(() => app.services.integrity.verifyWithSignatures(registry));
  const sig = signed.value.signatures;
  console.log(
    `2. chains + signatures (${availableParallelism()} signature workers): ${signed.value.ok && sig.failing === 0 ? 'ok' : 'PROBLEMS'}, ${signed.value.events.toLocaleString('en')} events in ${s(signed.ms)} = ${rate(signed.value.events, signed.ms)} events/s; signed ${sig.signed.toLocaleString('en')}, legacy ${sig.legacyUnsigned}, failing ${sig.failing}; ${load()}`,
  );
  console.log(`   ${stallLine(signed)}; peak RSS so far ${peakMb()} MB`);

  let repaired = 0;
  const whole = await watched(() =>
    runIntegrityCheck({
      db: app.services.db,
      integrity: app.services.integrity,
      ledger: app.services.ledger,
      quarantined: () => app.services.sync.gate.quarantine.count(),
      registry: () => app.services.trust.registry(),
      onRepaired: async (r) => void (repaired = r.differenceCount),
    }),
  );
  console.log(
    `3. the whole check (history:verify: chains, signatures, projection of ${whole.value.projection.keys.toLocaleString('en')} keys, quarantine, erasures): ${whole.value.ok ? 'ok' : 'PROBLEMS'} in ${s(whole.ms)} = ${rate(whole.value.events, whole.ms)} events/s; projection differences ${whole.value.projection.differenceCount}${repaired ? ' (repaired)' : ''}; ${load()}`,
  );
  console.log(`   ${stallLine(whole)}; peak RSS so far ${peakMb()} MB; ${progressEvents} progress events over the three runs`);
  stop();

  // Baselines on this thread, from a read-only connection of its own: only the hashMatches
  // calls are timed over every event; the signature checks over a sample (one thread would
  // take minutes at a million), extrapolated.
  const table = ledgerTable(app.services.db);
  if (!table) throw new Error('the bench needs the SQLite storage');
  const sql = openReadOnly(table.path, table.cipherPragmas);
  const SAMPLE = 20_000;
  let hashMs = 0;
  let sigMs = 0;
  let readMs = 0;
  let hashed = 0;
  let verified = 0;
  const keyOf = new Map(registry.devices().map((d) => [d.deviceId, d.publicKey]));
  let batch: ConsentEvent[] = [];
  const timeBatch = () => {
    let t = performance.now();
    for (const e of batch) if (hashMatches(e)) hashed += 1;
    hashMs += performance.now() - t;
    t = performance.now();
    for (const e of batch.slice(0, Math.max(0, SAMPLE - verified))) {
      if (verifyDeviceSignature(keyOf.get(e.deviceId) ?? '', eventSignatureMessage(e.hash), e.sig)) verified += 1;
    }
    sigMs += performance.now() - t;
    batch = [];
  };
  let t = performance.now();
  for (const data of sql.prepare(`SELECT data FROM "${table.table}" WHERE deleted = 0`).pluck(true).iterate() as Iterable<string>) {
    batch.push(withoutStorageFields(JSON.parse(data) as ConsentEvent));
    if (batch.length === 5000) {
      readMs += performance.now() - t;
      timeBatch();
      t = performance.now();
    }
  }
  readMs += performance.now() - t;
  timeBatch();
  sql.close();
  const sigAllMs = (sigMs / Math.max(1, verified)) * events;
  console.log(`baseline, hashing alone on one thread: ${hashed.toLocaleString('en')} events in ${s(hashMs)} = ${rate(hashed, hashMs)} events/s (reading + parsing apart: ${s(readMs)}); ${load()}`);
  console.log(
    `baseline, signatures alone on one thread: ${verified.toLocaleString('en')} verified in ${s(sigMs)} = ${((sigMs * 1000) / Math.max(1, verified)).toFixed(1)} µs each, so ${s(sigAllMs)} for all ${events.toLocaleString('en')}; ${load()}`,
  );
  console.log(`  ratios: chains alone ${(chains.ms / hashMs).toFixed(2)}x hashing alone; chains + signatures ${(signed.ms / (hashMs + sigAllMs)).toFixed(2)}x (hashing + signatures) on one thread; whole check ${(whole.ms / signed.ms).toFixed(2)}x chains + signatures`);

  if (process.argv.includes('--main-thread')) {
    const old = await watched(() => app.services.integrity.verifyAll());
    const verdict = (r: typeof chains.value) => JSON.stringify([r.ok, r.events, r.devices, r.heads, r.counts, r.issues, r.truncated]);
    console.log(
      `baseline, the chain check on the main thread: ${old.value.ok ? 'ok' : 'PROBLEMS'}, ${rate(old.value.events, old.ms)} events/s in ${s(old.ms)}, ${stallLine(old)}; the worker takes ${(chains.ms / old.ms).toFixed(2)}x its time; same verdict: ${verdict(old.value) === verdict(chains.value)}; ${load()}`,
    );
  }
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

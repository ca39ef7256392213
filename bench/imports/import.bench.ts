// `npx tsx bench/imports/import.bench.ts [--rows=100000] [--sqlite] [--no-floor] [--undo]`: a generated
// CSV imported end to end through the API (upload, analyze, dry run skipped, apply), beside
// papaparse's bare parse and libphonenumber-js's validation of the same rows, and beside
// the store's own cost for the same documents (store-floor.ts), measured in the same run.
// Both floors run after the import, so their memory does not count in its peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Papa from 'papaparse';
import { openApp } from '../../src/main/app';
import { applyMainProcessMemoryPolicy } from '../../src/main/memory-policy';
import { getRxStorageSQLite } from '../../src/main/store/rx-storage-sqlite';
import { checkPhone } from '../../src/shared/phone';
import { bigCsv, bigCsvBytes } from '../../test/integration/imports/big-csv';
import { storeFloor } from './store-floor';
import { BENCH_SECRET } from '../bench-secret';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npx tsx bench/imports/import.bench.ts [flags]
A generated CSV imported end to end through the API (upload, analyze, apply), beside the
floors measured in the same run: papaparse's bare parse, libphonenumber-js's validation and
the store's own cost for the same documents (store-floor.ts).
  --rows=N     rows in the file (default 100000)
  --sqlite     the app's SQLite storage on disk (default: the app's default storage)
  --no-floor   skip the store floor
  --undo       then undo the import's consent changes, measured the same way
  --help, -h   this text`);
  process.exit(0);
}

// This process stands in for the app's main process: same V8 heap policy.
applyMainProcessMemoryPolicy();
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = Number(arg('rows') ?? 100_000);
const useSqlite = process.argv.includes('--sqlite');
const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
// CPU time (user + system) of this process: on a shared machine, wall time also counts
// the turns other processes took; CPU time does not.
const cpuMs = (since?: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

// The file's bytes only (what a user's file is): the text is made again for the floor.
const bytes = bigCsvBytes(ROWS);
console.log(`${ROWS.toLocaleString('en')} rows, ${mb(bytes.length)} CSV, storage: ${useSqlite ? 'SQLite' : 'default (app)'}`);

// papaparse's bare parse and libphonenumber-js's check of the same rows: the floor under any import.
const parseFloor = () => {
  const text = bigCsv(ROWS);
  const cpu0 = process.cpuUsage();
  let t0 = performance.now();
  let parsed = 0;
  const phones: string[] = [];
  Papa.parse<string[]>(text, { delimiter: ';', step: (r) => { parsed += 1; phones.push(r.data[1] ?? ''); } });
  const parseMs = performance.now() - t0;
  t0 = performance.now();
  let valid = 0;
  for (const p of phones.slice(1)) if (checkPhone(p, 'PL').valid) valid += 1;
  return { parseMs, phoneMs: performance.now() - t0, parsed, valid, cpu: cpuMs(cpu0) };
};

const dataDir = mkdtempSync(join(tmpdir(), 'cd-import-bench-'));
const app = await openApp({ dataDir, log: quiet, ...(useSqlite ? { storage: getRxStorageSQLite({ directory: dataDir }) } : {}) });
const session = { userId: null as string | null };
const call = async <T>(channel: string, input: unknown): Promise<T> => {
  const r = await app.api.call(channel, input, session);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
};
const benchId = (await call<{ id: string }>('users:create', { name: 'Bench', role: 'admin', secret: BENCH_SECRET })).id;
await call('session:signIn', { userId: benchId, secret: BENCH_SECRET });
await call('types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Bench' });

const rssBefore = process.memoryUsage().rss;
let peakRss = rssBefore;
const rssProbe = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const cpu0 = process.cpuUsage();
const t = performance.now();
const { jobId } = await call<{ jobId: string }>('imports:begin', { fileName: 'bench.csv', size: bytes.length });
for (let i = 0, index = 0; i < bytes.length; i += 1024 * 1024, index++) {
  await call('imports:chunk', { jobId, index, data: bytes.subarray(i, i + 1024 * 1024).toString('base64') });
}
const uploadedAt = performance.now();
const analysis = await call<{ mapping: string[] }>('imports:analyze', { jobId });
const analyzedAt = performance.now();
const summary = await call<{ eventsRecorded: number; contactsCreated: number; counts: { rows: number } }>('imports:apply', {
  jobId, mapping: { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice', defaultExplanation: 'bench' },
});
const importMs = performance.now() - t;
const importCpu = cpuMs(cpu0);
loop.disable();
clearInterval(rssProbe);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const stallMs = loop.max / 1e6;
// --undo: then the import's consent changes undone (compensating events), measured the same way.
let undoLine = '';
if (process.argv.includes('--undo')) {
  const undoLoop = monitorEventLoopDelay({ resolution: 5 });
  undoLoop.enable();
  let undoPeak = process.memoryUsage().rss;
  const undoProbe = setInterval(() => { undoPeak = Math.max(undoPeak, process.memoryUsage().rss); }, 20);
  const u0 = performance.now();
  const undone = await call<{ restored: number }>('imports:undo', { jobId });
  const undoMs = performance.now() - u0;
  clearInterval(undoProbe);
  undoLoop.disable();
  undoLine = `undo of the import      ${undoMs.toFixed(0).padStart(6)} ms  (${undone.restored} statuses restored; longest stall ${(undoLoop.max / 1e6).toFixed(0)} ms, peak RSS ${mb(undoPeak)})`;
}
await app.close();
rmSync(dataDir, { recursive: true, force: true });

const floor = parseFloor();
const floorMs = floor.parseMs + floor.phoneMs;
console.log(`papaparse bare parse      ${floor.parseMs.toFixed(0).padStart(6)} ms  (${floor.parsed} records)`);
console.log(`libphonenumber-js check   ${floor.phoneMs.toFixed(0).padStart(6)} ms  (${floor.valid} valid)`);
console.log(`import end to end         ${importMs.toFixed(0).padStart(6)} ms  (${summary.counts.rows} rows, ${summary.contactsCreated} contacts, ${summary.eventsRecorded} events)`);
console.log(`  of which upload ${(uploadedAt - t).toFixed(0)} ms, analyze ${(analyzedAt - uploadedAt).toFixed(0)} ms, apply ${(t + importMs - analyzedAt).toFixed(0)} ms`);
console.log(`rows/s                    ${Math.round(summary.counts.rows / (importMs / 1000)).toLocaleString('en')}`);
console.log(`ratio to parse+validate   ${(importMs / floorMs).toFixed(1)}x   (target ≤ 5x)`);
console.log(`peak RSS                  ${mb(peakRss)}   (target < 500 MB; ${mb(rssBefore)} before the import)`);
console.log(`longest event-loop stall  ${stallMs.toFixed(0)} ms   (target < 100 ms)`);
console.log(`whole import within 5 s:  ${importMs <= 5000 ? 'yes' : 'no'}`);
if (undoLine) console.log(undoLine);
const cpuStore = process.cpuUsage();
const store = process.argv.includes('--no-floor') ? null : await storeFloor(ROWS);
const storeCpu = cpuMs(cpuStore);
console.log(`CPU time: import ${importCpu.toFixed(0)} ms, parse+validate ${floor.cpu.toFixed(0)} ms${store ? `, store ${storeCpu.toFixed(0)} ms (import beyond both: ${(importCpu - floor.cpu - storeCpu).toFixed(0)} ms, ratio ${(importCpu / (floor.cpu + storeCpu)).toFixed(2)}x)` : ''}`);
if (store) {
  console.log(`store alone, same documents ${store.total.toFixed(0).padStart(6)} ms  (contacts ${store.contacts.toFixed(0)}, events ${store.events.toFixed(0)}, statuses ${store.states.toFixed(0)}; slowest single write ${store.slowestWriteMs.toFixed(0)} ms)`);
  console.log(`ratio to parse+validate+store ${(importMs / (floorMs + store.total)).toFixed(1)}x   (import beyond both floors: ${(importMs - floorMs - store.total).toFixed(0)} ms)`);
}

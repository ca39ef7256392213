// `npx tsx bench/imports/import.bench.ts [--rows=100000] [--sqlite] [--no-floor] [--undo] [--floor-batch=N]`:
// a generated CSV imported end to end through the API (upload, analyze, dry run skipped,
// apply), beside the floor issue 19 sets for it (store-floor.ts: papaparse + validation +
// raw better-sqlite3 writing the same documents with the same indexes), measured in the
// same run. The floor runs after the import, so its memory does not count in the import's
// peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openApp } from '../../src/main/app';
import { applyMainProcessMemoryPolicy } from '../../src/main/memory-policy';
import { getRxStorageSQLite } from '../../src/main/store/rx-storage-sqlite';
import { bigCsv, bigCsvBytes } from '../../test/integration/imports/big-csv';
import { storeFloor, type FloorResult } from './store-floor';
import { printStalls, startStallProbe } from '../stall-probe';
import { BENCH_SECRET } from '../bench-secret';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npx tsx bench/imports/import.bench.ts [flags]
A generated CSV imported end to end through the API (upload, analyze, apply), beside the
floors measured in the same run (store-floor.ts): papaparse + the import's row validation +
raw better-sqlite3 writing the same documents (contact, event, status row) into tables
with the same indexes, in transactions of the same size; once plain and once encrypted
like the app's store (same cipher build and key pragmas). Prints all three, the ratios by
wall and by CPU time, peak RSS and the longest event-loop stall of each.
  --rows=N          rows in the file (default 100000)
  --sqlite          the app's SQLite storage on disk (default: the app's default storage)
  --no-floor        skip the floor
  --floor-batch=N   rows per floor transaction (default 1000, the import's largest slice)
  --undo            then undo the import's consent changes, measured the same way
  --probe           name what ran in each stall over 50 ms (sampling CPU profile; slows the import)
  --help, -h        this text`);
  process.exit(0);
}

// This process stands in for the app's main process: same V8 heap policy. (Peak RSS is sampled
// with memoryUsage.rss(): memoryUsage() walks the whole heap, about 1% of the import's time.)
applyMainProcessMemoryPolicy();
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = Number(arg('rows') ?? 100_000);
const useSqlite = process.argv.includes('--sqlite');
const FLOOR_BATCH = Number(arg('floor-batch') ?? 1000);
const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
// CPU time (user + system) of this process: on a shared machine, wall time also counts
// the turns other processes took; CPU time does not.
const cpuMs = (since?: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

// The file's bytes only (what a user's file is): the text is made again for the floor.
const bytes = bigCsvBytes(ROWS);
console.log(`${ROWS.toLocaleString('en')} rows, ${mb(bytes.length)} CSV, storage: ${useSqlite ? 'SQLite' : 'default (app)'}`);

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

const rssBefore = process.memoryUsage.rss();
let peakRss = rssBefore;
const rssProbe = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 20);
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const probe = process.argv.includes('--probe') ? await startStallProbe({ thresholdMs: 50 }) : null;
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
const stalls = probe ? await probe.stop() : null;
clearInterval(rssProbe);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
const stallMs = loop.max / 1e6;
// --undo: then the import's consent changes undone (compensating events), measured the same way.
let undoLine = '';
if (process.argv.includes('--undo')) {
  const undoLoop = monitorEventLoopDelay({ resolution: 5 });
  undoLoop.enable();
  let undoPeak = process.memoryUsage.rss();
  const undoProbe = setInterval(() => { undoPeak = Math.max(undoPeak, process.memoryUsage.rss()); }, 20);
  const u0 = performance.now();
  const undone = await call<{ restored: number }>('imports:undo', { jobId });
  const undoMs = performance.now() - u0;
  clearInterval(undoProbe);
  undoLoop.disable();
  undoLine = `undo of the import      ${undoMs.toFixed(0).padStart(6)} ms  (${undone.restored} statuses restored; longest stall ${(undoLoop.max / 1e6).toFixed(0)} ms, peak RSS ${mb(undoPeak)})`;
}
await app.close();
rmSync(dataDir, { recursive: true, force: true });

console.log(`import end to end          ${importMs.toFixed(0).padStart(6)} ms wall, ${importCpu.toFixed(0).padStart(6)} ms CPU  (${summary.counts.rows} rows, ${summary.contactsCreated} contacts, ${summary.eventsRecorded} events)`);
console.log(`  of which upload ${(uploadedAt - t).toFixed(0)} ms, analyze ${(analyzedAt - uploadedAt).toFixed(0)} ms, apply ${(t + importMs - analyzedAt).toFixed(0)} ms; ${Math.round(summary.counts.rows / (importMs / 1000)).toLocaleString('en')} rows/s`);
console.log(`  peak RSS ${mb(peakRss)} (${mb(rssBefore)} before; target < 500 MB), longest event-loop stall ${stallMs.toFixed(0)} ms (target < 100 ms)`);
if (undoLine) console.log(undoLine);
if (stalls) printStalls('stall probe of the import', stalls);
if (!process.argv.includes('--no-floor')) {
  const floorInput = { csv: bigCsv(ROWS), delimiter: ';', mapping: { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice' as const, defaultExplanation: 'bench' }, defaultCountry: 'PL', batch: FLOOR_BATCH };
  const printFloor = (title: string, floor: FloorResult) => {
    console.log(`${title} (papaparse + validation + raw better-sqlite3, ${FLOOR_BATCH} rows per transaction)`);
    console.log(`                          ${floor.wallMs.toFixed(0).padStart(6)} ms wall, ${floor.cpuMs.toFixed(0).padStart(6)} ms CPU  (${floor.rows} rows; parse+validate+documents ${floor.parseValidateMs.toFixed(0)} ms, SQLite writes ${floor.writeMs.toFixed(0)} ms, slowest batch ${floor.slowestBatchMs.toFixed(0)} ms)`);
    console.log(`  peak RSS ${mb(floor.peakRss)}, longest event-loop stall ${floor.stallMs.toFixed(0)} ms`);
  };
  const plain = await storeFloor({ ...floorInput, encrypted: false });
  printFloor('floor, plain', plain);
  console.log(`  tables: ${plain.tables.join('; ')}`);
  const encrypted = await storeFloor({ ...floorInput, encrypted: true });
  printFloor('floor, encrypted like the app\'s store (SQLCipher v4, raw key)', encrypted);
  console.log(`encrypted floor / plain floor  ${(encrypted.wallMs / plain.wallMs).toFixed(2)}x wall, ${(encrypted.cpuMs / plain.cpuMs).toFixed(2)}x CPU`);
  const ratio = (floor: FloorResult) => ({ wall: importMs / floor.wallMs, cpu: importCpu / floor.cpuMs });
  const toPlain = ratio(plain);
  const toEncrypted = ratio(encrypted);
  console.log(`ratio import / plain floor      ${toPlain.wall.toFixed(2)}x wall, ${toPlain.cpu.toFixed(2)}x CPU`);
  console.log(`ratio import / encrypted floor  ${toEncrypted.wall.toFixed(2)}x wall, ${toEncrypted.cpu.toFixed(2)}x CPU   (target ≤ 2x: like for like)`);
  console.log(`targets: ≤ 2x the encrypted floor ${toEncrypted.wall <= 2 ? 'met' : 'NOT met'} (wall), ${toEncrypted.cpu <= 2 ? 'met' : 'NOT met'} (CPU); peak RSS < 500 MB ${peakRss < 500 * 1024 * 1024 ? 'met' : 'NOT met'}, stall ≤ 100 ms ${stallMs <= 100 ? 'met' : 'NOT met'} (wall)${stalls ? `, ${stalls.longestCpuMs <= 100 ? 'met' : 'NOT met'} (CPU)` : ''}`);
}

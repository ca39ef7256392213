// Storage benchmark. `npm run bench` runs it with the defaults (100k events, every backend, a few minutes on 2 cores).
//   npx tsx bench/store/store.bench.ts [--size 100000] [--batch 10000] [--tx 10000] [--lookups 300] [--backends raw-sqlite,rx-sqlite,...] [--skip name,...]
// --tx: documents per RxDB bulkInsert (one transaction each). Default: the batch, as raw writes it;
// `--tx 1000` writes as the ledger appends (APPEND_CHUNK), more commits for the same documents.
//   npx tsx bench/store/store.bench.ts --full   (1M events, raw-sqlite and rx-sqlite only unless --backends says otherwise)
// Default backends: raw-sqlite, rx-sqlite and rx-memory; pouchdb-leveldb (minutes at 100k on 2 cores) only when named.
// Each backend runs in its own child process so peak RSS figures do not mix. The machine may be shared,
// so every figure is also given as a ratio to raw better-sqlite3 measured in the same run, and inserts
// are also counted per CPU-second of the child, which other processes disturb much less than wall time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { APPEND_CHUNK } from '../../src/main/ledger/ledger-service';
import { applyMainProcessMemoryPolicy } from '../../src/main/memory-policy';
import { BACKEND_NAMES, type BackendName, createBackend } from './bench-backends';
import { contactId, CONTACTS, eventBatches, percentile, seeded, stateChunks } from './bench-data';

type Result = {
  backend: BackendName;
  insertPerSec: number;
  insertPerCpuSec: number;
  insertRssMb: number;
  foldRssMb: number;
  lookupMedianMs: number;
  lookupP95Ms: number;
  foldMs: number;
  groups: number;
  stateReadMs: number;
  stateRows: number;
  peakRssMb: number;
};
type Row = Result | { backend: BackendName; note: string };

const FULL_SIZE = 1_000_000;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

async function runChild(name: BackendName, size: number, batchSize: number, txSize: number, lookups: number): Promise<Result> {
  const directory = mkdtempSync(join(tmpdir(), `cd-bench-${name}-`));
  try {
    const backend = await createBackend(name, directory, txSize);
    // Only the writes are timed, not generating the documents. Batches are awaited back to back,
    // with no event-loop turn in between: the storage must not hold on to written documents anyway.
    let insertMs = 0;
    let insertCpuMs = 0;
    for (const batch of eventBatches(size, batchSize)) {
      const started = performance.now();
      const startedCpu = cpuMs();
      await backend.insert(batch);
      insertCpuMs += cpuMs() - startedCpu;
      insertMs += performance.now() - started;
    }
    const insertRssMb = maxRssMb();
    await backend.prepare();

    const random = seeded(7);
    const pick = () => contactId(Math.floor(random() * Math.min(CONTACTS, size)));
    for (let i = 0; i < 20; i++) {
      await backend.lookup(pick());
    }
    const timings: number[] = [];
    for (let i = 0; i < lookups; i++) {
      const contact = pick();
      const t = performance.now();
      await backend.lookup(contact);
      timings.push(performance.now() - t);
    }
    timings.sort((a, b) => a - b);

    const foldStarted = performance.now();
    const latest = await backend.fold();
    const foldMs = performance.now() - foldStarted;
    const foldRssMb = maxRssMb();
    // The fold's map is only needed for its rows, made and dropped chunk by chunk: holding the map
    // and the rows through the state phases would put the bench's own data, not the store's,
    // into the peak RSS of every backend.
    const groups = latest.size;
    await backend.writeState(stateChunks(latest));
    const stateStarted = performance.now();
    const stateCount = await backend.readState();
    const stateReadMs = performance.now() - stateStarted;
    await backend.close();
    return {
      backend: name,
      insertPerSec: size / (insertMs / 1000),
      insertPerCpuSec: size / (insertCpuMs / 1000),
      insertRssMb,
      foldRssMb,
      lookupMedianMs: percentile(timings, 50),
      lookupP95Ms: percentile(timings, 95),
      foldMs,
      groups,
      stateReadMs,
      stateRows: stateCount,
      peakRssMb: maxRssMb(),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function spawnChild(name: BackendName, size: number, batchSize: number, txSize: number, lookups: number): Promise<Result | string> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    // Only the memory storage needs a big heap; a raised limit elsewhere would just let V8 delay GC and inflate RSS.
    const heap = name === 'rx-memory' ? ['--max-old-space-size=8192'] : [];
    const child = spawn(process.execPath, ['--import', 'tsx', ...heap, script, '--child', name, '--size', String(size), '--batch', String(batchSize), '--tx', String(txSize), '--lookups', String(lookups)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) {
        resolve(JSON.parse(line) as Result);
      } else {
        resolve(`failed (exit ${String(code)}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
      }
    });
  });
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const ratio = (value: number, base: number | undefined): string => (base ? `${(value / base).toFixed(2)}x` : '-');

function printTable(size: number, batchSize: number, txSize: number, results: Row[]): void {
  const raw = results.find((r): r is Result => 'insertPerSec' in r && r.backend === 'raw-sqlite');
  const header = ['backend', 'insert docs/s', 'vs raw', 'docs/cpu-s', 'vs raw', 'lookup p50 ms', 'lookup p95 ms',
    'status: projection read ms', 'status: ledger fold ms', 'vs raw', 'RSS after insert MB', 'after fold MB', 'peak RSS MB'];
  const rows = results.map((r) => ('insertPerSec' in r
    ? [r.backend, fmt(r.insertPerSec, 0), ratio(r.insertPerSec, raw?.insertPerSec), fmt(r.insertPerCpuSec, 0), ratio(r.insertPerCpuSec, raw?.insertPerCpuSec),
      fmt(r.lookupMedianMs, 3), fmt(r.lookupP95Ms, 3), `${fmt(r.stateReadMs, 0)} (${r.stateRows} rows)`,
      `${fmt(r.foldMs, 0)} (${r.groups} groups)`, ratio(r.foldMs, raw?.foldMs), fmt(r.insertRssMb, 0), fmt(r.foldRssMb, 0), fmt(r.peakRssMb, 0)]
    : [r.backend, r.note]));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row.length > 2 ? (row[i] ?? '').length : 0))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\nConsent events: ${size.toLocaleString('en')} docs, ${CONTACTS.toLocaleString('en')} contacts, batches of ${batchSize.toLocaleString('en')}`
    + ` (raw: one transaction per batch; RxDB: one per ${txSize.toLocaleString('en')}${txSize === APPEND_CHUNK ? ', as the ledger appends' : ''}); WAL, synchronous=NORMAL as the app runs`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row) => console.log(line(row)));
  console.log('status: projection read = every consent_state row (one per contact and type), as the app lists read it;');
  console.log('status: ledger fold = the latest event per (contact, type) from the whole ledger, as a projection rebuild does.');
}

const full = process.argv.includes('--full');
const size = Number(argument('size') ?? (full ? FULL_SIZE : 100_000));
const batchSize = Number(argument('batch') ?? 10_000);
const lookups = Number(argument('lookups') ?? 300);
const txSize = Number(argument('tx') ?? batchSize);
const childName = argument('child') as BackendName | undefined;

if (childName) {
  // Each child stands in for the app's main process: same V8 heap policy.
  applyMainProcessMemoryPolicy();
  console.log(JSON.stringify(await runChild(childName, size, batchSize, txSize, lookups)));
} else {
  const chosen = new Set((argument('backends') ?? (full ? 'raw-sqlite,rx-sqlite' : 'raw-sqlite,rx-sqlite,rx-memory')).split(','));
  const skip = new Set((argument('skip') ?? '').split(','));
  const results: Row[] = [];
  for (const name of BACKEND_NAMES) {
    if (!chosen.has(name) || skip.has(name)) {
      results.push({ backend: name, note: 'not run (see --backends)' });
      continue;
    }
    process.stderr.write(`running ${name} ...\n`);
    const result = await spawnChild(name, size, batchSize, txSize, lookups);
    results.push(typeof result === 'string' ? { backend: name, note: result } : result);
  }
  printTable(size, batchSize, txSize, results);
  if (results.some((r) => 'note' in r && r.note.startsWith('failed'))) {
    process.exitCode = 1;
  }
}

// Storage benchmark: npx tsx bench/store/store.bench.ts [--size 100000] [--skip rx-memory,pouchdb-leveldb] [--lookups 300]
// Each backend runs in its own child process so peak RSS figures do not mix.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES, type BackendName, createBackend } from './bench-backends';
import { contactId, CONTACTS, eventBatches, percentile, seeded } from './bench-data';

type Result = {
  backend: BackendName;
  insertPerSec: number;
  prepareMs: number;
  lookupMedianMs: number;
  lookupP95Ms: number;
  projectionMs: number;
  groups: number;
  peakRssMb: number;
};

const BATCH = 10_000;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function runChild(name: BackendName, size: number, lookups: number): Promise<Result> {
  const directory = mkdtempSync(join(tmpdir(), `cd-bench-${name}-`));
  try {
    const backend = await createBackend(name, directory);
    // Only the writes are timed, not generating the documents.
    let insertMs = 0;
    for (const batch of eventBatches(size, BATCH)) {
      const started = performance.now();
      await backend.insert(batch);
      insertMs += performance.now() - started;
    }
    const prepareStarted = performance.now();
    await backend.prepare();
    const prepareMs = performance.now() - prepareStarted;

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

    const projectionStarted = performance.now();
    const groups = await backend.projection();
    const projectionMs = performance.now() - projectionStarted;
    await backend.close();
    return {
      backend: name,
      insertPerSec: size / (insertMs / 1000),
      prepareMs,
      lookupMedianMs: percentile(timings, 50),
      lookupP95Ms: percentile(timings, 95),
      projectionMs,
      groups,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function spawnChild(name: BackendName, size: number, lookups: number): Promise<Result | string> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    // Only the memory storage needs a big heap; a raised limit elsewhere would just let V8 delay GC and inflate RSS.
    const heap = name === 'rx-memory' ? ['--max-old-space-size=8192'] : [];
    const child = spawn(process.execPath, ['--import', 'tsx', ...heap, script, '--child', name, '--size', String(size), '--lookups', String(lookups)], {
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

function printTable(size: number, results: (Result | { backend: BackendName; note: string })[]): void {
  const raw = results.find((r): r is Result => 'insertPerSec' in r && r.backend === 'raw-sqlite');
  const header = ['backend', 'insert docs/s', 'vs raw', 'lookup p50 ms', 'lookup p95 ms', 'vs raw p95', 'status of 100k contacts ms', 'vs raw', 'peak RSS MB', 'index build ms'];
  const rows = results.map((r) => ('insertPerSec' in r
    ? [r.backend, fmt(r.insertPerSec, 0), ratio(r.insertPerSec, raw?.insertPerSec), fmt(r.lookupMedianMs, 3), fmt(r.lookupP95Ms, 3),
      ratio(r.lookupP95Ms, raw?.lookupP95Ms), `${fmt(r.projectionMs, 0)} (${r.groups} groups)`, ratio(r.projectionMs, raw?.projectionMs), fmt(r.peakRssMb, 0), fmt(r.prepareMs, 0)]
    : [r.backend, r.note, '', '', '', '', '', '', '', '']));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\nConsent events: ${size.toLocaleString('en')} docs, ${CONTACTS.toLocaleString('en')} contacts, batches of ${BATCH.toLocaleString('en')}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((row) => console.log(line(row)));
}

const size = Number(argument('size') ?? 100_000);
const lookups = Number(argument('lookups') ?? 300);
const childName = argument('child') as BackendName | undefined;

if (childName) {
  console.log(JSON.stringify(await runChild(childName, size, lookups)));
} else {
  const skip = new Set((argument('skip') ?? '').split(',').filter(Boolean));
  const results: (Result | { backend: BackendName; note: string })[] = [];
  for (const name of BACKEND_NAMES) {
    if (skip.has(name)) {
      results.push({ backend: name, note: 'skipped (--skip)' });
      continue;
    }
    process.stderr.write(`running ${name} ...\n`);
    const result = await spawnChild(name, size, lookups);
    results.push(typeof result === 'string' ? { backend: name, note: result } : result);
  }
  printTable(size, results);
}

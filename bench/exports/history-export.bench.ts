// History exports to a file over the shared bench data set (default 1,000,000 events;
// bench/data/bench-dataset.ts) in the real app on a private copy: CSV and JSON lines of every
// event, written slice by slice (history-export-stream.ts). Each export runs in its own process,
// started after the history index is saved, so its RSS is its own (in one process the second
// export reused the heap the first had grown, which made the first look many times larger).
// Prints time, CPU time, rows/s, file size, the RSS the export adds (sampled every 10 ms) and
// the process's peak, beside the load average; same-run baseline: the in-memory export (the
// whole file as one string, capped at 250,000 rows) against the file export of the same rows.
// Usage: npx tsx bench/exports/history-export.bench.ts [--events 1000000] [--contacts 100000]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openApp } from '../../src/main/app';
import { exportHistoryCsv, MAX_EXPORT_ROWS } from '../../src/main/history/history-export';
import { writeHistoryExport, type ExportFormat } from '../../src/main/history/history-export-stream';
import type { HistoryFilterInput } from '../../src/shared/api/history-channels';
import { copyBenchDataset, datasetSizeFromArgs, ensureBenchDataset } from '../data/bench-dataset';

if (process.argv.includes('--help')) {
  console.log(
    'Usage: npx tsx bench/exports/history-export.bench.ts [--events 1000000] [--contacts 100000]\nHistory CSV and JSON lines of every event written to a file, each in its own process: time, CPU time, rows/s, size, added and peak RSS, load average; baseline: the in-memory export of up to 250,000 rows.',
  );
  process.exit(0);
}

const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
const all: HistoryFilterInput = { contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '' };

// Runs `work`, sampling RSS every 10 ms: the peak above what the process held when it began.
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; cpuMs: number; addedMb: number; peakMb: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = await work();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, ms, cpuMs: (used.user + used.system) / 1000, addedMb: mb(peak - before), peakMb: mb(peak) };
}

async function phase(name: string, dir: string): Promise<void> {
  const app = await openApp({ dataDir: dir, log: quiet });
  try {
    const h = app.services.history;
    const t0 = performance.now();
    const total = (await h.stats(all)).total;
    if (name === 'index') {
      console.log(`history index ${h.origin() === 'saved' ? 'loaded' : 'built and saved'} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${total.toLocaleString('en')} events`);
      return;
    }
    if (name === 'csv' || name === 'jsonl') {
      const format: ExportFormat = name;
      const path = join(dir, `all.${format}`);
      let updates = 0;
      const run = await measured(() => writeHistoryExport(h, all, format, path, { onProgress: () => (updates += 1) }));
      const size = statSync(path).size;
      console.log(
        `${format} of every event to a file (own process): ${run.result.rows.toLocaleString('en')} rows in ${(run.ms / 1000).toFixed(1)} s (CPU ${(run.cpuMs / 1000).toFixed(1)} s) = ${Math.round(run.result.rows / (run.ms / 1000)).toLocaleString('en')} rows/s, ${mb(size)} MB written, ${updates} progress updates; RSS added ${run.addedMb} MB, process peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; ${load()}`,
      );
      rmSync(path);
      return;
    }
    // Baseline: the in-memory export at its cap, against the file export of the same rows.
    let filter = all;
    if (total > MAX_EXPORT_ROWS) {
      // The one-device slice with at most the cap's rows (the data set has four devices).
      const facets = await h.facets();
      const sizes = await Promise.all(facets.devices.map(async (deviceId) => ({ deviceId, n: (await h.stats({ ...all, deviceId })).total })));
      const fit = sizes.filter((s) => s.n <= MAX_EXPORT_ROWS).sort((a, b) => b.n - a.n)[0];
      filter = fit ? { ...all, deviceId: fit.deviceId } : { ...all, from: '2024-01-01', to: '2024-02-15' };
    }
    const inMemory = await measured(() => exportHistoryCsv(h, filter, new Date()));
    const path = join(dir, 'same.csv');
    const toFile = await measured(() => writeHistoryExport(h, filter, 'csv', path));
    console.log(
      `baseline, the in-memory CSV export: ${inMemory.result.rows.toLocaleString('en')} rows in ${(inMemory.ms / 1000).toFixed(1)} s (CPU ${(inMemory.cpuMs / 1000).toFixed(1)} s), RSS added ${inMemory.addedMb} MB; the file export of the same rows after it: ${(toFile.ms / 1000).toFixed(1)} s (CPU ${(toFile.cpuMs / 1000).toFixed(1)} s), RSS added ${toFile.addedMb} MB; ratio ${(toFile.ms / inMemory.ms).toFixed(2)}x wall, ${(toFile.cpuMs / inMemory.cpuMs).toFixed(2)}x CPU; same bytes: ${inMemory.result.content === readFileSync(path, 'utf8')}; ${load()}`,
    );
    rmSync(path);
  } finally {
    await app.close();
  }
}

const phaseAt = process.argv.indexOf('--phase');
if (phaseAt >= 0) {
  await phase(process.argv[phaseAt + 1] ?? '', process.argv[phaseAt + 2] ?? '');
} else {
  const dataset = await ensureBenchDataset(datasetSizeFromArgs(), { log: console.log });
  const dir = copyBenchDataset(dataset);
  try {
    const self = fileURLToPath(import.meta.url);
    for (const name of ['index', 'csv', 'jsonl', 'baseline']) {
      const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--phase', name, dir], { stdio: 'inherit' });
      if (run.status !== 0) throw new Error(`phase ${name} failed (${run.status ?? run.signal})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

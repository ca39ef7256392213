// History exports to a file over the shared bench data set (default 1,000,000 events;
// bench/data/bench-dataset.ts) in the real app on a private copy: CSV and JSON lines of every
// event, written slice by slice (history-export-stream.ts). Prints time, rows/s, file size and
// the RSS the export adds (sampled every 10 ms), with a same-run baseline: the in-memory export
// (the whole file as one string, capped at 250,000 rows) against the file export of the same rows.
// Usage: npx tsx bench/exports/history-export.bench.ts [--events 1000000] [--contacts 100000]
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openApp } from '../../src/main/app';
import { exportHistoryCsv, MAX_EXPORT_ROWS } from '../../src/main/history/history-export';
import { writeHistoryExport, type ExportFormat } from '../../src/main/history/history-export-stream';
import type { HistoryFilterInput } from '../../src/shared/api/history-channels';
import { copyBenchDataset, datasetSizeFromArgs, ensureBenchDataset } from '../data/bench-dataset';

if (process.argv.includes('--help')) {
  console.log('Usage: npx tsx bench/exports/history-export.bench.ts [--events 1000000] [--contacts 100000]\nHistory CSV and JSON lines of every event written to a file: time, rows/s, size, added RSS; baseline: the in-memory export of 250,000 rows.');
  process.exit(0);
}

const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const all: HistoryFilterInput = { contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '' };

// Runs `work`, sampling RSS every 10 ms: the peak above what the process held when it began.
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; addedMb: number; peakMb: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t = performance.now();
  const result = await work();
  const ms = performance.now() - t;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, ms, addedMb: mb(peak - before), peakMb: mb(peak) };
}

const dataset = await ensureBenchDataset(datasetSizeFromArgs(), { log: console.log });
const dir = copyBenchDataset(dataset);
const app = await openApp({ dataDir: dir, log: quiet });
try {
  const h = app.services.history;
  const t0 = performance.now();
  const total = (await h.stats(all)).total;
  console.log(`history index ready (${h.origin() === 'saved' ? 'loaded' : 'built'}) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${total.toLocaleString('en')} events; rss ${mb(process.memoryUsage().rss)} MB`);

  for (const format of ['csv', 'jsonl'] as ExportFormat[]) {
    const path = join(dir, `all.${format}`);
    let updates = 0;
    const run = await measured(() => writeHistoryExport(h, all, format, path, { onProgress: () => (updates += 1) }));
    const size = statSync(path).size;
    console.log(
      `${format} of every event to a file: ${run.result.rows.toLocaleString('en')} rows in ${(run.ms / 1000).toFixed(1)} s = ${Math.round(run.result.rows / (run.ms / 1000)).toLocaleString('en')} rows/s, ${mb(size)} MB written, ${updates} progress updates; RSS added ${run.addedMb} MB (process peak ${run.peakMb} MB)`,
    );
    rmSync(path);
  }

  // Baseline: the in-memory export at its cap, against the file export of the same rows.
  const capped = Math.min(total, MAX_EXPORT_ROWS);
  const facets = await h.facets();
  let filter = all;
  if (total > MAX_EXPORT_ROWS) {
    // The one-device slice with at most the cap's rows (the data set has four devices).
    const sizes = await Promise.all(facets.devices.map(async (deviceId) => ({ deviceId, n: (await h.stats({ ...all, deviceId })).total })));
    const fit = sizes.filter((s) => s.n <= MAX_EXPORT_ROWS).sort((a, b) => b.n - a.n)[0];
    filter = fit ? { ...all, deviceId: fit.deviceId } : { ...all, from: '2024-01-01', to: '2024-02-15' };
  }
  const inMemory = await measured(() => exportHistoryCsv(h, filter, new Date()));
  const path = join(dir, 'same.csv');
  const toFile = await measured(() => writeHistoryExport(h, filter, 'csv', path));
  console.log(
    `baseline, the in-memory CSV export (up to ${capped.toLocaleString('en')} rows): ${inMemory.result.rows.toLocaleString('en')} rows in ${(inMemory.ms / 1000).toFixed(1)} s, RSS added ${inMemory.addedMb} MB; the file export of the same rows: ${(toFile.ms / 1000).toFixed(1)} s, RSS added ${toFile.addedMb} MB (${(toFile.ms / inMemory.ms).toFixed(2)}x the time, same bytes: ${inMemory.result.content === (await import('node:fs')).readFileSync(path, 'utf8')})`,
  );
  console.log(`process peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

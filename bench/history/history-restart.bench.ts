// The history index across a restart, over the shared bench data set (default 1,000,000 events;
// bench/data/bench-dataset.ts) in the real app on a private copy. Each phase runs in its own
// process so its peak RSS is its own:
//  - build: the first start, no saved index: the index is built from the store (the same-run
//    baseline: what every start paid before), then saved;
//  - restart: a start with the saved index: time to the first page with its exact total, to
//    the totals (stats), filtered pages, and the process's peak RSS.
// Usage: npx tsx bench/history/history-restart.bench.ts [--events 1000000] [--contacts 100000]
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openApp } from '../../src/main/app';
import type { HistoryQuery } from '../../src/shared/api/consent-channels';
import { copyBenchDataset, datasetSizeFromArgs, ensureBenchDataset } from '../data/bench-dataset';

const USAGE = 'Usage: npx tsx bench/history/history-restart.bench.ts [--events 1000000] [--contacts 100000]\nThe history index built at a first start (baseline) against one loaded from its saved file at a restart: first page, totals, filters, peak RSS.';
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}

const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
};
const empty: Omit<HistoryQuery, 'offset' | 'limit'> = { contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '' };
const phaseAt = process.argv.indexOf('--phase');

async function phase(name: string, dir: string): Promise<void> {
  const t0 = performance.now();
  const app = await openApp({ dataDir: dir, log: quiet });
  const opened = performance.now() - t0;
  try {
    const h = app.services.history;
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const first = await h.query({ ...empty, offset: 0, limit: 50 });
    const firstMs = performance.now() - t1;
    const firstCpu = cpuMs(c1);
    const t2 = performance.now();
    const c2 = process.cpuUsage();
    const stats = await h.stats(empty);
    const statsMs = performance.now() - t2;
    console.log(
      `${name}: app open ${opened.toFixed(0)} ms; first history page (${first.rows.length} rows of ${first.total.toLocaleString('en')}, index ${h.origin() === 'saved' ? 'loaded from its saved file' : 'built from the store'}) ${firstMs.toFixed(0)} ms (CPU ${firstCpu} ms); totals (stats: ${stats.total.toLocaleString('en')} events, ${stats.timeline.length} timeline points) ${statsMs.toFixed(0)} ms (CPU ${cpuMs(c2)} ms); ${load()}`,
    );
    if (name === 'restart') {
      const facets = await h.facets();
      const time = async (label: string, q: Partial<HistoryQuery>) => {
        const t = performance.now();
        const c = process.cpuUsage();
        const page = await h.query({ ...empty, offset: 0, limit: 50, ...q });
        console.log(`  filter ${label}: ${(performance.now() - t).toFixed(0)} ms (CPU ${cpuMs(c)} ms; ${page.total.toLocaleString('en')} matches)`);
      };
      await time('status unsubscribed', { status: 'unsubscribed' });
      await time('source keyword + legal basis', { source: 'keyword', legalBasis: 'consent_with_notice' });
      await time(`device ${facets.devices[0] ?? ''}`, { deviceId: facets.devices[0] ?? '' });
      await time('one month', { from: '2024-03-01', to: '2024-03-31' });
      await time('full-text "ladzie"', { search: 'ladzie' });
      await time('deep page (offset 900,000 or last)', { offset: Math.max(0, Math.min(900_000, first.total - 50)) });
      const t3 = performance.now();
      await h.stats({ ...empty, from: '2024-03-01', to: '2024-03-31' });
      console.log(`  stats for one month: ${(performance.now() - t3).toFixed(0)} ms`);
    }
  } finally {
    const t = performance.now();
    await app.close();
    console.log(`  close (saves the index when it changed) ${(performance.now() - t).toFixed(0)} ms; peak RSS of this process ${peakMb()} MB; ${load()}`);
  }
}

if (phaseAt >= 0) {
  await phase(process.argv[phaseAt + 1] ?? '', process.argv[phaseAt + 2] ?? '');
} else {
  const dataset = await ensureBenchDataset(datasetSizeFromArgs(), { log: console.log });
  const dir = copyBenchDataset(dataset);
  try {
    const self = fileURLToPath(import.meta.url);
    for (const name of ['build', 'restart']) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--phase', name, dir], { stdio: 'inherit' });
      if (run.status !== 0) throw new Error(`phase ${name} failed (${run.status ?? run.signal})`);
      if (name === 'build') {
        const size = statSync(join(dir, 'consentdesk.sqlite.history-index')).size;
        console.log(`  saved index file: ${(size / 1024 / 1024).toFixed(1)} MB`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The shared bench data set (bench/data/bench-dataset.ts): builds it if the cache lacks it and
// says how long that took, then how long a bench's private copy takes and what it holds.
// Usage: npx tsx bench/data/dataset.bench.ts [--events 1000000] [--contacts 100000]
// The cache folder is ${BENCH_CACHE:-~/.cache/consent-desk-bench}.
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { copyBenchDataset, datasetSizeFromArgs, ensureBenchDataset } from './bench-dataset';

if (process.argv.includes('--help')) {
  console.log('Usage: npx tsx bench/data/dataset.bench.ts [--events 1000000] [--contacts 100000]\nBuilds (or finds) the cached shared data set in ${BENCH_CACHE:-~/.cache/consent-desk-bench}.');
  process.exit(0);
}

const size = datasetSizeFromArgs();
const t0 = performance.now();
const dataset = await ensureBenchDataset(size);
const found = performance.now() - t0;
const m = dataset.manifest;
console.log(`data set ${dataset.dir}`);
console.log(`  ${m.storedEvents.toLocaleString('en')} events over ${m.contacts.toLocaleString('en')} contacts on ${m.devices.length} devices' chains, ${m.typeIds.length} types, ${m.stateRows.toLocaleString('en')} projection rows`);
console.log(dataset.built ? `  built now in ${(m.buildMs / 1000).toFixed(1)} s` : `  found in the cache in ${found.toFixed(0)} ms (it took ${(m.buildMs / 1000).toFixed(1)} s to build on ${m.builtAt})`);
const t1 = performance.now();
const copy = copyBenchDataset(dataset);
console.log(`  a bench's private copy: ${((performance.now() - t1) / 1000).toFixed(2)} s`);
rmSync(copy, { recursive: true, force: true });

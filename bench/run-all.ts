// `npm run bench [-- name-filter] [-- --any --bench --flags]`: runs every bench/**/*.bench.ts
// in its own process (so peak RSS figures are per benchmark) and prints what each prints.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = 'bench';
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const passThrough = args.filter((a) => a.startsWith('--'));

const find = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.bench.ts') ? [path] : [];
  });

const files = find(root)
  .sort()
  .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)));

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${relative(root, file)} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file, ...passThrough], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.log(`(${file} exited with ${run.status ?? run.signal})`);
  }
}
console.log(`\n${files.length - failed} benchmarks ran, ${failed} failed`);
process.exit(failed ? 1 : 0);

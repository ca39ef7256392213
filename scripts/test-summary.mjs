// Prints one closing line for the whole `npm test` run ("N passed, N failed"), summed
// from the JSON reports the vitest suites and Playwright write under test-results/.
import { existsSync, readFileSync } from 'node:fs';

const read = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of ['test-results/vitest-unit.json', 'test-results/vitest-integration.json']) {
  const report = read(file);
  if (!report) throw new Error(`${file} is missing: did that suite run?`);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
const e2e = read('test-results/playwright.json');
if (!e2e) throw new Error('test-results/playwright.json is missing: did the e2e suite run?');
passed += e2e.stats.expected + e2e.stats.flaky;
failed += e2e.stats.unexpected;
skipped += e2e.stats.skipped;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

// Run: npx tsx bench/consent/ingest-file.bench.ts [--messages 20000] [--junk 100000] [--no-probe]
// A large inbound file through the path messages:ingestFile takes (sliced reading, then
// ingestion in slices) into the real store on a temp folder. Prints throughput and the
// longest main-thread stall seen by an event-loop delay monitor (target: under 100 ms),
// and the size of the report for a file of junk lines (capped at 1,000 problems).
// Baseline in the same run: the same file read whole in one synchronous call.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openApp } from '../../src/main/app';
import { REPORT_LIMIT } from '../../src/main/consent/message-ingestion';
import { applyMainProcessMemoryPolicy } from '../../src/main/memory-policy';
import { parseInboundFile, parseInboundFileInSlices } from '../../src/shared/consent/inbound-file';
import { makeTempDir, quietLog } from '../../test/helpers/temp-app';
import { printStalls, startStallProbe } from '../stall-probe';
import { BUSINESS, textMessage, webhook } from '../../test/helpers/webhook';

if (process.argv.includes('--help')) {
  console.log(`Usage: npx tsx bench/consent/ingest-file.bench.ts [flags]
  --messages N   messages in the file (default 20000)
  --junk N       junk lines in the second file (default 100000)
  --no-probe     no stall probe (it samples the CPU profile to name what ran in each stall)`);
  process.exit(0);
}
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MESSAGES = arg('messages', 20_000);
const JUNK = arg('junk', 100_000);
const useProbe = !process.argv.includes('--no-probe');
// This process stands in for the app's main process: same V8 heap policy.
applyMainProcessMemoryPolicy();
const BODIES = ['STOP', 'Hello, when do you open?', 'START', 'please stop messaging me', '🛑 STOP!', 'Thanks'];
const lines: string[] = [];
for (let j = 0; j < MESSAGES; j++) {
  const from = `48601${String(j % 5000).padStart(6, '0')}`;
  lines.push(JSON.stringify(webhook([textMessage(`wamid.file.${j}`, BODIES[j % BODIES.length] ?? 'STOP', 1_767_000_000 + j, from)], { from })));
}
const content = lines.join('\n');
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

const wholeStart = performance.now();
const whole = parseInboundFile(content);
const wholeMs = performance.now() - wholeStart;

const dir = makeTempDir('cd-bench-ingest-file-');
const app = await openApp({ dataDir: dir, log: quietLog });
await app.services.types.create({ name: 'Marketing', purpose: 'marketing', businessNumber: `+${BUSINESS.display}`, phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Bench' });

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const probe = useProbe ? await startStallProbe({ thresholdMs: 50 }) : null;
const t0 = performance.now();
const parsed = await parseInboundFileInSlices(content, { pause, errorLimit: REPORT_LIMIT });
const readMs = performance.now() - t0;
const report = await app.services.ingestion.ingest(parsed);
const totalMs = performance.now() - t0;
delay.disable();
const stalls = probe ? await probe.stop() : null;

const junk = Array.from({ length: JUNK }, (_, i) => `{"not": json ${i}`).join('\n');
const junkParsed = await parseInboundFileInSlices(junk, { pause, errorLimit: REPORT_LIMIT });
const junkReport = await app.services.ingestion.ingest(junkParsed);
await app.close();
rmSync(dir, { recursive: true, force: true });

const mb = (n: number) => (n / 1e6).toFixed(1);
console.log(`inbound file: ${MESSAGES.toLocaleString('en')} JSON lines, ${mb(content.length)} MB`);
console.log(`  read whole, one synchronous call (baseline): ${wholeMs.toFixed(0)} ms, ${whole.items.length} items`);
console.log(`  read in slices:                              ${readMs.toFixed(0)} ms`);
console.log(`  read + ingest into the store:                ${totalMs.toFixed(0)} ms = ${Math.round((report.itemCount / totalMs) * 1000).toLocaleString('en')} msgs/s`);
console.log(`  longest main-thread stall: ${(delay.max / 1e6).toFixed(0)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms; target < 100 ms), event-loop delay monitor`);
if (stalls) printStalls('  stall probe (1 ms timer + sampling profiler)', stalls);
else console.log(`  load average ${loadavg()[0]?.toFixed(1)}`);
console.log(`  report: ${report.items.length} items listed of ${report.itemCount}, JSON ${mb(JSON.stringify(report).length)} MB`);
console.log(`junk file: ${JUNK.toLocaleString('en')} lines, ${mb(junk.length)} MB → ${junkReport.errors.length} problems listed of ${junkReport.errorCount.toLocaleString('en')}, report JSON ${(JSON.stringify(junkReport).length / 1024).toFixed(0)} kB`);
console.log(`  peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

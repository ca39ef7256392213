// Webhook messages ingested per second, end to end into the real store (SQLite on a temp
// folder): parse, route by number, keyword match, ledger append with hash chain,
// projection, inbound log. Baseline in the same run: parsing alone.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { openApp } from '../../src/main/app';
import { parseWebhookPayload } from '../../src/shared/consent/webhook-parser';
import { makeTempDir, quietLog } from '../../test/helpers/temp-app';
import { BUSINESS, textMessage, webhook } from '../../test/helpers/webhook';

if (process.argv.includes('--help')) {
  console.log('Usage: npx tsx bench/consent/ingest.bench.ts [--messages N (default 5000)]');
  process.exit(0);
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MESSAGES = arg('messages', 5000);
const PER_PAYLOAD = 50;
const BODIES = ['START', 'stop', 'Hello, when do you open?', 'ARRÊTER', 'please stop messaging me', 'Start', '停止'];

const payloads: unknown[] = [];
for (let i = 0; i < MESSAGES; i += PER_PAYLOAD) {
  const msgs = [];
  for (let j = i; j < Math.min(i + PER_PAYLOAD, MESSAGES); j++) {
    const from = `48601${String(j % 2000).padStart(6, '0')}`;
    msgs.push(textMessage(`wamid.bench.${j}`, BODIES[j % BODIES.length] ?? 'START', 1_767_000_000 + j, from));
  }
  payloads.push(webhook(msgs));
}

// CPU time of this process beside wall time: on a shared machine the wall figure also counts
// time the OS gave to others; the CPU figure is what the work cost.
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const t0 = performance.now();
const c0 = process.cpuUsage();
let parsed = 0;
for (const p of payloads) parsed += parseWebhookPayload(p).items.length;
const parseMs = performance.now() - t0;
const parseCpuMs = cpuMs(c0);

const dir = makeTempDir('cd-bench-ingest-');
const app = await openApp({ dataDir: dir, log: quietLog });
const admin = await app.services.users.create({ name: 'Bench', role: 'admin' }, null);
await app.services.types.create({ name: 'Marketing', purpose: 'marketing', businessNumber: `+${BUSINESS.display}`, phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Bench' });
void admin;

const t1 = performance.now();
const c1 = process.cpuUsage();
let applied = 0;
for (const p of payloads) {
  const report = await app.services.ingestion.ingest(parseWebhookPayload(p));
  applied += report.items.length;
}
const ingestMs = performance.now() - t1;
const ingestCpuMs = cpuMs(c1);
const events = await app.services.db.consent_events.count().exec();
await app.close();
rmSync(dir, { recursive: true, force: true });

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en');
console.log(`webhook ingestion, ${MESSAGES} messages from 2,000 senders (contacts created on first message)`);
console.log(`  parse only (baseline):     ${rate(parsed, parseMs)} msgs/s wall (${parseMs.toFixed(0)} ms), ${rate(parsed, parseCpuMs)} msgs/s by CPU time (${parseCpuMs.toFixed(0)} ms)`);
console.log(`  end to end into the store: ${rate(applied, ingestMs)} msgs/s wall (${ingestMs.toFixed(0)} ms), ${rate(applied, ingestCpuMs)} msgs/s by CPU time (${ingestCpuMs.toFixed(0)} ms), ${events} consent events; target ≥ 1,976 msgs/s`);
console.log(`  ratio end-to-end / parse:  ${(ingestMs / parseMs).toFixed(1)}x wall, ${(ingestCpuMs / parseCpuMs).toFixed(1)}x CPU time; load average ${loadavg()[0]?.toFixed(1)}`);
console.log(`  peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

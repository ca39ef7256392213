// Relay benchmark: npx tsx bench/relay/relay.bench.ts [--deliveries 2000] [--concurrency 32] [--signals 20]
// 1. Deliveries per second: signed webhook POSTs through the relay until CouchDB holds every
//    one, against the same documents PUT straight into CouchDB (same run, same server: the
//    ratio is what the relay costs on top of the store).
// 2. Delivery to status: a STOP or START posted to the relay until device B (a whole app in its
//    own process, reading the inbox while syncing) shows the contact's new status; median, p95.
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { deliveryIdFor } from '../../src/shared/relay/webhook-inbox';
import { startCouchServer, type CouchServer } from '../../test/helpers/couch-server';
import { INBOX_DB, inParallel, postDelivery, relayConfig, startRelay } from '../../test/helpers/relay-harness';
import { openDevice, prepareServer, waitFor, type Device } from '../../test/helpers/sync-devices';
import { MARKETING_TYPE } from '../../test/helpers/temp-app';
import { textMessage, webhook } from '../../test/helpers/webhook';

if (process.argv.includes('--help')) {
  console.log(`Usage: npx tsx bench/relay/relay.bench.ts [--deliveries N] [--concurrency C] [--signals S]
  --deliveries   signed deliveries for the throughput figure (default 2000)
  --concurrency  senders posting at once, as Meta's parallel deliveries (default 32)
  --signals      STOP/START messages timed from POST to status on a second device (default 20)`);
  process.exit(0);
}

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const DELIVERIES = argument('deliveries', 2000);
const CONCURRENCY = argument('concurrency', 32);
const SIGNALS = argument('signals', 20);

const perSecond = (n: number, ms: number) => (n / ms) * 1000;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

const bodies = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => JSON.stringify(webhook([textMessage(`wamid.${prefix}${i}`, 'STOP', 1_767_000_000 + i, `4860${1_000_000 + i}`)])));

async function throughput(server: CouchServer): Promise<void> {
  await server.createDatabases([INBOX_DB, 'bench-direct']);
  const { url, relay } = await startRelay(relayConfig(server, { maxConcurrency: 64, maxQueue: 4096 }));
  try {
    // Warm-up, not timed: the server's first writes to a fresh database are slower.
    await inParallel(bodies(50, 'W'), CONCURRENCY, async (body) => void (await postDelivery(url, body)));
    const stored = await server.docCount(INBOX_DB);
    const viaRelay = bodies(DELIVERIES, 'R');
    const t0 = performance.now();
    await inParallel(viaRelay, CONCURRENCY, async (body) => {
      const r = await postDelivery(url, body);
      if (r.status !== 200) throw new Error(`relay answered ${r.status}`);
    });
    const relayMs = performance.now() - t0;
    if ((await server.docCount(INBOX_DB)) !== stored + DELIVERIES) throw new Error('not every delivery was stored');

    // Baseline: the same kind of documents written straight to CouchDB, same concurrency.
    const direct = bodies(DELIVERIES, 'D');
    const t1 = performance.now();
    await inParallel(direct, CONCURRENCY, async (body) => {
      const sha = createHash('sha256').update(body).digest('hex');
      const doc = { kind: 'whatsapp_webhook', bodySha256: sha, receivedAt: new Date().toISOString(), relay: 'bench', payload: JSON.parse(body) as unknown };
      const r = await fetch(`${server.url}/bench-direct/${encodeURIComponent(deliveryIdFor(sha))}`, { method: 'PUT', body: JSON.stringify(doc), headers: { 'Content-Type': 'application/json' } });
      await r.text();
      if (r.status !== 201) throw new Error(`CouchDB answered ${r.status}`);
    });
    const directMs = performance.now() - t1;
    const relayRate = perSecond(DELIVERIES, relayMs);
    const directRate = perSecond(DELIVERIES, directMs);
    console.log(`through the relay into CouchDB: ${DELIVERIES} deliveries in ${(relayMs / 1000).toFixed(1)} s = ${relayRate.toFixed(0)} deliveries/s (${CONCURRENCY} senders)`);
    console.log(`baseline, PUT straight to CouchDB: ${directRate.toFixed(0)} docs/s; relay / baseline = ${(relayRate / directRate).toFixed(2)}`);
  } finally {
    await relay.close();
  }
}

async function deliveryToStatus(server: CouchServer): Promise<void> {
  await prepareServer(server);
  const { url, relay } = await startRelay(relayConfig(server));
  const devices: Device[] = [];
  try {
    const a = await openDevice(server, 'A');
    devices.push(a);
    const type = await a.must('types:create', MARKETING_TYPE);
    const contact = await a.must('contacts:create', { name: 'Bench Contact', phoneInput: '+48601234567' });
    const b = await openDevice(server, 'B');
    devices.push(b);
    await waitFor('B to have the contact', async () => (await b.contacts()).some((c) => c.id === contact.id), 120_000);
    await waitFor('B to read the inbox', async () => (await b.must('relay:status', {})).state === 'listening', 120_000);
    const statusOn = async (d: Device) => (await d.must('consent:forContact', { contactId: contact.id })).types.find((t) => t.type.id === type.id)?.status;
    const times: number[] = [];
    const base = Math.floor(Date.now() / 1000);
    for (let i = 0; i < SIGNALS; i += 1) {
      const keyword = i % 2 === 0 ? 'STOP' : 'START';
      const expected = i % 2 === 0 ? 'unsubscribed' : 'subscribed';
      const body = JSON.stringify(webhook([textMessage(`wamid.L${i}`, keyword, base + i)]));
      const t0 = performance.now();
      const r = await postDelivery(url, body);
      if (r.status !== 200) throw new Error(`relay answered ${r.status}`);
      await waitFor(`status ${expected} on B`, async () => (await statusOn(b)) === expected, 60_000);
      times.push(performance.now() - t0);
    }
    const sorted = [...times].sort((x, y) => x - y);
    console.log(`delivery → status on device B: median ${quantile(sorted, 0.5).toFixed(0)} ms, p95 ${quantile(sorted, 0.95).toFixed(0)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms (${SIGNALS} signals; status read every 50 ms)`);
  } finally {
    for (const d of devices) await d.dispose();
    await relay.close();
  }
}

async function main() {
  const server = await startCouchServer();
  try {
    await throughput(server);
    await deliveryToStatus(server);
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

// Sync benchmark: npx tsx bench/sync/sync.bench.ts [--events 10000] [--late 100000]
// 1. N consent events written on device A until all are visible on device B through the server.
// 2. A device joining late while the server already holds --late events.
// Each device is a whole app in its own process (test/helpers/sync-device.child.ts).
import { performance } from 'node:perf_hooks';
import { sealEvent } from '../../src/main/consent/event-hash';
import { remoteDatabaseName } from '../../src/main/sync/sync-collections';
import { startCouchServer, type CouchServer } from '../../test/helpers/couch-server';
import { eventChanges, openDevice, prepareServer, SYNC_DB, waitFor, type Device } from '../../test/helpers/sync-devices';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

const EVENTS = argument('events', 10_000);
const LATE = argument('late', 100_000);
const CHUNK = 1000;

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')} docs/s`;

async function writeThenSee(server: CouchServer): Promise<void> {
  const a = await openDevice(server, 'A');
  const b = await openDevice(server, 'B');
  try {
    const contact = await a.must('contacts:create', { name: 'Bench' });
    const start = performance.now();
    for (let done = 0; done < EVENTS; done += CHUNK) {
      await a.append(eventChanges('A', a.admin.userId ?? '', contact.id, Math.min(CHUNK, EVENTS - done)).map((c, i) => ({ ...c, id: `bench-${done + i}` })));
    }
    const written = performance.now() - start;
    await waitFor(`${EVENTS} events on B`, async () => (await b.eventCount()) === EVENTS, 600_000);
    const seen = performance.now() - start;
    console.log(`write on A:                 ${EVENTS} events in ${(written / 1000).toFixed(1)} s (${rate(EVENTS, written)})`);
    console.log(`A → server → B, all seen:   ${(seen / 1000).toFixed(1)} s (${rate(EVENTS, seen)})`);
  } finally {
    await a.dispose();
    await b.dispose();
  }
}

// Fills the server directly (as many devices would have over time), then times a fresh device.
async function lateJoiner(server: CouchServer): Promise<void> {
  const db = remoteDatabaseName(SYNC_DB, 'consent_events');
  const fillStart = performance.now();
  const at = new Date('2026-01-01T00:00:00Z').getTime();
  // Genuine documents, as devices would have written them: the arrival checks keep aside any
  // event whose hash, chain link or contact is wrong, so a forged fill would never arrive.
  const contactsDb = remoteDatabaseName(SYNC_DB, 'contacts');
  const contactCount = Math.min(5000, LATE);
  const stamp = new Date(at).toISOString();
  const contacts = Array.from({ length: contactCount }, (_, i) => ({
    _id: `contact-${i}`, name: `Contact ${i}`, email: '', phoneInput: '', waNumber: '', phoneValid: false, properties: {}, tags: [],
    createdAt: stamp, updatedAt: stamp, lastInboundAt: '',
  }));
  await bulkDocs(server, contactsDb, contacts);
  let prevHash = '';
  for (let done = 0; done < LATE; done += 5000) {
    const docs = Array.from({ length: Math.min(5000, LATE - done) }, (_, k) => {
      const i = done + k;
      const event = sealEvent(
        {
          id: `late-${String(i).padStart(7, '0')}`,
          contactId: `contact-${i % contactCount}`,
          typeId: 'type-marketing',
          status: i % 3 === 0 ? 'unsubscribed' : 'subscribed',
          previousStatus: 'not_specified',
          source: 'csv_import',
          legalBasis: 'consent_with_notice',
          explanation: '',
          actor: { kind: 'user', id: 'bench', name: 'Bench' },
          evidence: { row: i },
          occurredAt: new Date(at + i * 1000).toISOString(),
          recordedAt: new Date(at + i * 1000).toISOString(),
          deviceId: 'dev-bench',
          seq: i + 1,
          basedOn: '',
        },
        prevHash,
      );
      prevHash = event.hash;
      const { id, ...rest } = event;
      return { _id: id, ...rest };
    });
    await bulkDocs(server, db, docs);
  }
  console.log(`server filled:              ${LATE} events in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
  const start = performance.now();
  let late: Device | null = null;
  try {
    late = await openDevice(server, 'Late');
    const device = late;
    await waitFor(`${LATE} events on the late device`, async () => (await device.eventCount()) >= LATE, 1_800_000);
    const ms = performance.now() - start;
    console.log(`late device has them all:   ${(ms / 1000).toFixed(1)} s (${rate(LATE, ms)}) incl. app start`);
    await device.settled();
    console.log(`… and projected:            ${((performance.now() - start) / 1000).toFixed(1)} s`);
  } finally {
    await late?.dispose();
  }
}

async function bulkDocs(server: CouchServer, db: string, docs: readonly object[]): Promise<void> {
  const r = await fetch(`${server.url}/${db}/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs }) });
  if (!r.ok) throw new Error(`filling the server: ${r.status}`);
}

async function main() {
  console.log(`sync bench: --events ${EVENTS} --late ${LATE} (pouchdb-server on 127.0.0.1, memory storage per device)`);
  const server = await startCouchServer();
  try {
    await prepareServer(server);
    await writeThenSee(server);
    await lateJoiner(server);
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

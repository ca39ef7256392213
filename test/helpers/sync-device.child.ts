import { readFileSync } from 'node:fs';
import { openApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import type { ConsentChange } from '../../src/main/ledger/ledger-service';
import { byId, sharedData } from './shared-state-shape';

// One sync test device in its own process: RxDB's open-source build allows only a few
// open collections per process, so each device (a whole app) runs in a child like this,
// driven over the IPC channel by test/helpers/sync-devices.ts.
type Request = { id: number; op: string; args: unknown[] };

const [dataDir = '', retryMs = '200'] = process.argv.slice(2);
const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };

// A test that plays the enrolment registry names a JSON file { deviceId: publicKey }, read at
// every lookup so the test can enrol a device while the others run.
const enrolmentFile = process.env.CONSENT_DESK_TEST_ENROLMENT;
const deviceKeyLookup = enrolmentFile
  ? async (deviceId: string) => {
      const keys = JSON.parse(readFileSync(enrolmentFile, 'utf8')) as Record<string, string>;
      return Object.hasOwn(keys, deviceId) ? (keys[deviceId] ?? null) : null;
    }
  : undefined;

// A test of chain heads names how often a device may publish one (CONSENT_DESK_TEST_HEAD_INTERVAL_MS).
const headInterval = process.env.CONSENT_DESK_TEST_HEAD_INTERVAL_MS;
const chainHeadIntervalMs = headInterval === undefined ? undefined : Number(headInterval);

async function main() {
  const app = await openApp({ dataDir, log: quiet, syncRetryMs: Number(retryMs), syncCatchUpMs: 2000, deviceKeyLookup, chainHeadIntervalMs });
  const { db, ledger, sync } = app.services;
  // Every sync state the window was told of, in order.
  const toldStates: string[] = [];
  app.events.subscribe((e) => {
    if (e.type === 'sync:status') toldStates.push(String(e.status.state));
  });
  const ops: Record<string, (...args: never[]) => Promise<unknown>> = {
    call: async (channel: string, input: unknown, session: Session) => app.api.call(channel, input, session),
    contacts: async () => (await db.contacts.find().exec()).map((d) => sharedData(d.toMutableJSON())).sort(byId),
    events: async () => (await db.consent_events.find().exec()).map((d) => sharedData(d.toMutableJSON())).sort(byId),
    eventIds: async () => (await db.consent_events.find().exec()).map((d) => d.id).sort(),
    eventCount: async () => db.consent_events.count().exec(),
    stateCount: async () => db.consent_state.count().exec(),
    states: async () => (await db.consent_state.find().exec()).map((d) => d.toMutableJSON()),
    // This device's process so far: peak resident memory (bytes) and CPU time (ms).
    usage: async () => {
      const u = process.resourceUsage();
      return { peakRss: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 };
    },
    append: async (changes: ConsentChange[]) => (await ledger.append(changes)).inserted.length,
    status: async () => sync.status(),
    toldStates: async () => toldStates.splice(0),
    awaitInSync: async () => sync.awaitInSync(),
    settled: async () => {
      await ledger.settled();
      await app.services.lifecycle.erasure.settled();
    },
    close: async () => {
      await app.close();
      setImmediate(() => process.exit(0));
      return null;
    },
  };
  process.on('message', (raw) => {
    const msg = raw as Request;
    const op = ops[msg.op];
    const run = op ? (op as (...a: unknown[]) => Promise<unknown>)(...msg.args) : Promise.reject(new Error(`no op ${msg.op}`));
    run.then(
      (value) => process.send?.({ id: msg.id, ok: true, value }),
      (e: unknown) => process.send?.({ id: msg.id, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }),
    );
  });
  process.send?.({ ready: true });
}

main().catch((e: unknown) => {
  console.error('sync test device failed to start', e);
  process.exit(1);
});

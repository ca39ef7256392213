import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Session } from '../../src/main/api/handler-types';
import type { ConsentChange } from '../../src/main/ledger/ledger-service';
import { remoteDatabaseName, remoteDatabaseNames } from '../../src/main/sync/sync-collections';
import type { ChannelInput, ChannelName, ChannelResult, Result } from '../../src/shared/api';
import type { SyncStatus } from '../../src/shared/api/sync-channels';
import type { ConsentEvent, ConsentStateRow, Contact } from '../../src/shared/domain';
import type { CouchServer } from './couch-server';
import { byId, sharedData } from './shared-state-shape';
import { makeTempDir } from './temp-app';
import { TEST_SECRET } from './test-secret';

// Devices for sync tests: each a real app over its own temp folder, in its own process
// (see sync-device.child.ts), syncing with one server.
export const SYNC_DB = 'consentdesk';
const CHILD_SOURCE = resolve('test/helpers/sync-device.child.ts');
// Inside node_modules so the bundle still resolves native packages (better-sqlite3 and its cipher build).
const BUNDLE_DIR = resolve('node_modules/.cache/consent-desk-sync-device');

// The device app is bundled once per test process: a child then starts in about a second
// instead of transpiling hundreds of modules on every start.
let bundled: Promise<string> | null = null;
function childBundle(): Promise<string> {
  bundled ??= (async () => {
    mkdirSync(BUNDLE_DIR, { recursive: true });
    const own = join(BUNDLE_DIR, `child-${process.pid}.mjs`);
    await build({
      entryPoints: [CHILD_SOURCE],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: own,
      external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'electron'],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'error',
    });
    // The integrity check's worker thread, where the app looks for it beside its bundle.
    const ownWorker = join(BUNDLE_DIR, `chain-worker-${process.pid}.mjs`);
    await build({
      entryPoints: [resolve('src/main/integrity/chain-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: ownWorker,
      external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers'],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'error',
    });
    renameSync(ownWorker, join(BUNDLE_DIR, 'chain-worker.mjs'));
    const shared = join(BUNDLE_DIR, 'child.mjs');
    renameSync(own, shared);
    return shared;
  })();
  return bundled;
}

export type Device = {
  label: string;
  dataDir: string;
  admin: Session;
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelResult<C>>>;
  must<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>>;
  callAs<C extends ChannelName>(session: Session, channel: C, input: ChannelInput<C>): Promise<Result<ChannelResult<C>>>;
  contacts(): Promise<Contact[]>;
  events(): Promise<ConsentEvent[]>;
  eventIds(): Promise<string[]>;
  eventCount(): Promise<number>;
  stateCount(): Promise<number>;
  // The consent_state projection's rows.
  states(): Promise<ConsentStateRow[]>;
  usage(): Promise<{ peakRss: number; cpuMs: number }>;
  append(changes: ConsentChange[]): Promise<number>;
  appendEvents(contactId: string, n: number): Promise<number>;
  status(): Promise<SyncStatus>;
  // The sync states pushed to the window since the last call.
  toldStates(): Promise<string[]>;
  awaitInSync(): Promise<void>;
  settled(): Promise<void>;
  // Closes the app; the data folder stays for a reopen.
  close(): Promise<void>;
  dispose(): Promise<void>;
};

type Reply = { id: number; ok: boolean; value?: unknown; error?: string } | { ready: true };

async function spawnDevice(dataDir: string): Promise<{ child: ChildProcess; rpc(op: string, ...args: unknown[]): Promise<unknown> }> {
  const child = fork(await childBundle(), [dataDir, '200'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 0;
  const ready = new Promise<void>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`device process exited with ${code}`)));
    child.on('message', (raw) => {
      const msg = raw as Reply;
      if ('ready' in msg) return resolveReady();
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.ok) w?.resolve(msg.value);
      else w?.reject(new Error(msg.error));
    });
  });
  await ready;
  child.on('exit', () => waiting.forEach((w) => w.reject(new Error('device process exited'))));
  return {
    child,
    rpc: (op, ...args) =>
      new Promise((resolveCall, reject) => {
        const id = (next += 1);
        waiting.set(id, { resolve: resolveCall, reject });
        child.send({ id, op, args });
      }),
  };
}

export async function prepareServer(server: CouchServer, base = SYNC_DB): Promise<void> {
  await server.createDatabases(remoteDatabaseNames(base));
}

export type DeviceOptions = { dataDir?: string; username?: string; password?: string; start?: boolean; database?: string; admin?: Session };

export async function openDevice(server: CouchServer, label: string, options: DeviceOptions = {}): Promise<Device> {
  const dataDir = options.dataDir ?? makeTempDir('consent-desk-sync-');
  const { child, rpc } = await spawnDevice(dataDir);
  const call = <C extends ChannelName>(channel: C, input: ChannelInput<C>, session: Session) =>
    rpc('call', channel, input, session) as Promise<Result<ChannelResult<C>>>;
  const mustAs = async <C extends ChannelName>(session: Session, channel: C, input: ChannelInput<C>) => {
    const r = await call(channel, input, session);
    if (!r.ok) throw new Error(`${label} ${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const signInFirstAdmin = async () => {
    const session: Session = { userId: null };
    const created = await mustAs(session, 'users:create', { name: `Admin ${label}`, role: 'admin', secret: TEST_SECRET });
    // The session travels by value to the device process with each call: the device checks the
    // secret, and the signed-in id is kept here, as a window's binding keeps it.
    session.userId = (await mustAs(session, 'session:signIn', { userId: created.id, secret: TEST_SECRET })).id;
    return session;
  };
  const admin = options.admin ?? (await signInFirstAdmin());
  const device: Device = {
    label,
    dataDir,
    admin,
    call: (channel, input) => call(channel, input, admin),
    must: (channel, input) => mustAs(admin, channel, input),
    callAs: (session, channel, input) => call(channel, input, session),
    contacts: () => rpc('contacts') as Promise<Contact[]>,
    events: () => rpc('events') as Promise<ConsentEvent[]>,
    eventIds: () => rpc('eventIds') as Promise<string[]>,
    eventCount: () => rpc('eventCount') as Promise<number>,
    stateCount: () => rpc('stateCount') as Promise<number>,
    states: () => rpc('states') as Promise<ConsentStateRow[]>,
    usage: () => rpc('usage') as Promise<{ peakRss: number; cpuMs: number }>,
    append: (changes) => rpc('append', changes) as Promise<number>,
    appendEvents: (contactId, n) => device.append(eventChanges(label, admin.userId ?? '', contactId, n)),
    status: () => rpc('status') as Promise<SyncStatus>,
    toldStates: () => rpc('toldStates') as Promise<string[]>,
    awaitInSync: async () => void (await rpc('awaitInSync')),
    settled: async () => void (await rpc('settled')),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      await rpc('close');
      await exited;
    },
    async dispose() {
      await device.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (!options.admin) {
    await device.must('sync:setConfig', {
      url: server.url,
      database: options.database ?? SYNC_DB,
      username: options.username ?? server.admin?.username ?? '',
      password: options.password ?? server.admin?.password ?? '',
    });
  }
  if (options.start !== false && !options.admin) await device.must('sync:start', {});
  await joinRootOf(server, device, options);
  return device;
}

/*
 * Devices are enrolled the real way: the first device opened on a server is the root of trust
 * (its first admin was created there); every later one that syncs shows its pairing code, and
 * the root's admin approves it once its request has arrived. A device opened without sync
 * (start: false) is enrolled by the test, with enrolDevice, when it starts syncing.
 */
const liveRoots = new Map<string, Device>();
// The last device on each server to start joining: devices opened together (Promise.all) each
// wait for the one opened before them, or every one of them would see no root yet and stay the
// root of its own first run, and none would trust another's events.
const joining = new Map<string, Promise<void>>();

async function joinRootOf(server: CouchServer, device: Device, options: DeviceOptions): Promise<void> {
  const before = joining.get(server.url);
  let done!: () => void;
  joining.set(server.url, new Promise<void>((resolve) => (done = resolve)));
  try {
    await before;
    const root = liveRoots.get(server.url);
    const status = await device.must('devices:status', {});
    if (!root || root.label === device.label) {
      if (status.root) liveRoots.set(server.url, device);
    } else if (!options.admin && options.start !== false) {
      // Approved in turn; the next device may ask the same root at once.
      done();
      await enrolDevice(root, device);
    }
  } finally {
    done();
  }
  const close = device.close;
  device.close = async () => {
    if (liveRoots.get(server.url) === device) liveRoots.delete(server.url);
    await close();
  };
}

// The root's admin types the device's pairing code; waits until the device knows it is enrolled
// under that root (until then it is the root of its own first run).
export async function enrolDevice(root: Device, device: Device): Promise<void> {
  const { pairingCode } = await device.must('devices:status', {});
  const { deviceId: rootId } = await root.must('devices:status', {});
  await waitFor(`${root.label} to receive ${device.label}'s pairing request`, async () => {
    const approved = await root.call('devices:approve', { code: pairingCode });
    if (approved.ok) return true;
    if (approved.error.code !== 'not_found') throw new Error(`${root.label} devices:approve: ${approved.error.code} ${approved.error.message}`);
    return false;
  });
  await waitFor(`${device.label} to learn it is enrolled`, async () => {
    const now = await device.must('devices:status', {});
    return now.status === 'enrolled' && now.rootDeviceId === rootId;
  });
}

export function eventChanges(label: string, userId: string, contactId: string, n: number, typeId = 'type-marketing'): ConsentChange[] {
  return Array.from({ length: n }, (_, i) => ({
    contactId,
    typeId,
    status: i % 2 === 0 ? 'subscribed' : 'unsubscribed',
    source: 'manual',
    legalBasis: 'consent_with_notice',
    explanation: `${label} #${i}`,
    actor: { kind: 'user', id: userId, name: label },
    evidence: {},
  }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Bounded polling for a condition; never a fixed sleep standing in for "long enough".
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export async function sharedState(d: Device) {
  return { contacts: await d.contacts(), events: await d.events() };
}

// Devices agreeing with each other is not yet convergence: RxDB's pull can apply a server
// state older than one the device has just pushed (a conflict it resolved), and put the
// newer one back when it arrives a moment later. Two devices can pass through the same such
// stale state together, so a converged state is also the one the server holds.
async function converged(server: CouchServer, devices: readonly Device[]): Promise<boolean> {
  const states = await Promise.all([serverState(server), ...devices.map((d) => sharedState(d))]);
  const first = JSON.stringify(states[0]);
  return states.every((s) => JSON.stringify(s) === first);
}

// Waits until the devices and the server hold the same contacts and events. On a timeout the
// error says what still differs on each device, and how (a CI log is all there is to go on).
export async function awaitConvergence(server: CouchServer, devices: readonly Device[], timeoutMs = 30_000): Promise<void> {
  try {
    await waitFor(`${devices.map((d) => d.label).join(', ')} and the server to agree`, () => converged(server, devices), timeoutMs);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await divergence(server, devices)}`, { cause: error });
  }
}

async function divergence(server: CouchServer, devices: readonly Device[]): Promise<string> {
  const reference = await serverState(server);
  const lines: string[] = [];
  for (const d of devices) {
    const state = await sharedState(d);
    for (const kind of ['contacts', 'events'] as const) {
      const onServer = new Map(reference[kind].map((x) => [String(x.id), JSON.stringify(x)]));
      const onDevice = new Map((state[kind] as unknown as Array<Record<string, unknown>>).map((x) => [String(x.id), JSON.stringify(x)]));
      const differing = [...new Set([...onServer.keys(), ...onDevice.keys()])].filter((id) => onServer.get(id) !== onDevice.get(id));
      const [id] = differing;
      if (id === undefined) continue;
      lines.push(`${d.label}: ${differing.length} ${kind} differ from the server's, e.g. ${id}; sync status ${JSON.stringify(await d.status())}`);
      lines.push(`  server: ${onServer.get(id) ?? '(missing)'}`, `  ${d.label}: ${onDevice.get(id) ?? '(missing)'}`);
    }
  }
  return lines.length ? lines.join('\n') : 'They agreed just after the timeout.';
}

// The server's contacts and events in the shape sharedState gives a device's.
async function serverState(server: CouchServer) {
  const plain = async (collection: string) =>
    (await server.allDocs(remoteDatabaseName(SYNC_DB, collection)))
      .map(({ _id, ...data }) => sharedData({ id: _id, ...data }))
      .sort(byId);
  return { contacts: await plain('contacts'), events: await plain('consent_events') };
}

export const serverEventCount = (server: CouchServer) => server.docCount(remoteDatabaseName(SYNC_DB, 'consent_events'));

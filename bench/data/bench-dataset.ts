import { createHash } from 'node:crypto';
import { constants, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openApp } from '../../src/main/app';
import { insertDocuments } from '../../src/main/store/insert-documents';
import type { User } from '../../src/shared/domain';
import { BENCH_SECRET } from '../bench-secret';
import { DATASET_DEVICES, datasetContacts, datasetEventBatches, datasetTypes } from './dataset-generator';

/*
 * The shared bench data set: one seeded ledger (by default 1,000,000 events over 100,000
 * contacts, four devices' chains, three types, a complete projection) built once into a ready
 * app data folder and cached, so every bench starts from the same data and figures can be
 * compared. The cache is keyed by the sizes and a version taken from the code that shapes the
 * folder (schemas, storage, hashing, this generator): a change there builds a new one.
 *
 * A bench never opens the cached folder itself: it takes a copy (copyBenchDataset).
 */
export type DatasetSize = { events: number; contacts: number };

export type DatasetManifest = DatasetSize & {
  version: string;
  // The admin profile to sign in with (secret: BENCH_SECRET from bench/bench-secret.ts).
  adminUserId: string;
  devices: string[];
  typeIds: string[];
  // What the folder held when it was closed: ledger events and projection rows.
  storedEvents: number;
  stateRows: number;
  buildMs: number;
  builtAt: string;
};

export type BenchDataset = {
  // The cached folder: read only.
  dir: string;
  manifest: DatasetManifest;
  // True when this call built it (false: found in the cache or built by another process).
  built: boolean;
};

export const DEFAULT_DATASET: DatasetSize = { events: 1_000_000, contacts: 100_000 };
const EVENT_BATCH = 5000;
const CONTACT_BATCH = 10_000;
const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };

export const benchCacheDir = (): string => resolve(process.env.BENCH_CACHE ?? join(homedir(), '.cache', 'consent-desk-bench'));

// `--events N --contacts N` from a bench's command line, with the shared defaults.
export function datasetSizeFromArgs(argv: readonly string[] = process.argv, fallback: DatasetSize = DEFAULT_DATASET): DatasetSize {
  const read = (name: string, value: number) => {
    const i = argv.indexOf(`--${name}`);
    const n = i >= 0 ? Number(argv[i + 1]) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : value;
  };
  const events = read('events', fallback.events);
  return { events, contacts: Math.min(events, read('contacts', Math.min(fallback.contacts, events))) };
}

// Everything the folder's bytes depend on; a change in any of it gives a new cache entry.
const VERSIONED_SOURCES = ['src/main/store/schemas', 'src/main/store/rx-storage-sqlite', 'src/main/store/database.ts', 'src/main/consent/event-hash.ts', 'bench/data/dataset-generator.ts'];

function sourceFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => sourceFiles(join(path, name)));
}

export function datasetVersion(root = process.cwd()): string {
  const hash = createHash('sha256');
  for (const source of VERSIONED_SOURCES) {
    for (const file of sourceFiles(join(root, source))) hash.update(file.slice(root.length)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

const entryName = (size: DatasetSize, version: string) => `dataset-${size.events}e-${size.contacts}c-${version}`;

function readManifest(dir: string): DatasetManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  } catch {
    return undefined;
  }
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/*
 * The cached data set of this size, built first if missing. Two benches asking at once build
 * it once: the first takes a lock file, the other waits for its result (or takes over when the
 * builder died). The folder is built aside and renamed into place, so a half-built one is never
 * found.
 */
export async function ensureBenchDataset(size: DatasetSize = DEFAULT_DATASET, options: { log?: (line: string) => void } = {}): Promise<BenchDataset> {
  const log = options.log ?? ((line: string) => console.log(line));
  const version = datasetVersion();
  const cache = benchCacheDir();
  const dir = join(cache, entryName(size, version));
  mkdirSync(cache, { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    const found = readManifest(dir);
    if (found) return { dir, manifest: found, built: false };
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(readFileSync(lock, 'utf8'));
      if (Number.isSafeInteger(holder) && holder > 0 && pidAlive(holder)) {
        await sleep(1000);
        continue;
      }
      rmSync(lock, { force: true });
    }
  }
  try {
    const found = readManifest(dir);
    if (found) return { dir, manifest: found, built: false };
    log(`bench data set: building ${size.events.toLocaleString('en')} events over ${size.contacts.toLocaleString('en')} contacts into ${dir}`);
    const manifest = await buildDataset(size, version, cache, dir, log);
    log(`bench data set: built in ${(manifest.buildMs / 1000).toFixed(1)} s (${manifest.storedEvents.toLocaleString('en')} events, ${manifest.stateRows.toLocaleString('en')} projection rows)`);
    return { dir, manifest, built: true };
  } finally {
    rmSync(lock, { force: true });
  }
}

async function buildDataset(size: DatasetSize, version: string, cache: string, finalDir: string, log: (line: string) => void): Promise<DatasetManifest> {
  const start = performance.now();
  const work = mkdtempSync(join(cache, '.building-'));
  try {
    const dataDir = join(work, 'data');
    const app = await openApp({ dataDir, log: quiet });
    let adminUserId = '';
    let storedEvents = 0;
    let stateRows = 0;
    try {
      const created = await app.api.call('users:create', { name: 'Bench Admin', role: 'admin', secret: BENCH_SECRET }, { userId: null });
      if (!created.ok) throw new Error(`creating the bench admin: ${created.error.message}`);
      adminUserId = (created.value as User).id;
      const { db } = app.services;
      const types = datasetTypes();
      await insertDocuments(db.subscription_types, types);
      const contacts = datasetContacts(size.contacts);
      for (let i = 0; i < contacts.length; i += CONTACT_BATCH) await insertDocuments(db.contacts, contacts.slice(i, i + CONTACT_BATCH));
      let written = 0;
      // Written as replication writes them (behind the ledger's back), so the app's own
      // projection folds them as it folds events that arrive by sync.
      for (const batch of datasetEventBatches(size.events, contacts, EVENT_BATCH)) {
        const result = await insertDocuments(db.consent_events, batch);
        if (result.error.length > 0) throw new Error(`writing events: ${result.error.length} failed, e.g. ${result.error[0]?.documentId}`);
        written += batch.length;
        if (written % 100_000 === 0 || written === size.events) log(`  ${written.toLocaleString('en')} events written (${((performance.now() - start) / 1000).toFixed(0)} s)`);
      }
      await app.services.ledger.settled();
      log(`  projected (${((performance.now() - start) / 1000).toFixed(0)} s)`);
      storedEvents = await db.consent_events.count().exec();
      stateRows = await db.consent_state.count().exec();
    } finally {
      await app.close();
    }
    if (storedEvents !== size.events) throw new Error(`the data set holds ${storedEvents} events, not ${size.events}`);
    const manifest: DatasetManifest = {
      ...size, version, adminUserId, devices: [...DATASET_DEVICES], typeIds: datasetTypes().map((t) => t.id),
      storedEvents, stateRows, buildMs: Math.round(performance.now() - start), builtAt: new Date().toISOString(),
    };
    writeFileSync(join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(work, finalDir);
    return manifest;
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

/*
 * A private copy of the data set's app folder for one bench to open and change (under the OS
 * temp folder unless `target` is given). The copy gets no device id: it starts as a device of
 * its own, none of whose chains the data set's events belong to.
 */
export function copyBenchDataset(dataset: BenchDataset, target?: string): string {
  const dir = target ?? mkdtempSync(join(tmpdir(), 'consent-desk-bench-data-'));
  cpSync(join(dataset.dir, 'data'), dir, { recursive: true, mode: constants.COPYFILE_FICLONE });
  rmSync(join(dir, 'device-id'), { force: true });
  return dir;
}

import { constants, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { remoteDatabaseName } from '../../src/main/sync/sync-collections';
import { startCouchServer, type CouchServer } from '../../test/helpers/couch-server';
import { prepareServer, SYNC_DB } from '../../test/helpers/sync-devices';
import { benchCacheDir, datasetVersion, type DatasetSize } from '../data/bench-dataset';
import { datasetContacts, datasetEventBatches, datasetTypes } from '../data/dataset-generator';

/*
 * A sync server holding the shared data set (its contacts, types and events), as it would after
 * the data set's devices had synced for a year: what a late joiner downloads. Filling it takes
 * minutes at a million events, so the server's data folder is cached beside the data set (same
 * sizes, same version) and each run serves a copy of it.
 */
const FILL_BATCH = 5000;

async function bulkDocs(server: CouchServer, collection: string, docs: ReadonlyArray<{ id: string }>): Promise<void> {
  const body = JSON.stringify({ docs: docs.map(({ id, ...rest }) => ({ _id: id, ...rest })) });
  const r = await fetch(`${server.url}/${remoteDatabaseName(SYNC_DB, collection)}/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (!r.ok) throw new Error(`filling the server's ${collection}: ${r.status} ${await r.text()}`);
}

// The documents are the data set's own: its generator gives the same ones from the same seeds.
async function fill(server: CouchServer, size: DatasetSize, log: (line: string) => void): Promise<void> {
  await prepareServer(server);
  const contacts = datasetContacts(size.contacts);
  await bulkDocs(server, 'subscription_types', datasetTypes());
  for (let i = 0; i < contacts.length; i += FILL_BATCH) await bulkDocs(server, 'contacts', contacts.slice(i, i + FILL_BATCH));
  let done = 0;
  for (const batch of datasetEventBatches(size.events, contacts, FILL_BATCH)) {
    await bulkDocs(server, 'consent_events', batch);
    done += batch.length;
    if (done % 200_000 === 0) log(`  server: ${done.toLocaleString('en')} events`);
  }
}

export async function startLateJoinServer(size: DatasetSize, log: (line: string) => void): Promise<{ server: CouchServer; fillMs: number | null }> {
  const cached = join(benchCacheDir(), `couch-${size.events}e-${size.contacts}c-${datasetVersion()}`);
  if (!existsSync(join(cached, 'filled.json'))) {
    mkdirSync(benchCacheDir(), { recursive: true });
    const work = mkdtempSync(join(benchCacheDir(), '.couch-'));
    const start = performance.now();
    const server = await startCouchServer({ dir: work, keep: true });
    try {
      await fill(server, size, log);
    } finally {
      await server.stop();
    }
    const fillMs = performance.now() - start;
    writeFileSync(join(work, 'filled.json'), JSON.stringify({ ...size, fillMs: Math.round(fillMs) }));
    try {
      renameSync(work, cached);
    } catch {
      // Another run cached the same server meanwhile: theirs is as good.
      rmSync(work, { recursive: true, force: true });
    }
    return { server: await serveCopy(cached), fillMs };
  }
  return { server: await serveCopy(cached), fillMs: null };
}

async function serveCopy(cached: string): Promise<CouchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'consent-desk-couch-'));
  cpSync(cached, dir, { recursive: true, mode: constants.COPYFILE_FICLONE });
  return startCouchServer({ dir });
}

import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

/*
 * The sync bench's same-run baseline: plain PouchDB replication (memory adapter, batch 100)
 * through the same pouchdb-server. Device A writes the documents in chunks while a live push
 * sends them to the server and a live pull brings them to device B; the time is from the
 * first write until B holds them all, as the app's figure is.
 */
type Replication = { cancel(): void; on(event: 'error', listener: (e: unknown) => void): Replication };
type PouchDatabase = {
  bulkDocs(docs: readonly object[]): Promise<unknown>;
  info(): Promise<{ doc_count: number }>;
  destroy(): Promise<unknown>;
};
type PouchStatic = {
  new (name: string, options?: { adapter?: string }): PouchDatabase;
  plugin(plugin: unknown): PouchStatic;
  replicate(source: PouchDatabase | string, target: PouchDatabase | string, options: { live: boolean; retry: boolean; batch_size: number }): Replication & PromiseLike<unknown>;
};

const require = createRequire(import.meta.url);
const PouchDB = (require('pouchdb-core') as PouchStatic)
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type BaselineResult = { writtenMs: number; seenMs: number };

export async function pouchReplicationBaseline(serverDbUrl: string, docs: readonly object[], chunk: number): Promise<BaselineResult> {
  const run = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const a = new PouchDB(`baseline-a-${run}`, { adapter: 'memory' });
  const b = new PouchDB(`baseline-b-${run}`, { adapter: 'memory' });
  const options = { live: true, retry: true, batch_size: 100 };
  const push = PouchDB.replicate(a, serverDbUrl, options).on('error', (e) => console.error('baseline push failed', e));
  const pull = PouchDB.replicate(serverDbUrl, b, options).on('error', (e) => console.error('baseline pull failed', e));
  try {
    const start = performance.now();
    for (let done = 0; done < docs.length; done += chunk) await a.bulkDocs(docs.slice(done, done + chunk));
    const writtenMs = performance.now() - start;
    const until = Date.now() + 600_000;
    while ((await b.info()).doc_count < docs.length) {
      if (Date.now() > until) throw new Error('the baseline replication did not finish in 10 minutes');
      await sleep(50);
    }
    return { writtenMs, seenMs: performance.now() - start };
  } finally {
    push.cancel();
    pull.cancel();
    await a.destroy();
    await b.destroy();
  }
}

// A late joiner's baseline: a fresh PouchDB (memory) pulls a whole server database, batch 100.
export async function pouchPullBaseline(serverDbUrl: string): Promise<{ ms: number; docs: number }> {
  const b = new PouchDB(`baseline-late-${Date.now()}-${Math.random().toString(36).slice(2)}`, { adapter: 'memory' });
  try {
    const start = performance.now();
    await PouchDB.replicate(serverDbUrl, b, { live: false, retry: false, batch_size: 100 });
    return { ms: performance.now() - start, docs: (await b.info()).doc_count };
  } finally {
    await b.destroy();
  }
}

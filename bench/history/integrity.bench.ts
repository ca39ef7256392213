// The integrity check and the history index over a large ledger (default 1,000,000
// events on 3 devices), in the real app over a temp folder with the default storage.
// Usage: npx tsx bench/history/integrity.bench.ts [--events 100000] [--no-baseline]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from '../../src/main/app';
import { sealEvent } from '../../src/main/consent/event-hash';
import type { HistoryQuery } from '../../src/shared/api/consent-channels';
import type { ConsentEvent } from '../../src/shared/domain';

type HistoryQueryBase = Omit<HistoryQuery, 'offset' | 'limit'>;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const total = arg('events', 1_000_000);
const DEVICES = ['dev-a', 'dev-b', 'dev-c'];
const SOURCES = ['manual', 'keyword', 'csv_import', 'bulk'] as const;
const CHUNK = 5000;
const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

const dir = mkdtempSync(join(tmpdir(), 'consent-desk-bench-'));
const app = await openApp({ dataDir: dir, log: quiet });
try {
  const heads = new Map(DEVICES.map((d) => [d, { seq: 0, hash: '' }]));
  const t0 = Date.now();
  const start = Date.parse('2024-01-01T00:00:00.000Z');
  for (let done = 0; done < total; done += CHUNK) {
    const chunk: ConsentEvent[] = [];
    for (let i = done; i < Math.min(done + CHUNK, total); i++) {
      const deviceId = DEVICES[i % DEVICES.length] ?? 'dev-a';
      const head = heads.get(deviceId) ?? { seq: 0, hash: '' };
      const at = new Date(start + i * 30_000).toISOString();
      const e = sealEvent({
        id: `bench-${String(i).padStart(8, '0')}`, contactId: `c${i % 50_000}`, typeId: i % 5 === 0 ? 'ord' : 'mkt',
        status: i % 3 === 0 ? 'unsubscribed' : 'subscribed', previousStatus: 'not_specified', source: SOURCES[i % SOURCES.length] ?? 'manual',
        legalBasis: i % 3 === 0 ? '' : 'consent_with_notice', explanation: `Bench event from batch ${i % 997}`,
        actor: { kind: 'user', id: `u${i % 7}`, name: `User ${i % 7}` }, evidence: {}, occurredAt: at, recordedAt: at,
        deviceId, seq: head.seq + 1, basedOn: '',
      }, head.hash);
      heads.set(deviceId, { seq: e.seq, hash: e.hash });
      chunk.push(e);
    }
    await app.services.db.consent_events.storageInstance.bulkWrite(chunk.map((document) => ({ document: { ...document, _deleted: false, _attachments: {}, _rev: '1-bench', _meta: { lwt: Date.now() } } })), 'bench');
  }
  // The ledger projects events written behind its back (as if they came by sync): let it
  // finish, so the timings below do not share the process with that work.
  await app.services.ledger.settled();
  console.log(`seeded ${total.toLocaleString('en')} events in ${((Date.now() - t0) / 1000).toFixed(1)} s (rss ${mb()} MB)`);

  if (process.argv.includes('--pages')) {
    let t = performance.now();
    let n = 0;
    for await (const page of app.services.integrity.devicePages('dev-a')()) {
      n += 1;
      if (n <= 3 || n % 5 === 0) console.log(`page ${n}: ${page.length} events in ${(performance.now() - t).toFixed(0)} ms`);
      t = performance.now();
    }
  }
  if (!process.argv.includes('--no-baseline')) {
    // Same-run baseline: the earlier offset paging (skip/limit through RxDB) over the
    // first 100,000 events of one device, against the keyset pages over the same events.
    const sample = Math.min(100_000, Math.ceil(total / DEVICES.length));
    let t = performance.now();
    for (let skip = 0; skip < sample; skip += 5000) {
      await app.services.db.consent_events.find({ selector: { deviceId: 'dev-a' }, sort: [{ deviceId: 'asc' }, { seq: 'asc' }], skip, limit: Math.min(5000, sample - skip) }).exec();
    }
    const offsetMs = performance.now() - t;
    t = performance.now();
    let read = 0;
    for await (const page of app.services.integrity.devicePages('dev-a')()) {
      read += page.length;
      if (read >= sample) break;
    }
    const keysetMs = performance.now() - t;
    console.log(`reading ${sample.toLocaleString('en')} events of one device: offset pages ${keysetMs > 0 ? offsetMs.toFixed(0) : '?'} ms, integrity pages ${keysetMs.toFixed(0)} ms (${(offsetMs / keysetMs).toFixed(1)}x faster)`);
  }
  const t1 = Date.now();
  const report = await app.services.integrity.verifyAll();
  const s1 = (Date.now() - t1) / 1000;
  console.log(`integrity check: ${report.ok ? 'ok' : 'PROBLEMS'}, ${report.events.toLocaleString('en')} events, ${report.devices} devices in ${s1.toFixed(1)} s = ${Math.round(report.events / s1).toLocaleString('en')} events/s (rss ${mb()} MB)`);

  const empty: HistoryQueryBase = { contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '' };
  const t2 = Date.now();
  await app.services.history.stats(empty);
  console.log(`history index build (first use): ${((Date.now() - t2) / 1000).toFixed(1)} s (rss ${mb()} MB)`);
  const time = async (label: string, run: () => Promise<unknown>) => {
    const t = performance.now();
    await run();
    console.log(`${label}: ${(performance.now() - t).toFixed(1)} ms`);
  };
  await time('first page, no filter, exact total', () => app.services.history.query({ ...empty, offset: 0, limit: 50 }));
  await time('deep page (offset 900,000 or last), no filter', () => app.services.history.query({ ...empty, offset: Math.max(0, Math.min(900_000, total - 50)), limit: 50 }));
  await time('filtered page: source keyword + status unsubscribed', () => app.services.history.query({ ...empty, source: 'keyword', status: 'unsubscribed', offset: 0, limit: 50 }));
  await time('full-text search "batch 42"', () => app.services.history.query({ ...empty, search: 'batch 42', offset: 0, limit: 50 }));
  await time('stats (timeline + counts) over everything', () => app.services.history.stats(empty));
  await time('stats for one month', () => app.services.history.stats({ ...empty, from: '2024-02-01', to: '2024-02-29' }));
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

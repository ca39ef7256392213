import { INDEX_MAX, INDEX_MIN } from 'rxdb';
import type { ConsentEvent } from '../../shared/domain';
import { withoutStorageFields } from '../store/plain-documents';
import { createIndexKeyEncoder } from '../store/rx-storage-sqlite/index-key';
import { createChainTally } from './chain-tally';
import { verifyDeviceStream } from './chain-stream';
import type { ChainWorkerInput, ChainWorkerMessage } from './chain-worker-protocol';
import { withKeptLinks } from './kept-links-merge';
import { openReadOnly, type SqliteDatabase } from '../store/rx-storage-sqlite/sqlite-driver';
import { reorderWindow } from './reorder-window';

/*
 * The chain part of the integrity check, read straight from the SQLite file on a read-only
 * connection of its own (in the integrity worker): the same rows, in the same index order,
 * as the store's range queries hand the main-thread check (integrity-service.ts), through
 * the same per-device verdicts (chain-stream.ts), so both report the same. One device at a
 * time, each as one range walk over its key column: nothing but the current page is held.
 */
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function verifyLedgerFile(input: ChainWorkerInput, post: (message: ChainWorkerMessage) => void): Promise<void> {
  const db = openReadOnly(input.path, input.cipherPragmas);
  return run(db, input, post).finally(() => db.close());
}

async function run(db: SqliteDatabase, input: ChainWorkerInput, post: (message: ChainWorkerMessage) => void): Promise<void> {
  const table = quote(input.table);
  const column = quote(input.column);
  const encoder = createIndexKeyEncoder(input.schema, input.fields);
  // Bounds over the index [_deleted, deviceId, seq, id]: live rows only, one device or all.
  const bounds = (deviceId: string | null, open: unknown) =>
    input.fields.map((field) => (field === '_deleted' ? false : field === 'deviceId' && deviceId !== null ? deviceId : open));
  const lowest = encoder.lowerBound(bounds(null, INDEX_MIN));
  const highest = encoder.upperBound(bounds(null, INDEX_MAX));

  const total = db.prepare(`SELECT count(*) FROM ${table} WHERE deleted = 0`).pluck(true).get() as number;
  const nextRow = db.prepare(`SELECT data, ${column} AS k FROM ${table} WHERE ${column} > ? AND ${column} <= ? AND deleted = 0 ORDER BY ${column} LIMIT 1`);
  const range = db.prepare(`SELECT data FROM ${table} WHERE ${column} >= ? AND ${column} <= ? AND deleted = 0 ORDER BY ${column}`).pluck(true);

  // Devices in index order, as the main-thread check finds them; the walk always moves past
  // the row it found, so a row whose deviceId was edited in the file cannot make it loop.
  // An empty key sorts before every key.
  const devices: Array<{ deviceId: string; low: Buffer; high: Buffer }> = [];
  let after: Buffer = Buffer.alloc(0);
  for (;;) {
    const row = nextRow.get(after, highest) as { data: string; k: Buffer } | undefined;
    if (!row) break;
    const deviceId = String((JSON.parse(row.data) as { deviceId?: unknown }).deviceId ?? '');
    const low = encoder.lowerBound(bounds(deviceId, INDEX_MIN));
    const high = encoder.upperBound(bounds(deviceId, INDEX_MAX));
    devices.push({ deviceId, low: Buffer.compare(low, lowest) < 0 ? lowest : low, high });
    after = Buffer.compare(high, row.k) > 0 ? high : row.k;
  }

  const tally = createChainTally(input.maxIssues);
  let done = 0;
  post({ type: 'progress', done, total });
  for (const { deviceId, low, high } of devices) {
    let firstPass = true;
    const rows = () =>
      async function* pages(): AsyncIterable<readonly ConsentEvent[]> {
        const counting = firstPass;
        firstPass = false;
        let page: ConsentEvent[] = [];
        for (const data of range.iterate(low, high) as Iterable<string>) {
          // Without RxDB's bookkeeping, as the store's queries hand events to the main-thread check.
          page.push(withoutStorageFields(JSON.parse(data) as ConsentEvent));
          if (page.length === input.pageSize) {
            if (counting) post({ type: 'progress', done: (done += page.length), total });
            yield page;
            page = [];
          }
        }
        if (counting) post({ type: 'progress', done: (done += page.length), total });
        if (page.length > 0) yield page;
      };
    const raw = rows();
    const ledger = () => reorderWindow(raw());
    const kept = input.keptLinks[deviceId] ?? [];
    tally.add(await verifyDeviceStream(deviceId, withKeptLinks(ledger, async () => kept)));
  }
  const { checkedAt: _checkedAt, durationMs: _durationMs, ...report } = tally.report('', 0);
  post({ type: 'done', result: report });
}

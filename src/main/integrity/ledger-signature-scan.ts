import type { ConsentEvent } from '../../shared/domain';
import { buildRegistry } from '../device/device-registry';
import { openReadOnly } from '../store/rx-storage-sqlite/sqlite-driver';
import type { SignatureWorkerInput, SignatureWorkerMessage } from './chain-worker-protocol';
import { createSignatureTally } from './signature-tally';

/*
 * One worker's share of the signature check: the live events in a rowid range, read in table
 * order (the cheapest walk through the file) on a read-only connection of its own, each checked
 * against a registry built here from the records and root main's registry was built from. The
 * verdict of an event does not depend on any other event, so the shares can be split anywhere;
 * the tally's problem order makes the merged report independent of the split.
 */
const PROGRESS_EVERY = 2000;
// SQLite's largest rowid: the last share is open-ended, so rows appended since the split count too.
const MAX_ROWID = 9223372036854775807n;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function scanLedgerSignatures(input: SignatureWorkerInput, post: (message: SignatureWorkerMessage) => void): void {
  const db = openReadOnly(input.path, input.cipherPragmas);
  try {
    const registry = buildRegistry(input.registry.records, input.registry.root);
    const table = quote(input.table);
    const to = input.toRowid ?? MAX_ROWID;
    const total = db.prepare(`SELECT count(*) FROM ${table} WHERE rowid >= ? AND rowid <= ? AND deleted = 0`).pluck(true).get(input.fromRowid, to) as number;
    const rows = db.prepare(`SELECT data FROM ${table} WHERE rowid >= ? AND rowid <= ? AND deleted = 0`).pluck(true);
    const tally = createSignatureTally();
    let done = 0;
    post({ type: 'progress', done, total });
    for (const data of rows.iterate(input.fromRowid, to) as Iterable<string>) {
      tally.add(JSON.parse(data) as ConsentEvent, registry);
      done += 1;
      if (done % PROGRESS_EVERY === 0) post({ type: 'progress', done, total });
    }
    post({ type: 'progress', done, total });
    post({ type: 'done', result: tally.result() });
  } finally {
    db.close();
  }
}

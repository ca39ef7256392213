import type { ConsentEvent } from '../../shared/domain';
import { buildRegistry } from '../device/device-registry';
import { openReadOnly } from '../store/rx-storage-sqlite/sqlite-driver';
import type { SignatureWorkerInput, SignatureWorkerMessage } from './chain-worker-protocol';
import { createSignatureTally } from './signature-tally';

/*
 * One worker's share of the signature check: the live events whose rowid modulo the number of
 * shares is this share's, read in table order (the cheapest walk through the file) on a
 * read-only connection of its own, each checked against a registry built here from the records
 * and root main's registry was built from. Split by residue, the shares are even whatever the
 * rowids, need no bounds worked out beforehand (main opens no connection), and a row appended
 * meanwhile belongs to exactly one share. A worker skips the others' rows without parsing them.
 * The verdict of an event does not depend on any other event; the tally's problem order makes
 * the merged report independent of the split.
 */
const PROGRESS_EVERY = 2000;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function scanLedgerSignatures(input: SignatureWorkerInput, post: (message: SignatureWorkerMessage) => void): void {
  const db = openReadOnly(input.path, input.cipherPragmas);
  try {
    const registry = buildRegistry(input.registry.records, input.registry.root);
    const table = quote(input.table);
    const where = `WHERE rowid % ? = ? AND deleted = 0`;
    const total = db.prepare(`SELECT count(*) FROM ${table} ${where}`).pluck(true).get(input.shares, input.share) as number;
    const rows = db.prepare(`SELECT data FROM ${table} ${where}`).pluck(true);
    const tally = createSignatureTally();
    let done = 0;
    post({ type: 'progress', done, total });
    for (const data of rows.iterate(input.shares, input.share) as Iterable<string>) {
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

// `npx tsx bench/imports/storage-floor.bench.ts [--rows=100000]`: what the store alone costs
// for the documents an import of n rows writes (n contacts, n events, n projection rows),
// through RxDB's collection API and straight to the storage instance, in 1000-row batches.
// The import can never be faster than this floor; compare it with import.bench.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxCollection } from 'rxdb';
import { sealEvent } from '../../src/main/consent/event-hash';
import { openAppDatabase } from '../../src/main/store/database';
import { createAppStorage } from '../../src/main/store/storage';
import type { ConsentEvent, ConsentStateRow, Contact } from '../../src/shared/domain';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = Number(arg('rows') ?? 100_000);
const BATCH = Number(arg('batch') ?? 1000);

const contactAt = (i: number): Contact => ({
  id: `csv-bench-${i}`, name: `Kontakt ${i}`, email: `k${i}@example.pl`, phoneInput: `+48 600 ${i}`, waNumber: `+48600${i}`,
  phoneValid: true, properties: { city: 'Kraków' }, tags: [], createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', lastInboundAt: '',
});
let prev = '';
const eventAt = (i: number): ConsentEvent => {
  const e = sealEvent({
    id: `csv:bench:${i}:mkt`, contactId: `csv-bench-${i}`, typeId: 'mkt', status: 'subscribed', previousStatus: 'not_specified', source: 'csv_import',
    legalBasis: 'consent_with_notice', explanation: 'bench', actor: { kind: 'user', id: 'u1', name: 'Bench' }, evidence: { fileName: 'x.csv', row: i },
    occurredAt: '2024-01-01T00:00:00.000Z', recordedAt: '2024-01-01T00:00:00.000Z', deviceId: 'dev', seq: i + 1, basedOn: '',
  }, prev);
  prev = e.hash;
  return e;
};
const stateAt = (i: number): ConsentStateRow => ({
  id: `csv-bench-${i}|mkt`, contactId: `csv-bench-${i}`, typeId: 'mkt', status: 'subscribed', lastEventId: `csv:bench:${i}:mkt`, ownOptOut: false,
  updatedAt: '2024-01-01T00:00:00.000Z', lastOccurredAt: '2024-01-01T00:00:00.000Z', lastDeviceId: 'dev', lastSeq: i + 1,
});

async function timeIt<T>(label: string, collection: RxCollection<T>, make: (i: number) => T, raw: boolean) {
  const t = performance.now();
  for (let s = 0; s < ROWS; s += BATCH) {
    const docs: T[] = [];
    for (let i = s; i < Math.min(ROWS, s + BATCH); i++) docs.push(make(i));
    if (raw) {
      await collection.storageInstance.bulkWrite(
        docs.map((d) => ({ document: { ...d, _deleted: false, _attachments: {}, _rev: '1-bench', _meta: { lwt: Date.now() } } })) as never,
        'bench',
      );
    } else await collection.bulkInsert(docs as never);
  }
  const ms = performance.now() - t;
  console.log(`${label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1000) / ROWS).toFixed(1)} µs/doc`);
  return ms;
}

for (const raw of [false, true]) {
  const dir = mkdtempSync(join(tmpdir(), 'cd-storage-floor-'));
  const { storage, name } = createAppStorage(dir);
  const db = await openAppDatabase(storage, name);
  prev = '';
  const how = raw ? 'storageInstance.bulkWrite' : 'collection.bulkInsert';
  const a = await timeIt(`contacts ${how}`, db.contacts, contactAt, raw);
  const b = await timeIt(`consent_events ${how}`, db.consent_events, eventAt, raw);
  const c = await timeIt(`consent_state ${how}`, db.consent_state, stateAt, raw);
  console.log(`${`all three (${ROWS} rows)`.padEnd(40)} ${(a + b + c).toFixed(0).padStart(6)} ms`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxCollection } from 'rxdb';
import { sealEvent } from '../../src/main/consent/event-hash';
import { openAppDatabase } from '../../src/main/store/database';
import { insertDocuments } from '../../src/main/store/insert-documents';
import { createAppStorage } from '../../src/main/store/storage';
import type { ConsentEvent, ConsentStateRow, Contact } from '../../src/shared/domain';

// What the store alone costs for the documents an import of n rows writes (n contacts,
// n events, n projection rows), in batches as the import writes them: the floor under
// any import, measured in the same run so a loaded machine shows in both. Written as the
// app writes them (insertDocuments).

export type FloorTimes = { contacts: number; events: number; states: number; total: number; slowestWriteMs: number };

const AT = '2024-01-01T00:00:00.000Z';

export async function storeFloor(rows: number, batch = 1000): Promise<FloorTimes> {
  const dir = mkdtempSync(join(tmpdir(), 'cd-store-floor-'));
  const { storage, name } = createAppStorage(dir);
  const db = await openAppDatabase(storage, name);
  let prev = '';
  let slowestWriteMs = 0;
  const run = async <T>(collection: RxCollection<T>, make: (i: number) => T) => {
    const started = performance.now();
    for (let s = 0; s < rows; s += batch) {
      const docs: T[] = [];
      for (let i = s; i < Math.min(rows, s + batch); i++) docs.push(make(i));
      const t = performance.now();
      await insertDocuments(collection, docs);
      slowestWriteMs = Math.max(slowestWriteMs, performance.now() - t);
    }
    return performance.now() - started;
  };
  try {
    const contacts = await run(db.contacts, (i): Contact => ({
      id: `csv-floor-${i}`, name: `Kontakt ${i}`, email: `k${i}@example.pl`, phoneInput: `+48 600 ${i}`, waNumber: `+48600${i}`,
      phoneValid: true, properties: { city: 'Kraków' }, tags: [], createdAt: AT, updatedAt: AT, lastInboundAt: '',
    }));
    const events = await run(db.consent_events, (i): ConsentEvent => {
      const e = sealEvent({
        id: `csv:floor:${i}:mkt`, contactId: `csv-floor-${i}`, typeId: 'mkt', status: 'subscribed', previousStatus: 'not_specified', source: 'csv_import',
        legalBasis: 'consent_with_notice', explanation: 'floor', actor: { kind: 'user', id: 'u1', name: 'Bench' }, evidence: { fileName: 'x.csv', row: i },
        occurredAt: AT, recordedAt: AT, deviceId: 'dev', seq: i + 1, basedOn: '',
      }, prev);
      prev = e.hash;
      return e;
    });
    const states = await run(db.consent_state, (i): ConsentStateRow => ({
      id: `csv-floor-${i}|mkt`, contactId: `csv-floor-${i}`, typeId: 'mkt', status: 'subscribed', lastEventId: `csv:floor:${i}:mkt`, ownOptOut: false,
      updatedAt: AT, lastOccurredAt: AT, lastDeviceId: 'dev', lastSeq: i + 1,
    }));
    return { contacts, events, states, total: contacts + events + states, slowestWriteMs };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

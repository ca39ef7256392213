import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import type { ConsentEvent } from '../../../src/shared/domain';
import { consentEventSchema } from '../../../src/main/store/schemas/consent-schemas';
import type { ChainIntegrityReport } from '../../../src/main/integrity/integrity-service';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';
import { openAppStoreFile } from '../../helpers/app-store-file';

// The integrity check reads each device's events in pages, continuing each page from the
// last row's seq. A row whose seq was edited in the file (its index key still says the
// old one) must neither hide rows nor repeat them: whatever the page size, the verdicts
// are those of a single pass over everything.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const change = (i: number): ConsentChange => ({
  contactId: `c${i % 7}`,
  typeId: 'mkt',
  status: i % 2 === 0 ? 'subscribed' : 'unsubscribed',
  source: 'manual',
  legalBasis: i % 2 === 0 ? 'consent_with_notice' : '',
  explanation: `Change ${i}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: {},
});

const verdicts = (r: ChainIntegrityReport) => ({ ok: r.ok, events: r.events, heads: r.heads, counts: r.counts, issues: r.issues });

describe('integrity check paging', () => {
  it('gives the same verdicts at every page size over edited, swapped, duplicated and removed rows', async () => {
    const dataDir = makeTempDir('consent-desk-paging-');
    app = await openTestApp({ dataDir });
    await app.services.ledger.append(Array.from({ length: 60 }, (_, i) => change(i)));
    const clean = await app.services.integrity.verifyAll({ pageSize: 7 });
    expect(clean.ok).toBe(true);
    expect(clean.events).toBe(60);
    await app.close();

    const sql = openAppStoreFile(dataDir);
    const table = `"consent_events-${consentEventSchema.version}"`;
    const docs = (sql.prepare(`SELECT id, data FROM ${table} WHERE deleted = 0`).all() as Array<{ id: string; data: string }>).map(
      (r) => JSON.parse(r.data) as ConsentEvent,
    );
    const at = (seq: number) => {
      const d = docs.find((x) => x.seq === seq);
      if (!d) throw new Error(`no seq ${seq}`);
      return d;
    };
    const rewrite = (doc: ConsentEvent, patch: Record<string, unknown>) =>
      sql.prepare(`UPDATE ${table} SET data = ? WHERE json_extract(data, '$.id') = ?`).run(JSON.stringify({ ...doc, ...patch }), doc.id);
    // Page boundaries at page size 7 fall after seq 7, 14, 21...: edit rows there.
    rewrite(at(7), { seq: 45 });
    rewrite(at(14), { seq: 2 });
    rewrite(at(21), { seq: 'twenty-one' });
    rewrite(at(28), { seq: 29 });
    rewrite(at(29), { seq: 28 });
    rewrite(at(35), { seq: 35.5 });
    sql.prepare(`DELETE FROM ${table} WHERE json_extract(data, '$.id') = ?`).run(at(40).id);
    sql.close();

    app = await openTestApp({ dataDir });
    const whole = await app.services.integrity.verifyAll({ pageSize: 100_000 });
    expect(whole.ok).toBe(false);
    expect(whole.events).toBe(59);
    for (const pageSize of [1, 2, 3, 7, 8, 13, 50]) {
      expect(verdicts(await app.services.integrity.verifyAll({ pageSize })), `page size ${pageSize}`).toEqual(verdicts(whole));
    }
  });
});

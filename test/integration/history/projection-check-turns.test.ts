import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import { compareProjection } from '../../../src/main/integrity/projection-check';
import { createTurnBudget, type TurnBudget } from '../../../src/main/integrity/turn-budget';
import { consentEventSchema, consentStateSchema } from '../../../src/main/store/schemas/consent-schemas';
import type { ConsentEvent, ConsentStateRow } from '../../../src/shared/domain';
import { insertDocuments } from '../../../src/main/store/insert-documents';
import { withoutStorageFields } from '../../../src/main/store/plain-documents';
import { openAppStoreFile } from '../../helpers/app-store-file';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// The projection comparison runs on the main thread in turns of a few milliseconds. How it is
// cut (key chunks, turns) must not change its verdict: the same differences, listed in the
// same order, over a projection tampered in every way it can be.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const KEYS = 150;
const change = (i: number): ConsentChange => ({
  contactId: `c${String(i % KEYS).padStart(3, '0')}`,
  typeId: Math.floor(i / KEYS) % 2 === 0 ? 'mkt' : 'svc',
  status: i % 2 === 0 ? 'subscribed' : 'unsubscribed',
  source: 'manual',
  legalBasis: i % 2 === 0 ? 'consent_with_notice' : '',
  explanation: `Change ${i}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: {},
});

const counting = (): TurnBudget & { turns: number } => {
  const b = { turns: 0, due: () => true, next: async () => void (b.turns += 1) };
  return b;
};

describe('the projection comparison in turns', () => {
  it('gives the same verdict at every chunk size and turn length, and gives the thread back as it goes', async () => {
    const dataDir = makeTempDir('consent-desk-projection-turns-');
    app = await openTestApp({ dataDir });
    await app.services.ledger.append(Array.from({ length: 600 }, (_, i) => change(i)));
    const clean = await compareProjection(app.services.db);
    expect(clean.differenceCount).toBe(0);
    const keys = clean.keys;
    await app.close();

    // Edited rows, a deleted row, a row with no events, and a deleted event.
    const sql = openAppStoreFile(dataDir);
    const states = `"consent_state-${consentStateSchema.version}"`;
    const events = `"consent_events-${consentEventSchema.version}"`;
    const rows = sql.prepare(`SELECT id, data FROM ${states} WHERE deleted = 0 ORDER BY id`).all() as Array<{ id: Buffer; data: string }>;
    const edit = (at: number, patch: Record<string, unknown>) => {
      const row = rows[at];
      if (!row) throw new Error(`no row ${at}`);
      sql.prepare(`UPDATE ${states} SET data = ? WHERE id = ?`).run(JSON.stringify({ ...JSON.parse(row.data), ...patch }), row.id);
    };
    edit(3, { status: 'subscribed', lastEventId: 'forged' });
    edit(77, { status: 'unsubscribed', ownOptOut: true });
    edit(140, { lastSeq: 99_999 });
    const gone = rows[200];
    if (!gone) throw new Error('no row 200');
    sql.prepare(`DELETE FROM ${states} WHERE id = ?`).run(gone.id);
    const extra = withoutStorageFields(JSON.parse(rows[5]?.data ?? '{}') as ConsentStateRow);
    const eventRows = (sql.prepare(`SELECT id, data FROM ${events} WHERE deleted = 0`).all() as Array<{ id: Buffer; data: string }>)
      .map((r) => ({ id: r.id, event: JSON.parse(r.data) as ConsentEvent }))
      .filter((r) => r.event.contactId === 'c010' && r.event.typeId === 'mkt')
      .sort((a, b) => a.event.seq - b.event.seq);
    const lastOfKey = eventRows.at(-1);
    if (!lastOfKey) throw new Error('no events of c010|mkt');
    sql.prepare(`DELETE FROM ${events} WHERE id = ?`).run(lastOfKey.id);
    sql.close();

    app = await openTestApp({ dataDir });
    await insertDocuments(app.services.db.consent_state, [{ ...extra, id: 'zz-nobody|mkt', contactId: 'zz-nobody' }]);
    const reference = await compareProjection(app.services.db, 100, { chunk: 100_000, budget: createTurnBudget(60_000) });
    expect(reference.keys).toBe(keys);
    // Three edited rows, the deleted row, the row with no events, and the key whose last event went.
    expect(reference.differenceCount).toBe(6);
    expect(reference.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ contactId: 'zz-nobody', ledger: 'none' }),
        expect.objectContaining({ contactId: 'c010', typeId: 'mkt', storedLastEventId: lastOfKey.event.id }),
      ]),
    );
    for (const chunk of [1, 7, 200]) {
      const budget = counting();
      const sliced = await compareProjection(app.services.db, 100, { chunk, budget });
      expect(sliced, `chunk ${chunk}`).toEqual(reference);
      // A turn between keys at least (the budget is always due here).
      expect(budget.turns).toBeGreaterThanOrEqual(keys);
    }
    // The cap on listed differences is the same cut too.
    expect(await compareProjection(app.services.db, 2, { chunk: 7, budget: counting() })).toEqual({ ...reference, differences: reference.differences.slice(0, 2) });
  }, 180_000);
});

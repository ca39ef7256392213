import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import type { HistoryQuery } from '../../../src/shared/api/consent-channels';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// The history index is saved beside the store and loaded at the next start, which then reads
// only the changes after the saved point. Whatever the saved file holds (current, stale,
// broken, another store's), what the history shows must equal a fresh build from the store.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const SOURCES = ['manual', 'keyword', 'bulk'] as const;
const change = (i: number): ConsentChange => ({
  contactId: `c${i % 9}`,
  typeId: i % 4 === 0 ? 'ord' : 'mkt',
  status: i % 3 === 0 ? 'unsubscribed' : 'subscribed',
  source: SOURCES[i % 3] ?? 'manual',
  legalBasis: i % 3 === 0 ? '' : 'consent_with_notice',
  explanation: `Change ${i} at the fair`,
  actor: { kind: 'user', id: `u${i % 4}`, name: `Tester ${i % 4}` },
  evidence: {},
});

const empty: Omit<HistoryQuery, 'offset' | 'limit'> = { contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '' };

// Everything the history screens read from the index.
async function view(a: TestApp) {
  const h = a.services.history;
  const ids = async (q: Partial<HistoryQuery>) => {
    const page = await h.query({ ...empty, offset: 0, limit: 1000, ...q });
    return { total: page.total, ids: page.rows.map((r) => r.id) };
  };
  return {
    all: await ids({}),
    deep: await ids({ offset: 7, limit: 5 }),
    unsubscribed: await ids({ status: 'unsubscribed' }),
    keywordBulk: await ids({ source: 'keyword', actorId: 'u1' }),
    search: await ids({ search: 'change 1' }),
    contact: await ids({ contactId: 'c3' }),
    stats: await h.stats(empty),
    facets: await h.facets(),
  };
}

const snapshotOf = (dataDir: string) => join(dataDir, 'consentdesk.sqlite.history-index');

describe('history index saved across restarts', () => {
  it('loads the saved index, takes in events after its saved point, and equals a fresh build', async () => {
    const dataDir = makeTempDir('consent-desk-hindex-');
    app = await openTestApp({ dataDir });
    await app.services.ledger.append(Array.from({ length: 40 }, (_, i) => change(i)));
    expect((await view(app)).all.total).toBe(40);
    expect(app.services.history.origin()).toBe('store');
    expect(existsSync(snapshotOf(dataDir))).toBe(true);
    await app.close();
    // The file as a crash would leave it: saved at 40 events, never at close.
    const stale = `${snapshotOf(dataDir)}.stale`;
    copyFileSync(snapshotOf(dataDir), stale);

    app = await openTestApp({ dataDir });
    // Loaded from the file, then events arrive (after its saved point).
    expect((await view(app)).all.total).toBe(40);
    expect(app.services.history.origin()).toBe('saved');
    await app.services.ledger.append(Array.from({ length: 5 }, (_, i) => change(100 + i)));
    const live = await view(app);
    expect(live.all.total).toBe(45);
    await app.close();

    copyFileSync(stale, snapshotOf(dataDir));
    app = await openTestApp({ dataDir });
    const fromStale = await view(app);
    expect(app.services.history.origin()).toBe('saved');
    await app.close();

    // The file saved at close.
    app = await openTestApp({ dataDir });
    const fromSaved = await view(app);
    expect(app.services.history.origin()).toBe('saved');
    await app.close();

    writeFileSync(snapshotOf(dataDir), '');
    app = await openTestApp({ dataDir });
    const fresh = await view(app);
    expect(app.services.history.origin()).toBe('store');
    expect(fresh.all.total).toBe(45);
    expect(fresh.search.total).toBeGreaterThan(0);
    expect(fromStale).toEqual(fresh);
    expect(fromSaved).toEqual(fresh);
    expect(live).toEqual(fresh);
  }, 180_000);

  it('rebuilds from the store when the saved file is broken or belongs to another store', async () => {
    const small = makeTempDir('consent-desk-hindex-small-');
    app = await openTestApp({ dataDir: small });
    await app.services.ledger.append(Array.from({ length: 12 }, (_, i) => change(i)));
    const expected = await view(app);
    await app.close();

    const big = makeTempDir('consent-desk-hindex-big-');
    app = await openTestApp({ dataDir: big });
    await app.services.ledger.append(Array.from({ length: 30 }, (_, i) => change(i)));
    await view(app);
    await app.close();
    app = undefined;

    const cases: Array<[string, () => void]> = [
      ['another store', () => copyFileSync(snapshotOf(big), snapshotOf(small))],
      ['garbage', () => writeFileSync(snapshotOf(small), 'CDHIDX01 not an index at all')],
      ['cut short', () => {
        copyFileSync(snapshotOf(big), snapshotOf(small));
        const bytes = readFileSync(snapshotOf(small));
        writeFileSync(snapshotOf(small), bytes.subarray(0, bytes.length - 9));
      }],
    ];
    for (const [label, spoil] of cases) {
      spoil();
      app = await openTestApp({ dataDir: small });
      expect(await view(app), label).toEqual(expected);
      expect(app.services.history.origin(), label).toBe('store');
      await app.close();
      app = undefined;
    }
  }, 180_000);
});

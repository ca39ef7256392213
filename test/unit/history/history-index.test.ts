import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../helpers/seeded-random';
import { createHistoryIndex, type HistoryFilter, type IndexedEventFields } from '../../../src/main/history/history-index';

const NONE: HistoryFilter = { contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '' };

const ev = (id: string, occurredAt: string, over: Partial<IndexedEventFields> = {}): IndexedEventFields => ({
  id, occurredAt, contactId: 'c1', typeId: 'mkt', source: 'manual', status: 'subscribed', legalBasis: 'consent_with_notice',
  deviceId: 'dev-a', explanation: 'Signed at the fair', actor: { id: 'u1', name: 'Ada' }, ...over,
});

describe('history index', () => {
  it('pages newest first with exact totals, whatever order events arrive in', () => {
    const index = createHistoryIndex();
    const days = Array.from({ length: 50 }, (_, i) => i);
    for (const i of [...days].reverse()) index.upsert(ev(`e${String(i).padStart(2, '0')}`, `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T10:${String(i).padStart(2, '0')}:00.000Z`));
    const all = index.page(NONE, 0, 100);
    expect(all.total).toBe(50);
    const times = all.ids.map((id) => Number(id.slice(1)));
    const expected = [...days].sort((a, b) => (1 + (b % 28)) * 100 + b - ((1 + (a % 28)) * 100 + a));
    expect(times).toEqual(expected);
    expect(index.page(NONE, 45, 10).ids).toHaveLength(5);
  });

  it('filters by every field, text and a date range, and counts by day, source and basis', () => {
    const index = createHistoryIndex();
    index.upsert(ev('a', '2025-02-01T08:00:00.000Z'));
    index.upsert(ev('b', '2025-02-01T09:00:00.000Z', { status: 'unsubscribed', source: 'keyword', legalBasis: '', explanation: 'Sent "STOP"', actor: { id: 'c1', name: 'Jan' } }));
    index.upsert(ev('c', '2025-02-03T09:00:00.000Z', { typeId: 'ord', deviceId: 'dev-b' }));
    expect(index.page({ ...NONE, source: 'keyword' }, 0, 10).ids).toEqual(['b']);
    expect(index.page({ ...NONE, search: 'stop' }, 0, 10).ids).toEqual(['b']);
    expect(index.page({ ...NONE, deviceId: 'dev-b' }, 0, 10).ids).toEqual(['c']);
    expect(index.page({ ...NONE, actorId: 'u1', to: '2025-02-01' }, 0, 10).ids).toEqual(['a']);
    expect(index.page({ ...NONE, from: '2025-02-02' }, 0, 10).ids).toEqual(['c']);
    expect(index.page({ ...NONE, source: 'nonexistent' }, 0, 10).total).toBe(0);
    const stats = index.stats(NONE);
    expect(stats.total).toBe(3);
    expect(stats.bySource).toEqual({ manual: 2, keyword: 1 });
    expect(stats.timeline).toEqual([
      { day: '2025-02-01', typeId: 'mkt', optIns: 1, optOuts: 1, other: 0 },
      { day: '2025-02-03', typeId: 'ord', optIns: 1, optOuts: 0, other: 0 },
    ]);
  });

  it('replaces an event arriving again under the same id (a sync winner) without counting it twice', () => {
    const index = createHistoryIndex();
    index.upsert(ev('msg:1', '2025-02-01T08:00:00.000Z'));
    index.upsert(ev('x', '2025-02-02T08:00:00.000Z'));
    index.upsert(ev('msg:1', '2025-02-03T08:00:00.000Z', { deviceId: 'dev-b' }));
    expect(index.page(NONE, 0, 10)).toEqual({ ids: ['msg:1', 'x'], total: 2 });
    expect(index.devices()).toEqual(['dev-a', 'dev-b']);
  });

  it('keeps (time, id) order through thousands of out-of-order arrivals, repeats and moves between reads', () => {
    const random = seededRandom(5);
    const index = createHistoryIndex();
    const expected = new Map<string, { t: number; deviceId: string }>();
    const iso = (t: number) => new Date(Date.UTC(2025, 0, 1) + t * 1000).toISOString();
    for (let round = 0; round < 12; round++) {
      // Rounds of 1 to ~6,000 arrivals: mostly back-dated, some repeats of known ids
      // (same time, new fields) and some moved in time; ties on time are frequent.
      const arrivals = round % 3 === 0 ? 1 + Math.floor(random() * 5) : Math.floor(random() * 6000);
      for (let n = 0; n < arrivals; n++) {
        const known = expected.size > 0 && random() < 0.1;
        const id = known ? `e${Math.floor(random() * expected.size)}` : `e${expected.size}`;
        const previous = expected.get(id);
        const t = previous && random() < 0.7 ? previous.t : Math.floor(random() * 20_000);
        const deviceId = `dev-${Math.floor(random() * 4)}`;
        expected.set(id, { t, deviceId });
        index.upsert(ev(id, iso(t), { deviceId }));
      }
      const want = [...expected].sort(([ia, a], [ib, b]) => (a.t !== b.t ? b.t - a.t : ia < ib ? 1 : ia > ib ? -1 : 0));
      const page = index.page(NONE, 0, expected.size);
      expect(page.total).toBe(expected.size);
      expect(page.ids).toEqual(want.map(([id]) => id));
      const dev = index.page({ ...NONE, deviceId: 'dev-1' }, 0, expected.size);
      expect(dev.ids).toEqual(want.filter(([, v]) => v.deviceId === 'dev-1').map(([id]) => id));
    }
  });
});

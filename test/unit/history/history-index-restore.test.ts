import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../helpers/seeded-random';
import { createIdTable } from '../../../src/main/history/history-id-table';
import { createHistoryIndex, type HistoryFilter, type HistoryIndex, type IndexedEventFields } from '../../../src/main/history/history-index';
import { readIndexSnapshot, writeIndexSnapshot } from '../../../src/main/history/history-index-snapshot';

// A restored index works on the saved file's bytes in place (ids as one buffer, lookups by a
// saved id-sorted permutation); whatever happens after the restore, it must answer exactly as
// an index built from scratch from the same events.

const NONE: HistoryFilter = { contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '' };
// Ids a store may hold: deterministic ids with colons, non-ASCII, an astral character, a NUL.
const ODD_IDS = ['msg:1', 'csvundo:imp:3:mkt', 'zażółć', 'emoji-\u{1F600}', 'nul\u0000inside', '\uE000private', ''];

const ev = (id: string, t: number, r: () => number): IndexedEventFields => {
  const actor = Math.floor(r() * 4);
  return {
  id,
  occurredAt: new Date(Date.UTC(2025, 0, 1) + t * 1000).toISOString(),
  contactId: `c${Math.floor(r() * 7)}`,
  typeId: r() < 0.5 ? 'mkt' : 'ord',
  source: r() < 0.3 ? 'keyword' : 'manual',
  status: r() < 0.4 ? 'unsubscribed' : 'subscribed',
  legalBasis: 'consent_with_notice',
  deviceId: `dev-${Math.floor(r() * 3)}`,
  explanation: `note ${Math.floor(r() * 11)}`,
  actor: { id: `u${actor}`, name: `User ${actor}` },
  };
};

const view = (index: HistoryIndex) => ({
  all: index.page(NONE, 0, 100_000),
  deep: index.page(NONE, 37, 9),
  filtered: index.page({ ...NONE, status: 'unsubscribed', deviceId: 'dev-1' }, 0, 1000),
  search: index.page({ ...NONE, search: 'NOTE 3' }, 0, 1000),
  stats: index.stats(NONE),
  devices: index.devices(),
  actors: index.actors(),
});

describe('history index restored from its saved file', () => {
  it('finds every id, old and new, and saves the merged table sorted', () => {
    const r = seededRandom(11);
    const first = Array.from({ length: 500 }, (_, i) => `e${Math.floor(r() * 1e9)}-${i}`).concat(ODD_IDS);
    const table = createIdTable();
    first.forEach((id) => table.add(id));
    const restored = createIdTable(table.bytes());
    first.forEach((id, p) => {
      expect(restored.find(id)).toBe(p);
      expect(restored.idAt(p)).toBe(id);
    });
    expect(restored.find('never-added')).toBeUndefined();
    const more = Array.from({ length: 300 }, (_, i) => `f${Math.floor(r() * 1e9)}-${i}`);
    more.forEach((id) => restored.add(id));
    const saved = restored.bytes();
    const again = createIdTable(saved);
    [...first, ...more].forEach((id, p) => expect(again.find(id)).toBe(p));
    const sorted = [...saved.byId].map((p) => saved.bytes.subarray(saved.offsets[p], saved.offsets[p + 1]));
    for (let i = 1; i < sorted.length; i++) expect(Buffer.compare(sorted[i - 1] ?? Buffer.alloc(0), sorted[i] ?? Buffer.alloc(0))).toBeLessThan(0);
  });

  it('after a restore, new, repeated, moved and back-dated events give what a fresh build gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consent-desk-hindex-unit-'));
    try {
      const r = seededRandom(7);
      const key = randomBytes(32);
      const path = join(dir, 'index');
      const live = createHistoryIndex();
      const latest = new Map<string, IndexedEventFields>();
      const put = (e: IndexedEventFields) => {
        live.upsert(e);
        latest.set(e.id, e);
      };
      ODD_IDS.forEach((id, i) => put(ev(id, 5000 + i, r)));
      for (let i = 0; i < 3000; i++) put(ev(`a${i}`, Math.floor(r() * 10_000), r));
      let index = live;
      for (let round = 0; round < 3; round++) {
        writeIndexSnapshot(path, index.state(), { id: 'x', lwt: round }, 0, key);
        const snapshot = readIndexSnapshot(path, key);
        expect(snapshot).not.toBeNull();
        if (!snapshot) return;
        index = createHistoryIndex(snapshot.state);
        // New events (some back-dated), repeats of saved ids (same time: a rewrite; another
        // time: a sync winner that moves), and repeats of ids added since the restore.
        for (let i = 0; i < 700; i++) {
          const pick = r();
          const known = [...latest.keys()];
          const id = pick < 0.5 ? `n${round}-${i}` : (known[Math.floor(r() * known.length)] ?? 'a0');
          const previous = latest.get(id);
          const e = previous && r() < 0.5 ? { ...ev(id, 0, r), occurredAt: previous.occurredAt } : ev(id, Math.floor(r() * 12_000), r);
          index.upsert(e);
          latest.set(id, e);
        }
        const fresh = createHistoryIndex();
        for (const e of latest.values()) fresh.upsert(e);
        expect(view(index)).toEqual(view(fresh));
        expect(index.size()).toBe(latest.size);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a saved file whose codes, order or ids point outside it (a rebuild, not a crash)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consent-desk-hindex-unit-'));
    try {
      const r = seededRandom(3);
      const index = createHistoryIndex();
      for (let i = 0; i < 50; i++) index.upsert(ev(`a${i}`, i, r));
      const path = join(dir, 'index');
      writeIndexSnapshot(path, index.state(), null, 0);
      const good = readIndexSnapshot(path);
      expect(good?.state.count).toBe(50);
      const state = index.state();
      const spoiled = [
        { ...state, order: state.order.map((p) => p + 50) },
        { ...state, ids: { ...state.ids, byId: state.ids.byId.map(() => 99) } },
        { ...state, ids: { ...state.ids, offsets: state.ids.offsets.map((o, i) => (i === 3 ? 10_000 : o)) } },
        { ...state, codes: { ...state.codes, status: new Uint32Array(50).fill(7) } },
        { ...state, dictionaries: { ...state.dictionaries, source: [1, 2] as unknown as string[] } },
      ];
      for (const bad of spoiled) {
        writeIndexSnapshot(path, bad, null, 0);
        expect(readIndexSnapshot(path)).toBeNull();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

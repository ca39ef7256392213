import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import { eventsForKey, eventsForKeys, stateId } from '../../../src/main/ledger/projection';
import type { ConsentStateRow } from '../../../src/shared/domain';
import { openTestApp, type TestApp } from '../../helpers/temp-app';

// Contact ids whose index order differs from plain string order (a control character sorts
// below the padding space in the index), or that are long, astral, or share prefixes.
const ODD_CONTACTS = ['a\tb', 'a', 'a b', 'ab', 'Żaneta', '😀x', 'x'.repeat(120)];
const TYPES = ['mkt', 'ord'];
const HEAVY = 'heavy-contact';

const change = (contactId: string, typeId: string, i: number): ConsentChange => ({
  contactId,
  typeId,
  status: i % 3 === 0 ? 'unsubscribed' : 'subscribed',
  source: 'manual',
  legalBasis: i % 3 === 0 ? '' : 'consent_with_notice',
  explanation: `change ${i}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: {},
  occurredAt: new Date(Date.UTC(2025, 0, 1) + ((i * 7919) % 1000) * 60_000).toISOString(),
});

let app: TestApp;
const contacts = Array.from({ length: 200 }, (_, i) => `c${String(i).padStart(4, '0')}`);

beforeAll(async () => {
  app = await openTestApp();
  const changes: ConsentChange[] = [];
  let i = 0;
  for (const c of [...contacts, ...ODD_CONTACTS]) for (const t of TYPES) for (let k = 0; k < 1 + (i % 3); k++) changes.push(change(c, t, i++));
  // One key with more events than a range read of a few keys may take.
  for (let k = 0; k < 700; k++) changes.push(change(HEAVY, 'mkt', i++));
  await app.services.ledger.append(changes);
  await app.services.ledger.settled();
});
afterAll(async () => {
  await app.dispose();
});

async function oneByOne(keys: [string, string][]): Promise<Map<string, unknown[]>> {
  const out = new Map<string, unknown[]>();
  for (const [c, t] of keys) out.set(stateId(c, t), await eventsForKey(app.services.db, c, t));
  return out;
}

describe('reading the events of many keys at once', () => {
  const cases: [string, () => [string, string][]][] = [
    ['keys lying together in the index', () => contacts.slice(20, 170).flatMap((c) => TYPES.map((t): [string, string] => [c, t]))],
    ['keys far apart, with one that has hundreds of events', () => [...contacts.filter((_, i) => i % 37 === 0).map((c): [string, string] => [c, 'ord']), [HEAVY, 'mkt']]],
    ['ids that sort differently in the index than as strings', () => ODD_CONTACTS.flatMap((c) => TYPES.map((t): [string, string] => [c, t]))],
    ['keys without any event, and one key alone', () => [['nobody', 'mkt'], [contacts[5] ?? '', 'nope'], [contacts[6] ?? '', 'mkt']]],
    ['a single key', () => [[contacts[7] ?? '', 'ord']]],
  ];
  for (const [name, keysOf] of cases) {
    it(`gives each key exactly its events, in fold order: ${name}`, async () => {
      const keys = keysOf();
      const batched = await eventsForKeys(app.services.db, keys);
      expect([...batched.keys()].sort()).toEqual(keys.map(([c, t]) => stateId(c, t)).sort());
      expect(batched).toEqual(await oneByOne(keys));
      const total = [...batched.values()].reduce((n, list) => n + list.length, 0);
      if (name.startsWith('keys lying')) expect(total).toBeGreaterThan(300);
    });
  }
});

describe('rebuilding the projection', () => {
  it('repairs damaged and missing rows, and leaves the rows that were right untouched', async () => {
    const db = app.services.db;
    const all = async () => (await db.consent_state.storageInstance.findDocumentsById(
      [...contacts, ...ODD_CONTACTS, HEAVY].flatMap((c) => TYPES.map((t) => stateId(c, t))), false,
    )).sort((a, b) => (a.id < b.id ? -1 : 1));
    const before = await all();
    const plain = (rows: typeof before) => rows.map(({ _meta, _rev, _attachments, _deleted, ...row }) => (void _meta, void _rev, void _attachments, void _deleted, row));
    const damagedId = stateId(contacts[3] ?? '', 'mkt');
    const missingId = stateId(contacts[150] ?? '', 'ord');
    const [damaged] = plain(before.filter((r) => r.id === damagedId)) as ConsentStateRow[];
    if (!damaged) throw new Error('the row to damage is missing');
    await db.consent_state.upsert({ ...damaged, status: damaged.status === 'subscribed' ? 'unsubscribed' : 'subscribed' });
    await db.consent_state.bulkRemove([missingId]);

    const result = await app.services.ledger.rebuildProjection();
    expect(result.keys).toBe(before.length);
    const after = await all();
    // Repaired rows carry the rebuild's time; everything else is as the ledger says.
    const content = (rows: typeof before) => plain(rows).map(({ updatedAt, ...row }) => (void updatedAt, row));
    expect(content(after)).toEqual(content(before));
    // Rows that were right keep their revision: the rebuild did not write them again.
    const revs = (rows: typeof before) => new Map(rows.map((r) => [r.id, r._rev]));
    const untouched = [...revs(after)].filter(([id, rev]) => id !== damagedId && id !== missingId && revs(before).get(id) === rev);
    expect(untouched).toHaveLength(before.length - 2);
  });
});

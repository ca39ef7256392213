import { describe, expect, it } from 'vitest';
import { remoteDatabaseName } from '../../../src/main/sync/sync-collections';
import { forge } from '../../helpers/couch-forge';
import { SYNC_DB, waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';

// After the upgrade, a NEW users, settings, rule or type document that arrives unsigned is
// not taken as legacy: only fields an enrolled device listed, in its signed manifest, as held
// before it began to sign (legacy-manifest.ts) are. A hostile server on loopback adds copies
// of genuine documents with their signatures stripped, under new ids.
const bed = useSyncTestBed();

const kept = async (d: Device) => new Map((await d.must('sync:quarantine', {})).map((q) => [q.docId, q]));
const serverDocs = async (collection: string) => bed.server().allDocs(remoteDatabaseName(SYNC_DB, collection));
// A genuine document's body under another id, unsigned (what a legacy document looks like).
const unsignedCopy = (doc: Record<string, unknown>, primaryKey: string, id: string) => {
  const { _id: _i, _rev: _r, fieldSigs: _s, fieldClock: _c, ...body } = doc;
  return { ...body, [primaryKey]: id, id };
};

describe('unsigned new documents after the upgrade', () => {
  it('a new unsigned type, setting, rule or profile is kept aside on every device; genuine ones still arrive', async () => {
    const a = await bed.open('A');
    const b = await bed.open('B');
    await a.must('types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
    await waitFor('B has the type', async () => (await b.must('types:list', {})).length === 1, 20_000);
    const [type] = await serverDocs('subscription_types');
    const [user] = await serverDocs('users');
    if (!type || !user) throw new Error('the server holds no type or profile to copy');

    const forged = [
      { collection: 'subscription_types', doc: unsignedCopy(type, 'id', 'type-forged') },
      { collection: 'settings', doc: { id: 'setting-forged', value: { keywords: ['stop'] }, updatedAt: new Date().toISOString() } },
      { collection: 'users', doc: { ...unsignedCopy(user, 'id', 'u-forged-agent'), role: 'field_agent' } },
    ];
    for (const f of forged) await forge(bed.server(), f.collection, f.doc);

    await waitFor('both keep every forged document aside as unsigned', async () => {
      for (const d of [a, b]) {
        const k = await kept(d);
        if (!forged.every((f) => k.get(f.doc.id)?.reason === 'unsigned_change')) return false;
      }
      return true;
    }, 40_000);
    const entry = (await kept(b)).get('type-forged');
    expect(entry?.detail).toContain('no enrolled device lists as written before signing');
    expect(entry?.waitingFor).toBe('legacy-manifest');
    expect((await b.must('types:list', {})).map((t) => t.id)).not.toContain('type-forged');
    expect((await b.must('users:list', {})).map((u) => u.id)).not.toContain('u-forged-agent');

    // "Re-check now" changes nothing: no manifest vouches for them.
    await b.must('sync:recheckQuarantine', {});
    expect((await kept(b)).get('u-forged-agent')?.reason).toBe('unsigned_change');

    // A genuine, signed type still arrives.
    await a.must('types:create', { name: 'Service', purpose: 'transactional', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
    await waitFor('B has the second type', async () => (await b.must('types:list', {})).some((t) => t.name === 'Service'), 20_000);
  }, 240_000);
});

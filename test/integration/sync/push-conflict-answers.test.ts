import { afterEach, describe, expect, it } from 'vitest';
import { sealEvent } from '../../../src/main/consent/event-hash';
import { remoteDatabaseName } from '../../../src/main/sync/sync-collections';
import type { ConsentEvent } from '../../../src/shared/domain';
import { startLyingProxy, type AllDocsRow, type LyingProxy } from '../../helpers/couch-lying-proxy';
import { SYNC_DB, waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { TEST_SECRET } from '../../helpers/test-secret';

// The server's answer to a push is what RxDB takes for the server's copy ("master state") when
// it meets a conflict; a hostile server can lie there as well as in what it offers to pull.
// Such an answer is checked like a pulled copy: one that fails is kept aside, never merged
// into the local document nor filed as a chain link, and the local record still reaches the
// server.
const bed = useSyncTestBed();
let proxy: LyingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

// A device whose sync goes through the lying proxy.
async function throughProxy(label: string, lie: (db: string, rows: AllDocsRow[]) => AllDocsRow[] | null): Promise<Device> {
  proxy = await startLyingProxy(bed.server().url, lie);
  const device = await bed.open(label, { start: false });
  const admin = bed.server().admin;
  await device.must('sync:setConfig', { url: proxy.url, database: SYNC_DB, username: admin?.username ?? '', password: admin?.password ?? '' });
  await device.must('sync:start', {});
  return device;
}

const serverCopy = async (collection: string, id: string) =>
  (await bed.server().allDocs(remoteDatabaseName(SYNC_DB, collection))).find((d) => d._id === id);

describe('push-conflict answers from a hostile server', () => {
  it('a forged master state of a users document is kept aside, not merged: no role changes, and the edit reaches the server', async () => {
    const usersDb = remoteDatabaseName(SYNC_DB, 'users');
    let target = '';
    let armed = false;
    const a = await throughProxy('A', (db, rows) => {
      if (db !== usersDb || !armed) return null;
      const row = rows.find((r) => r.id === target && r.doc);
      if (!row?.doc) return null;
      armed = false;
      // The server "holds" a version that made the profile a super user (no such role) and
      // added a field with a prototype name.
      return rows.map((r) => (r === row ? { ...r, doc: { ...row.doc, role: 'superuser', constructor: { admin: true } } } : r));
    });
    const fiona = await a.must('users:create', { name: 'Fiona', role: 'field_agent', secret: TEST_SECRET });
    target = fiona.id;
    await a.awaitInSync();
    await waitFor('the server holds Fiona', async () => (await serverCopy('users', fiona.id)) !== undefined);

    armed = true;
    await a.must('users:update', { id: fiona.id, name: 'Fiona Nowak' });
    await waitFor('A kept the lying answer aside', async () => (await a.must('sync:quarantine', {})).some((q) => q.docId === fiona.id), 15_000);
    expect(proxy?.lies()).toBe(1);
    const kept = (await a.must('sync:quarantine', {})).find((q) => q.docId === fiona.id);
    expect(kept?.collection).toBe('users');
    expect(kept?.reason).toBe('forbidden_key');

    // The local profile keeps its role and the edit; the next push puts it on the server.
    await waitFor('the edit reaches the server', async () => (await serverCopy('users', fiona.id))?.name === 'Fiona Nowak', 15_000);
    const local = (await a.must('users:list', {})).find((u) => u.id === fiona.id);
    expect(local).toMatchObject({ name: 'Fiona Nowak', role: 'field_agent' });
    expect(await serverCopy('users', fiona.id)).toMatchObject({ name: 'Fiona Nowak', role: 'field_agent' });
    expect(Object.keys((await serverCopy('users', fiona.id)) ?? {})).not.toContain('constructor');

    // A second device, straight on the server, sees the genuine profile.
    const b = await bed.open('B');
    await waitFor('B has Fiona Nowak', async () => (await b.must('users:list', {})).some((u) => u.id === fiona.id && u.name === 'Fiona Nowak'));
    expect((await b.must('users:list', {})).find((u) => u.id === fiona.id)?.role).toBe('field_agent');
  });

  it('a forged server copy of a new event is kept aside, not filed as a chain link, and the genuine event is still pushed', async () => {
    const eventsDb = remoteDatabaseName(SYNC_DB, 'consent_events');
    let armed = true;
    const a = await throughProxy('A', (db, rows) => {
      if (db !== eventsDb || !armed) return null;
      const fresh = rows.find((r) => r.error === 'not_found' && typeof r.key === 'string');
      if (!fresh?.key) return null;
      armed = false;
      // The server claims it already holds this id: the same event, reworded after sealing.
      const forged: ConsentEvent = sealEvent(
        {
          id: fresh.key, contactId: 'c-x', typeId: 'type-marketing', status: 'subscribed', previousStatus: 'not_specified', source: 'manual',
          legalBasis: 'consent_with_notice', explanation: 'forged', actor: { kind: 'user', id: 'u-x', name: 'Mallory' }, evidence: {},
          occurredAt: '2030-01-01T00:00:00.000Z', recordedAt: '2030-01-01T00:00:00.000Z', deviceId: 'dev-0f0f0f0f0f0f0f0f', seq: 1, basedOn: '',
        },
        '',
      );
      const { id, ...body } = { ...forged, explanation: 'reworded' };
      return rows.map((r) => (r === fresh ? { id, key: id, value: { rev: '1-0123456789abcdef0123456789abcdef' }, doc: { _id: id, _rev: '1-0123456789abcdef0123456789abcdef', ...body } } : r));
    });
    const type = await a.must('types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1000001', businessName: 'Sklep' });
    const contact = await a.must('contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const change = await a.must('consent:change', { contactId: contact.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    const id = change.id;
    const first = (await a.events()).find((e) => e.id === id);
    expect(first).toBeDefined();

    await waitFor('A kept the forged copy aside', async () => (await a.must('sync:quarantine', {})).some((q) => q.docId === id), 15_000);
    expect((await a.must('sync:quarantine', {})).find((q) => q.docId === id)?.reason).toBe('hash_mismatch');
    // The genuine event is pushed all the same (a trusted answer would have stopped it: "the server holds it").
    await waitFor('the genuine event reaches the server', async () => (await serverCopy('consent_events', id))?.hash === first?.hash, 15_000);
    const filed = (await bed.server().allDocs(remoteDatabaseName(SYNC_DB, 'audit_log'))).filter((d) => String(d._id).startsWith('link:'));
    expect(filed).toEqual([]);
  });
});

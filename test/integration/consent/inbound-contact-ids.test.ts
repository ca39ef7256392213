import { describe, expect, it } from 'vitest';
import { inboundContactId } from '../../../src/main/contacts/inbound-contacts';
import { remoteDatabaseName } from '../../../src/main/sync/sync-collections';
import type { Contact } from '../../../src/shared/domain';
import { byId, sharedData } from '../../helpers/shared-state-shape';
import { SYNC_DB, waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { MARKETING_TYPE } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';

// Two devices, each a whole app in its own process, both offline from each other, take the
// first message of a sender neither has seen; once they sync there is one contact, the same
// document on both devices and on the server (a real CouchDB-protocol server).
const bed = useSyncTestBed();

const NOW = Math.floor(Date.now() / 1000);

async function twoDevicesWithType() {
  const a = await bed.open('A');
  const type = await a.must('types:create', MARKETING_TYPE);
  const b = await bed.open('B');
  await waitFor('B to have the type', async () => (await b.must('types:list', { includeArchived: true })).some((t) => t.id === type.id));
  // Neither sees the other's work until both have taken the message.
  await a.must('sync:stop', {});
  await b.must('sync:stop', {});
  return { a, b, typeId: type.id };
}

const contactsOf = async (d: Device, waNumber: string) => (await d.contacts()).filter((c) => c.waNumber === waNumber);
const serverContacts = async () =>
  (await bed.server().allDocs(remoteDatabaseName(SYNC_DB, 'contacts'))).map(({ _id, ...data }) => sharedData({ id: _id, ...data })).sort(byId);

async function syncBoth(a: Device, b: Device, waNumber: string) {
  await a.must('sync:start', {});
  await b.must('sync:start', {});
  await a.awaitInSync();
  await b.awaitInSync();
  await a.awaitInSync();
  const expected = inboundContactId(waNumber);
  await waitFor('both devices to hold the sender once', async () => {
    const [onA, onB] = [await contactsOf(a, waNumber), await contactsOf(b, waNumber)];
    return onA.length === 1 && onB.length === 1 && onA[0]?.id === expected && onB[0]?.id === expected;
  });
}

describe('contacts made from inbound messages on two devices at once', () => {
  it('a brand-new sender ingested on both devices before they sync ends as one contact, the same document everywhere', async () => {
    const { a, b, typeId } = await twoDevicesWithType();
    const sender = '+48609876543';
    const payload = webhook([textMessage('wamid.NEW1', 'START', NOW - 60, '48609876543')], { from: '48609876543', name: 'Ola Nowak' });
    const reportA = await a.must('messages:ingest', { payload });
    const reportB = await b.must('messages:ingest', { payload });
    expect(reportA.items[0]?.outcome).toBe('opted_in');
    expect(reportB.items[0]?.outcome).toBe('opted_in');
    const id = inboundContactId(sender);
    expect(id).toMatch(/^c-wa-[0-9a-f]{32}$/);
    expect(reportA.items[0]?.contactId).toBe(id);
    expect(reportB.items[0]?.contactId).toBe(id);
    // Before any sync, the two creations are already the same document.
    const [beforeA] = await contactsOf(a, sender);
    const [beforeB] = await contactsOf(b, sender);
    expect(beforeA).toEqual(beforeB);
    expect(beforeA).toMatchObject({ name: 'Ola Nowak', waNumber: sender, lastInboundAt: new Date((NOW - 60) * 1000).toISOString() });

    await syncBoth(a, b, sender);
    const [afterA] = await contactsOf(a, sender);
    const [afterB] = await contactsOf(b, sender);
    expect(afterA).toEqual(beforeA);
    expect(afterB).toEqual(beforeA);
    await waitFor('the server to hold the same contact', async () => JSON.stringify((await serverContacts()).filter((c) => c.id === id)) === JSON.stringify([beforeA]));
    for (const d of [a, b]) {
      expect((await d.events()).filter((e) => e.contactId === id).map((e) => e.id)).toEqual([`msg:wamid.NEW1:${typeId}`]);
      const states = await d.must('consent:forContact', { contactId: id });
      expect(JSON.stringify(states)).toContain('"subscribed"');
    }
  }, 180_000);

  it('the two spellings of a Mexican wa_id on two devices make one contact under one id', async () => {
    const { a, b } = await twoDevicesWithType();
    const stored = '+525512345678';
    await a.must('messages:ingest', { payload: webhook([textMessage('wamid.MX1', 'Hola', NOW - 120, '5215512345678')], { from: '5215512345678', name: 'Lupe' }) });
    await b.must('messages:ingest', { payload: webhook([textMessage('wamid.MX2', 'Hola', NOW - 60, '525512345678')], { from: '525512345678', name: 'Lupe' }) });
    const onA = await contactsOf(a, stored);
    const onB = await contactsOf(b, stored);
    expect(onA.map((c) => c.id)).toEqual([inboundContactId(stored)]);
    expect(onB.map((c) => c.id)).toEqual([inboundContactId(stored)]);

    await syncBoth(a, b, stored);
    // The creations differ (each dates from its own message); the merge is one document on both.
    await waitFor('the merged contact to match on both devices', async () => JSON.stringify(await contactsOf(a, stored)) === JSON.stringify(await contactsOf(b, stored)));
    const [merged] = await contactsOf(a, stored);
    expect((merged as Contact | undefined)?.lastInboundAt).toBe(new Date((NOW - 60) * 1000).toISOString());
  }, 180_000);
});

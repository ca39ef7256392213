import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { inboundContactId } from '../../../src/main/contacts/inbound-contacts';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';

// Ids of contacts made from inbound messages, on one device: derived from the number, while
// contacts made by hand keep random ids and are still the ones a message finds.
let app: TestApp;
let admin: Session;
beforeEach(async () => {
  ({ app, admin } = await openAppWithMarketing());
});
afterEach(async () => {
  await app.dispose();
});

const ingest = (id: string, body: string, from: string) =>
  app.must(admin, 'messages:ingest', { payload: webhook([textMessage(id, body, 1_767_000_000, from)], { from }) });

describe('contact ids from inbound messages', () => {
  it('a contact made by hand keeps its random id, and a message from its number finds it', async () => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    expect(contact.id).not.toMatch(/^c-wa-/);
    const report = await ingest('wamid.h1', 'STOP', '48601234567');
    expect(report.items[0]).toMatchObject({ outcome: 'opted_out', contactId: contact.id });
    expect(await app.services.db.contacts.count().exec()).toBe(1);
  });

  it('a new sender gets the id of its number, and redelivery or a second message adds no contact', async () => {
    const first = await ingest('wamid.n1', 'Hello', '48609876543');
    expect(first.items[0]?.contactId).toBe(inboundContactId('+48609876543'));
    await ingest('wamid.n1', 'Hello', '48609876543');
    await ingest('wamid.n2', 'STOP', '48609876543');
    const all = await app.services.db.contacts.find().exec();
    expect(all.map((c) => c.id)).toEqual([inboundContactId('+48609876543')]);
  });

  it('when the number\'s id is held by a contact whose number was since edited, the sender gets the next id', async () => {
    await ingest('wamid.e1', 'Hello', '48609876543');
    const held = inboundContactId('+48609876543');
    await app.must(admin, 'contacts:update', { id: held, phoneInput: '+48 602 111 222' });
    const report = await ingest('wamid.e2', 'STOP', '48609876543');
    expect(report.items[0]?.outcome).toBe('opted_out');
    expect(report.items[0]?.contactId).toBe(inboundContactId('+48609876543', 1));
    const numbers = (await app.services.db.contacts.find().exec()).map((c) => `${c.id}=${c.waNumber}`).sort();
    expect(numbers).toEqual([`${held}=+48602111222`, `${inboundContactId('+48609876543', 1)}=+48609876543`].sort());
  });

  it('a sender the in-memory directory has not seen, but whose contact is stored, is not written twice', async () => {
    await ingest('wamid.s1', 'Hello', '48609876543');
    const before = await app.services.db.contacts.findOne(inboundContactId('+48609876543')).exec();
    const again = await app.services.contacts.createForSenders([{ waNumber: '+48609876543', name: 'Other', firstSeenAt: '2030-01-01T00:00:00.000Z', lastInboundAt: '' }]);
    expect(again.map((c) => c.name)).toEqual([before?.name]);
    expect(await app.services.db.contacts.count().exec()).toBe(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { inboundContactId } from '../../../src/main/contacts/inbound-contacts';
import type { RelayServer } from '../../../src/relay/relay-server';
import { RELAY_ATTRIBUTION } from '../../../src/shared/relay/webhook-inbox';
import { INBOX_DB, postDelivery, relayConfig, startRelay } from '../../helpers/relay-harness';
import { waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { textMessage, webhook } from '../../helpers/webhook';

// A relay delivery to a business number no subscription type names yet is kept and its
// delivery marked processed. Once a type for the number is set up (here on the other device,
// so it arrives by sync), every device runs the kept message again, on its own, through the
// relay's ingestion: one event, attributed to the relay, one contact.
const bed = useSyncTestBed();
let relay: RelayServer | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const NEW_NUMBER = { display: '48227654321', phoneNumberId: '999000111' };
const SENDER = '+48609876543';

function toNewNumber(messages: Array<Record<string, unknown>>) {
  const payload = webhook(messages, { from: SENDER.slice(1), name: 'Ola Nowak' });
  const change = payload.entry[0]?.changes[0];
  if (!change) throw new Error('fixture');
  change.value.metadata = { display_phone_number: NEW_NUMBER.display, phone_number_id: NEW_NUMBER.phoneNumberId };
  return payload;
}

const relayEvents = async (d: Device) => (await d.events()).filter((e) => e.evidence.channel === RELAY_ATTRIBUTION);

describe('relay messages kept for a number with no type', () => {
  it('are processed on every device once a type for the number is set up, each event once', async () => {
    await bed.server().createDatabases([INBOX_DB]);
    const started = await startRelay(relayConfig(bed.server()));
    relay = started.relay;
    const a = await bed.open('A');
    const b = await bed.open('B');

    const now = Math.floor(Date.now() / 1000);
    const start = JSON.stringify(toNewNumber([textMessage('wamid.KEPT1', 'START', now - 30, SENDER.slice(1))]));
    expect((await postDelivery(started.url, start)).status).toBe(200);
    for (const d of [a, b]) {
      await waitFor(`${d.label}'s inbox to process the delivery`, async () => (await d.must('relay:status', {})).processed === 1);
    }
    for (const d of [a, b]) {
      await d.awaitInSync();
      expect(await relayEvents(d)).toEqual([]);
      expect((await d.contacts()).filter((c) => c.waNumber === SENDER)).toEqual([]);
    }

    const type = await b.must('types:create', { name: 'Second shop', purpose: 'marketing', businessNumber: `+${NEW_NUMBER.display}`, phoneNumberId: NEW_NUMBER.phoneNumberId, businessName: 'Shop 2' });
    const contactId = inboundContactId(SENDER);
    for (const d of [a, b]) {
      await waitFor(`${d.label} to show the replayed opt-in`, async () => (await relayEvents(d)).some((e) => e.contactId === contactId && e.status === 'subscribed'), 60_000);
    }
    for (const d of [a, b]) {
      await d.awaitInSync();
      const events = await relayEvents(d);
      expect(events.map((e) => e.id)).toEqual([`msg:wamid.KEPT1:${type.id}`]);
      expect(events[0]).toMatchObject({ source: 'keyword', typeId: type.id, actor: { kind: 'contact', id: contactId } });
      expect((await d.contacts()).filter((c) => c.waNumber === SENDER).map((c) => c.id)).toEqual([contactId]);
      const states = await d.must('consent:forContact', { contactId });
      expect(states.types.find((t) => t.type.id === type.id)?.status).toBe('subscribed');
      expect((await d.must('relay:status', {})).processed).toBe(1);
    }
    // Another type write replays nothing new.
    await a.must('types:update', { id: type.id, businessName: 'Shop two' });
    await a.awaitInSync();
    await b.awaitInSync();
    for (const d of [a, b]) expect((await relayEvents(d)).map((e) => e.id)).toEqual([`msg:wamid.KEPT1:${type.id}`]);
  }, 300_000);
});

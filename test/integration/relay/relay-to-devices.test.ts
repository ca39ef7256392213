import { afterEach, describe, expect, it } from 'vitest';
import type { RelayServer } from '../../../src/relay/relay-server';
import { RELAY_ATTRIBUTION } from '../../../src/shared/relay/webhook-inbox';
import type { ConsentEvent } from '../../../src/shared/domain';
import { INBOX_DB, postDelivery, relayConfig, startRelay } from '../../helpers/relay-harness';
import { waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { MARKETING_TYPE } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';

// From Meta's POST to an opt-out on every device: the relay over real HTTP, the inbox in a
// real pouchdb-server, and two devices, each a whole app in its own process.
const bed = useSyncTestBed();
let relay: RelayServer | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const SENDER = '+48601234567';

async function setUp() {
  await bed.server().createDatabases([INBOX_DB]);
  const started = await startRelay(relayConfig(bed.server()));
  relay = started.relay;
  const a = await bed.open('A');
  const type = await a.must('types:create', MARKETING_TYPE);
  const contact = await a.must('contacts:create', { name: 'Jan Kowalski', phoneInput: SENDER });
  await a.must('consent:change', { contactId: contact.id, typeId: type.id, action: 'subscribe', basedOn: '', legalBasis: 'consent_with_notice', explanation: 'Signed up at the fair' });
  return { a, type, contact, relayUrl: started.url };
}

const optOutOf = (events: ConsentEvent[], contactId: string) =>
  events.filter((e) => e.contactId === contactId && e.status === 'unsubscribed' && e.evidence.channel === RELAY_ATTRIBUTION);

async function statusOf(d: Device, contactId: string, typeId: string) {
  const states = await d.must('consent:forContact', { contactId });
  return JSON.stringify(states).includes('"unsubscribed"') && JSON.stringify(states).includes(typeId);
}

describe('relay to devices', () => {
  it('turns a signed STOP delivered over HTTP into one opt-out, visible on two devices', async () => {
    const { a, type, contact, relayUrl } = await setUp();
    const b = await bed.open('B');
    await waitFor('B to have the contact', async () => (await b.contacts()).some((c) => c.id === contact.id));

    const stop = JSON.stringify(webhook([textMessage('wamid.STOP1', 'STOP', Math.floor(Date.now() / 1000))]));
    expect((await postDelivery(relayUrl, stop)).status).toBe(200);
    // Meta retrying the same notification changes nothing.
    expect((await postDelivery(relayUrl, stop)).status).toBe(200);

    for (const d of [a, b]) {
      await waitFor(`${d.label} to show the opt-out`, async () => optOutOf(await d.events(), contact.id).length > 0);
      await waitFor(`${d.label} to fold it`, () => statusOf(d, contact.id, type.id));
    }
    for (const d of [a, b]) {
      await d.awaitInSync();
      const events = optOutOf(await d.events(), contact.id);
      expect(events.map((e) => e.id)).toEqual([`msg:wamid.STOP1:${type.id}`]);
      expect(events[0]).toMatchObject({ source: 'keyword', actor: { kind: 'contact', id: contact.id } });
      expect((await d.contacts()).filter((c) => c.waNumber === SENDER)).toHaveLength(1);
      // The opt-out may reach a device by sync before its own inbox has read the delivery
      // (its inbox starts when sync does, then checks for the inbox): wait for it, then check.
      await waitFor(`${d.label}'s inbox to mark the delivery processed`, async () => (await d.must('relay:status', {})).processed === 1);
      const status = await d.must('relay:status', {});
      expect(status).toMatchObject({ state: 'listening', processed: 1, backlog: 0, problem: null, inboxDatabase: INBOX_DB });
      expect(status.lastDeliveryAt).not.toBe('');
    }
  }, 300_000);

  it('a device that comes online late processes the delivery to the same result and adds nothing', async () => {
    const { a, type, contact, relayUrl } = await setUp();
    const stop = JSON.stringify(webhook([textMessage('wamid.STOP2', 'Stop', Math.floor(Date.now() / 1000))]));
    expect((await postDelivery(relayUrl, stop)).status).toBe(200);
    await waitFor('A to show the opt-out', async () => optOutOf(await a.events(), contact.id).length > 0);
    await a.awaitInSync();
    const onA = optOutOf(await a.events(), contact.id);

    const late = await bed.open('Late');
    await waitFor('the late device to process the inbox', async () => (await late.must('relay:status', {})).processed === 1);
    await late.awaitInSync();
    await a.awaitInSync();
    expect(optOutOf(await late.events(), contact.id)).toEqual(onA);
    expect(optOutOf(await a.events(), contact.id)).toEqual(onA);
    expect(onA.map((e) => e.id)).toEqual([`msg:wamid.STOP2:${type.id}`]);
    expect((await late.contacts()).filter((c) => c.waNumber === SENDER)).toHaveLength(1);
  }, 300_000);

  it('says so when the inbox database is missing (no relay set up)', async () => {
    const a = await bed.open('A');
    await waitFor('the inbox problem to show', async () => (await a.must('relay:status', {})).problem?.kind === 'inbox_missing');
    expect((await a.must('relay:status', {})).state).toBe('error');
  });
});

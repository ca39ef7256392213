import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayServer } from '../../../src/relay/relay-server';
import { RELAY_ATTRIBUTION } from '../../../src/shared/relay/webhook-inbox';
import { startCouchServer, type CouchServer } from '../../helpers/couch-server';
import { failedStatus, numberChanged, signalEnvelope } from '../../helpers/platform-signal-payloads';
import { INBOX_DB, postDelivery, relayConfig, startRelay } from '../../helpers/relay-harness';
import { prepareServer, waitFor } from '../../helpers/sync-devices';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';

// Platform signals that arrive through the webhook relay take the same path as a payload
// given to messages:ingest: the inbox hands them to the ingestion, which applies them.
let server: CouchServer;
let relay: RelayServer | undefined;
let app: TestApp | undefined;
beforeEach(async () => {
  server = await startCouchServer();
  await prepareServer(server);
  await server.createDatabases([INBOX_DB]);
});
afterEach(async () => {
  await app?.dispose();
  app = undefined;
  await relay?.close();
  relay = undefined;
  await server.stop();
});

const JAN = '48601234567';

describe('platform signals through the relay inbox', () => {
  it('suspend and stop marketing once, attributed to the relay; an unknown number makes no contact; a hostile delivery is set aside', async () => {
    const started = await startRelay(relayConfig(server));
    relay = started.relay;
    const opened = await openAppWithMarketing();
    app = opened.app;
    const { admin, typeId } = opened;
    const t = Math.floor(Date.now() / 1000);
    const jan = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: `+${JAN}` });
    const ewa = await app.must(admin, 'contacts:create', { name: 'Ewa', phoneInput: '+48601999888' });
    for (const contactId of [jan.id, ewa.id]) {
      await app.must(admin, 'consent:change', { contactId, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Form', basedOn: '' });
    }
    const contactsBefore = (await app.services.db.contacts.find().exec()).length;

    const changed = numberChanged('wamid.RNC1', JAN, '48600000001', t + 5);
    const deliveries = [
      changed,
      // Meta retries with another body (same message id): a second delivery, the same signal.
      { ...changed, retried: true },
      failedStatus('wamid.ROUT1', '48601999888', 131050, t + 5),
      numberChanged('wamid.RNC2', '48700000000', '48600000002', t + 5),
      signalEnvelope({ messages: [{ from: JAN, id: 'wamid.RBAD', timestamp: String(t + 5), type: 'system', system: { type: 'user_changed_number', wa_id: '9'.repeat(50_000) } }] }),
    ];
    for (const d of deliveries) expect((await postDelivery(started.url, JSON.stringify(d))).status).toBe(200);

    await app.must(admin, 'sync:setConfig', { url: server.url, database: 'consentdesk', username: '', password: '' });
    await app.must(admin, 'sync:start', {});
    await waitFor('the inbox to read every delivery', async () => {
      const s = await app?.must(admin, 'relay:status', {});
      return s !== undefined && s.processed + s.rejected === deliveries.length;
    }, 60_000);
    expect(await app.must(admin, 'relay:status', {})).toMatchObject({ processed: 4, rejected: 1 });

    const events = (await app.services.db.consent_events.find({ selector: { source: { $in: ['platform_signal', 'platform_preference'] } } }).exec()).map((d) => d.toMutableJSON());
    expect(events.map((e) => [e.id, e.contactId, e.status, e.evidence.channel]).sort()).toEqual([
      [`signal:wamid.RNC1:${typeId}`, jan.id, 'unsubscribed', RELAY_ATTRIBUTION],
      [`status:wamid.ROUT1:${typeId}`, ewa.id, 'unsubscribed', RELAY_ATTRIBUTION],
    ]);
    const status = async (contactId: string) => (await app?.must(admin, 'consent:forContact', { contactId }))?.types.find((x) => x.type.id === typeId)?.status;
    expect(await status(jan.id)).toBe('unsubscribed');
    expect(await status(ewa.id)).toBe('unsubscribed');
    expect((await app.services.db.contacts.find().exec()).length).toBe(contactsBefore);
    expect(await app.services.db.inbound_messages.find().exec()).toEqual([]);
  }, 120_000);
});

import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RELAY_ATTRIBUTION, deliveryIdFor } from '../../../src/shared/relay/webhook-inbox';
import { startCouchServer, type CouchServer } from '../../helpers/couch-server';
import { INBOX_DB } from '../../helpers/relay-harness';
import { prepareServer, waitFor } from '../../helpers/sync-devices';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';

// What a device does with whatever is in the inbox, written straight into CouchDB (as a
// compromised or buggy writer could): anything that is not a relay delivery is set aside and
// counted, never folded, and never stops the good deliveries around it.
let server: CouchServer;
let app: TestApp | undefined;
beforeEach(async () => {
  server = await startCouchServer();
  await prepareServer(server);
  await server.createDatabases([INBOX_DB]);
});
afterEach(async () => {
  await app?.dispose();
  app = undefined;
  await server.stop();
});

const put = async (doc: Record<string, unknown>) => {
  const r = await fetch(`${server.url}/${INBOX_DB}/${encodeURIComponent(String(doc._id))}`, { method: 'PUT', body: JSON.stringify(doc), headers: { 'Content-Type': 'application/json' } });
  expect(r.status).toBe(201);
};
const delivery = (payload: unknown) => {
  const sha = createHash('sha256').update(JSON.stringify(payload)).digest('hex');
  return { _id: deliveryIdFor(sha), kind: 'whatsapp_webhook', bodySha256: sha, receivedAt: '2026-12-07T10:00:00.000Z', relay: 'r1', payload };
};

describe('hostile inbox documents', () => {
  it('sets aside what is not a delivery, and still ingests the real one exactly once', async () => {
    const opened = await openAppWithMarketing();
    app = opened.app;
    const { admin, typeId } = opened;
    const stop = webhook([textMessage('wamid.H1', 'STOP', 1_767_000_000, '48601234567')], { from: '48601234567' });
    // Meta's real business number in the payload is the Marketing type's phone number id.
    const value = stop.entry[0]?.changes[0]?.value as { metadata: { phone_number_id: string } };
    value.metadata.phone_number_id = '1001';
    await put({ _id: 'junk-1', hello: 'world' });
    await put({ ...delivery({ object: 'not whatsapp', entry: 'nope' }) });
    await put({ ...delivery(stop), _id: 'delivery:forged-id' });
    await put({ ...delivery({ ...stop, note: 'other body' }), receivedAt: 42 });
    await put(delivery(stop));
    await put(delivery({ ...stop, entry: [...stop.entry, { id: 'x', changes: [{ field: 'messages', value: { messages: [{ id: 'bad', from: 'not a number' }] } }] }] }));

    await app.must(admin, 'sync:setConfig', { url: server.url, database: 'consentdesk', username: '', password: '' });
    await app.must(admin, 'sync:start', {});
    await waitFor('the inbox to be read', async () => {
      const s = await app?.must(admin, 'relay:status', {});
      return s !== undefined && s.processed + s.rejected === 6;
    }, 60_000);
    const status = await app.must(admin, 'relay:status', {});
    expect(status).toMatchObject({ processed: 2, rejected: 4, problem: null });

    const events = (await app.services.db.consent_events.find().exec()).map((d) => d.toMutableJSON());
    const fromRelay = events.filter((e) => e.evidence.channel === RELAY_ATTRIBUTION);
    expect(fromRelay.map((e) => [e.id, e.status])).toEqual([[`msg:wamid.H1:${typeId}`, 'unsubscribed']]);
  }, 120_000);
});

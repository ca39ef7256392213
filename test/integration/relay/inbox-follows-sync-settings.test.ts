import { afterEach, describe, expect, it } from 'vitest';
import type { RelayServer } from '../../../src/relay/relay-server';
import { RELAY_ATTRIBUTION, webhookInboxDatabase } from '../../../src/shared/relay/webhook-inbox';
import { INBOX_DB, postDelivery, relayConfig, startRelay } from '../../helpers/relay-harness';
import { SYNC_DB, waitFor } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { MARKETING_TYPE } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';

// The relay inbox follows the sync settings through the sync service's signal: stopping sync
// stops the inbox, starting it starts the inbox (which then reads what arrived meanwhile), and
// new settings move it to the inbox of the new database.
const bed = useSyncTestBed();
let relay: RelayServer | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

describe('the relay inbox and the sync settings', () => {
  it('starts and stops with sync, and follows new settings', async () => {
    await bed.server().createDatabases([INBOX_DB]);
    const started = await startRelay(relayConfig(bed.server()));
    relay = started.relay;
    const a = await bed.open('A');
    const type = await a.must('types:create', MARKETING_TYPE);
    const contact = await a.must('contacts:create', { name: 'Jan Kowalski', phoneInput: '+48601234567' });
    await waitFor('the inbox to listen', async () => (await a.must('relay:status', {})).state === 'listening');

    await a.must('sync:stop', {});
    await waitFor('the inbox to stop with sync', async () => (await a.must('relay:status', {})).state === 'off');
    const stop = JSON.stringify(webhook([textMessage('wamid.SET1', 'STOP', Math.floor(Date.now() / 1000))]));
    expect((await postDelivery(started.url, stop)).status).toBe(200);
    expect((await a.must('relay:status', {})).state).toBe('off');

    await a.must('sync:start', {});
    await waitFor('the inbox to start with sync and read the delivery', async () => (await a.must('relay:status', {})).processed === 1);
    const optOut = (await a.events()).filter((e) => e.contactId === contact.id && e.status === 'unsubscribed');
    expect(optOut.map((e) => [e.id, e.evidence.channel])).toEqual([[`msg:wamid.SET1:${type.id}`, RELAY_ATTRIBUTION]]);
    await waitFor('the inbox to listen again', async () => (await a.must('relay:status', {})).state === 'listening');

    // Another base name: its inbox does not exist on this server, and the status says so.
    const server = bed.server();
    const credentials = { username: server.admin?.username ?? '', password: server.admin?.password ?? '' };
    await a.must('sync:setConfig', { url: server.url, database: 'otherdesk', ...credentials });
    await waitFor('the inbox to move to the new database', async () => {
      const s = await a.must('relay:status', {});
      return s.inboxDatabase === webhookInboxDatabase('otherdesk') && s.problem?.kind === 'inbox_missing';
    });
    await a.must('sync:setConfig', { url: server.url, database: SYNC_DB, ...credentials });
    await waitFor('the inbox to come back', async () => {
      const s = await a.must('relay:status', {});
      return s.inboxDatabase === INBOX_DB && s.state === 'listening' && s.problem === null;
    });
    expect((await a.must('relay:status', {})).processed).toBe(1);
  }, 300_000);
});

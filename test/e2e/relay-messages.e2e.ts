import { remoteDatabaseNames } from '../../src/main/sync/sync-collections';
import { startCouchServer, type CouchServer } from '../helpers/couch-server';
import { INBOX_DB, postDelivery, relayConfig, startRelay } from '../helpers/relay-harness';
import { textMessage, webhook } from '../helpers/webhook';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// Messages page: the relay status (against a real relay and CouchDB-protocol server) and the
// file import for organisations without a relay, in English and Polish.
const TYPE = { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '106540352242922', businessName: 'Sklep' } as const;

let server: CouchServer | undefined;
test.afterEach(async () => {
  await server?.stop();
  server = undefined;
});

test('without a relay: the status says so, and a file of messages is imported with a plain summary', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  await callAs(app, session, 'types:create', TYPE);
  const jan = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-messages').click();
  await expect(page.getByTestId('relay-state')).toHaveText('Not running: set up and start sync to receive live messages');

  const lines = [
    JSON.stringify(webhook([textMessage('wamid.F1', 'STOP')])),
    JSON.stringify(webhook([textMessage('wamid.F2', 'Hello, what are your opening hours?', 1_767_000_100)])),
    '{"entry": [ broken',
  ].join('\n');
  await page.getByTestId('messages-file').setInputFiles({ name: 'messages.jsonl', mimeType: 'application/json', buffer: Buffer.from(lines) });
  await expect(page.getByTestId('messages-result')).toContainText('messages.jsonl: 2 messages read.');
  await expect(page.getByTestId('messages-counts').locator('[data-outcome="opted_out"]')).toHaveText('Opted out: 1');
  await expect(page.getByTestId('messages-counts').locator('[data-outcome="no_change"]')).toHaveText('No change (not a keyword): 1');
  await expect(page.getByTestId('messages-item-errors')).toContainText('1 entry could not be read');
  await screenshot(page, 'messages-01-file-import-en');
  const states = await callAs(app, session, 'consent:forContact', { contactId: jan.id });
  expect(JSON.stringify(states)).toContain('"unsubscribed"');

  // The same file again changes nothing.
  await page.getByTestId('messages-file').setInputFiles({ name: 'messages.jsonl', mimeType: 'application/json', buffer: Buffer.from(lines) });
  await expect(page.getByTestId('messages-counts').locator('[data-outcome="duplicate"]')).toHaveText('Already processed before: 2');

  await page.getByTestId('language-switch').selectOption('pl');
  await page.getByTestId('messages-file').setInputFiles({ name: 'zle.json', mimeType: 'application/json', buffer: Buffer.from('not json at all') });
  await expect(page.locator('#messages-title')).toHaveText('Przychodzące wiadomości WhatsApp');
  await screenshot(page, 'messages-02-file-import-pl');
});

test('with a relay: a STOP posted to the relay shows as a live delivery, and a missing inbox is explained', async ({ openPage, app }) => {
  server = await startCouchServer();
  await server.createDatabases(remoteDatabaseNames('consentdesk'));
  const { session } = await seedUsers(app);
  await callAs(app, session, 'types:create', TYPE);
  const jan = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  await callAs(app, session, 'sync:setConfig', { url: server.url, database: 'consentdesk', username: '', password: '' });
  await callAs(app, session, 'sync:start', {});
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-messages').click();
  await expect(page.getByTestId('relay-problem')).toContainText('No webhook relay is set up for this organisation: the database consentdesk-webhook-inbox does not exist', { timeout: 20_000 });
  await screenshot(page, 'messages-03-no-inbox-en');

  await server.createDatabases([INBOX_DB]);
  const { url, relay } = await startRelay(relayConfig(server));
  try {
    expect((await postDelivery(url, JSON.stringify(webhook([textMessage('wamid.L1', 'STOP', Math.floor(Date.now() / 1000))])))).status).toBe(200);
    // The inbox is looked for again within half a minute of it being missing.
    await expect(page.getByTestId('relay-processed')).toHaveText('1', { timeout: 45_000 });
    await expect(page.getByTestId('relay-state')).toHaveText('Receiving live messages');
    await expect(page.getByTestId('relay-backlog')).toHaveText('Nothing waiting');
    await expect(page.getByTestId('relay-problem')).toBeHidden();
    await page.getByTestId('language-switch').selectOption('pl');
    await expect(page.getByTestId('relay-state')).toHaveText('Odbieranie wiadomości na żywo');
    await screenshot(page, 'messages-04-live-pl');
    const states = await callAs(app, session, 'consent:forContact', { contactId: jan.id });
    expect(JSON.stringify(states)).toContain('"unsubscribed"');
    // The contact's history names the relay as the way the opt-out came in.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-row-link').filter({ hasText: 'Jan Kowalski' }).click();
    await page.getByTestId('tab-history').click();
    await expect(page.getByTestId('history-row').first().getByTestId('history-via-relay')).toHaveText('· WhatsApp (przekaźnik)');
    await screenshot(page, 'messages-05-history-via-relay-pl');
  } finally {
    await relay.close();
  }
});

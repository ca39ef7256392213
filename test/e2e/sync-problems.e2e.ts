import { sealEvent } from '../../src/main/consent/event-hash';
import { remoteDatabaseNames } from '../../src/main/sync/sync-collections';
import type { ConsentEvent } from '../../src/shared/domain';
import { forge, forgeRaw } from '../helpers/couch-forge';
import { startCouchServer, type CouchServer } from '../helpers/couch-server';
import { SYNC_DB } from '../helpers/sync-devices';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// History → Sync problems against a real CouchDB-protocol server that lies: documents PUT
// straight into its databases are kept aside on arrival and listed with their reasons.
let server: CouchServer;
test.beforeEach(async () => {
  server = await startCouchServer();
  await server.addAdmin('couch', 'right-password');
  await server.createDatabases(remoteDatabaseNames(SYNC_DB));
});
test.afterEach(async () => {
  await server.stop();
});

const forged = (contactId: string, typeId: string, id: string, deviceId: string): ConsentEvent =>
  sealEvent(
    {
      id, contactId, typeId, status: 'subscribed', previousStatus: 'not_specified', source: 'manual', legalBasis: 'consent_with_notice',
      explanation: 'forged', actor: { kind: 'user', id: 'u-x', name: 'Mallory' }, evidence: {}, occurredAt: '2030-01-01T00:00:00.000Z',
      recordedAt: '2030-01-01T00:00:00.000Z', deviceId, seq: 1, basedOn: '',
    },
    '',
  );

test('documents a hostile server forged are listed under Sync problems for compliance officers, in English and Polish', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Olga Officer', role: 'compliance_officer' }, { name: 'Adam Agent', role: 'field_agent' }]);
  const type = await callAs(app, session, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1000001', businessName: 'Sklep' });
  const jan = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  await callAs(app, session, 'sync:setConfig', { url: server.url, database: SYNC_DB, username: 'couch', password: 'right-password' });
  await callAs(app, session, 'sync:start', {});

  // Wrong hash (edited after sealing), an event for a contact nobody has, a contact with a prototype key.
  await forge(server, 'consent_events', { ...forged(jan.id, type.id, 'forged-wrong-hash', 'dev-0f0f0f0f0f0f0f0f'), explanation: 'edited after sealing' });
  await forge(server, 'consent_events', forged('c-nobody', type.id, 'forged-orphan', 'dev-0e0e0e0e0e0e0e0e'));
  await forgeRaw(server, 'contacts', 'c-proto', JSON.stringify({
    name: 'Proto', email: '', phoneInput: '', waNumber: '', phoneValid: false, tags: [], createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z', lastInboundAt: '', properties: { constructor: 'x' },
  }));
  await expect.poll(async () => (await callAs(app, session, 'sync:quarantine', {})).length, { timeout: 20_000 }).toBe(3);

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Olga Officer');
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-tab-integrity').click();
  await page.getByTestId('integrity-run').click();
  await expect(page.getByTestId('integrity-quarantined')).toContainText('3 documents received by sync are kept aside');
  await page.getByTestId('integrity-sync-problems').click();

  await expect(page.getByTestId('history-tab-syncProblems')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('sync-problems-count')).toHaveText('3 documents kept aside');
  const row = (id: string) => page.locator(`[data-testid="sync-problem"][data-doc-id="${id}"]`);
  await expect(row('forged-wrong-hash')).toContainText('Its content was changed after it was sealed');
  await expect(row('forged-orphan')).toContainText('Its contact does not exist on this computer yet');
  await expect(row('forged-orphan')).toContainText('Contact c-nobody');
  await expect(row('c-proto')).toContainText('Contains a field name that could alter the program');
  await expect(row('c-proto')).toContainText('Nothing: it cannot pass as it is');
  await screenshot(page, 'sync-problems-01-en');

  // Re-check now: nothing has changed, so all three stay, with the time of the look.
  await page.getByTestId('sync-problems-recheck').click();
  await expect(page.getByTestId('sync-problems-count')).toContainText('Checked again');
  await expect(page.getByTestId('sync-problem')).toHaveCount(3);

  await page.getByTestId('language-switch').selectOption('pl');
  await expect(page.getByTestId('history-tab-syncProblems')).toHaveText('Problemy synchronizacji');
  await expect(row('forged-wrong-hash')).toContainText('Jego treść zmieniono po zapieczętowaniu');
  await expect(page.getByTestId('sync-problems-count')).toContainText('3 dokumenty odłożone');
  await screenshot(page, 'sync-problems-02-pl');
  await page.getByTestId('language-switch').selectOption('en');

  // A field agent has no such tab, and main refuses the list anyway.
  await page.getByTestId('sign-out').click();
  await new ProfilePickerPage(page).pick('Adam Agent');
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-tab-events')).toBeVisible();
  await expect(page.getByTestId('history-tab-syncProblems')).toHaveCount(0);
  const agent = (await callAs(app, session, 'users:list', {})).find((u) => u.name === 'Adam Agent');
  expect(agent).toBeDefined();
  const refused = await app.api.call('sync:quarantine', {}, { userId: agent?.id ?? '' });
  expect(refused.ok ? 'allowed' : refused.error.code).toBe('forbidden');
  await callAs(app, session, 'sync:stop', {});
});

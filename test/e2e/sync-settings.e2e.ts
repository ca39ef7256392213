import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { remoteDatabaseNames } from '../../src/main/sync/sync-collections';
import { startCouchServer, type CouchServer } from '../helpers/couch-server';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// Settings → Sync against a real CouchDB-protocol server started for the test.
let server: CouchServer;
test.beforeEach(async () => {
  server = await startCouchServer();
  await server.addAdmin('couch', 'right-password');
  await server.createDatabases(remoteDatabaseNames('consentdesk'));
});
test.afterEach(async () => {
  await server.stop();
});

test('an administrator sets up sync, tests the connection, starts it and sees a wrong password in plain words', async ({ openPage, app, dataDir }) => {
  const { session } = await seedUsers(app);
  await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-sync').click();

  await page.getByTestId('sync-url').fill(server.url);
  await page.getByTestId('sync-database').fill('consentdesk');
  await page.getByTestId('sync-username').fill('couch');
  await page.getByTestId('sync-password').fill('wrong-password');
  await page.getByTestId('sync-save').click();
  await expect(page.getByTestId('sync-note')).toHaveText('Sync settings saved.');
  await page.getByTestId('sync-test').click();
  await expect(page.getByTestId('sync-check')).toHaveText('The server refused the user name or password.');

  await page.getByTestId('sync-start').click();
  await expect(page.getByTestId('sync-status').first()).toHaveAttribute('data-state', 'error');
  await expect(page.getByTestId('sync-last-error')).toContainText('The server refused the user name or password.');
  await screenshot(page, 'sync-01-wrong-password');

  await page.getByTestId('sync-password').fill('right-password');
  await page.getByTestId('sync-save').click();
  await page.getByTestId('sync-test').click();
  await expect(page.getByTestId('sync-check')).toContainText('Connected.');
  await expect(page.getByTestId('sync-status').first()).toHaveAttribute('data-state', 'in_sync', { timeout: 20_000 });
  await expect(page.getByTestId('sync-details')).toContainText('Last sync');
  await screenshot(page, 'sync-02-in-sync');

  // The contact made before sync was set up reached the server; the password is not on disk in clear.
  await expect.poll(() => server.docCount('consentdesk-contacts')).toBe(1);
  expect(readFileSync(join(dataDir, 'sync-config.json'), 'utf8')).not.toContain('right-password');
  await page.getByTestId('sync-stop').click();
  await expect(page.getByTestId('sync-start')).toBeVisible();
});

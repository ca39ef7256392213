import { remoteDatabaseNames } from '../../src/main/sync/sync-collections';
import { startCouchServer, type CouchServer } from '../helpers/couch-server';
import { openDevice, SYNC_DB, waitFor, type Device } from '../helpers/sync-devices';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// Settings → Devices: the first admin's device is the root of trust; a second device (a real
// app in its own process) shows its pairing code, and the admin approves it in the window.
let server: CouchServer;
let laptop: Device | undefined;
test.beforeEach(async () => {
  server = await startCouchServer();
  await server.createDatabases(remoteDatabaseNames(SYNC_DB));
});
test.afterEach(async () => {
  await laptop?.dispose();
  await server.stop();
});

test('an administrator enrols a new device by its pairing code, and sees it listed', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  await callAs(app, session, 'sync:setConfig', { url: server.url, database: SYNC_DB, username: '', password: '' });
  await callAs(app, session, 'sync:start', {});
  laptop = await openDevice(server, 'Laptop');
  const joining = await laptop.must('devices:status', {});

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-devices').click();
  await expect(page.getByTestId('this-device-status')).toHaveAttribute('data-status', 'enrolled');
  await expect(page.getByTestId('this-device')).toContainText('Root of trust');
  await expect(page.getByTestId('key-protection')).toContainText('file beside the data');
  await expect(page.getByTestId('devices-row')).toHaveCount(1);
  await screenshot(page, 'devices-01-root');

  // The laptop's pairing request arrives by sync; the admin types the code it shows.
  await waitFor('the pairing request to arrive', async () => (await app.services.trust.registry()).pairingRequests().some((r) => r.deviceId === joining.deviceId));
  await page.getByTestId('devices-approve-code').fill(joining.pairingCode.toLowerCase());
  await page.getByTestId('devices-approve').click();
  await expect(page.getByRole('status').filter({ hasText: 'is enrolled' })).toBeVisible();
  await expect(page.getByTestId('devices-row')).toHaveCount(2);
  await expect(page.locator(`[data-device="${joining.deviceId}"]`)).toHaveAttribute('data-status', 'enrolled');
  await screenshot(page, 'devices-02-approved');

  // The laptop learns it is enrolled under this root.
  const root = await callAs(app, session, 'devices:status', {});
  await waitFor('the laptop to be enrolled', async () => (await laptop?.must('devices:status', {}))?.rootDeviceId === root.deviceId);

  // A code nobody shows is refused in words.
  await page.getByTestId('devices-approve-code').fill('00000-00000');
  await page.getByTestId('devices-approve').click();
  await expect(page.getByRole('alert')).toContainText('No device showing this code');
  await screenshot(page, 'devices-03-unknown-code');
});

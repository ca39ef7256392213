import { openApp, type OpenedApp } from '../../src/main/app';
import { quietLog } from '../helpers/temp-app';
import { ContactsPage, ProfilePickerPage } from './pages/app-pages';
import { expect, screenshot, test as base } from './harness';
import { callAs, seedUsers } from './seed';

// A store with people in it, then a start that finds less room on the disk than a start
// needs (a threshold no disk meets, so the real free-space check says "full"): the window
// must say so before sign-in and on every page, and a save must be refused with what to do.
const test = base.extend<{ app: OpenedApp }>({
  app: async ({ dataDir }, use) => {
    const seeding = await openApp({ dataDir, log: quietLog });
    const { session } = await seedUsers(seeding);
    await callAs(seeding, session, 'contacts:create', { name: 'Olga Odczyt', phoneInput: '+48 601 555 100' });
    await seeding.close();
    const app = await openApp({ dataDir, log: quietLog, minFreeBytes: Number.MAX_SAFE_INTEGER });
    await use(app);
    await app.close();
  },
});

test('read-only start on a full disk: a banner on every page, reads work, a save is refused and nothing is written', async ({ openPage, app }) => {
  expect(app.services.startMode.readOnly).toBe(true);
  const page = await openPage();
  const banner = page.getByTestId('read-only-banner');
  await expect(banner).toContainText('Read-only: disk full — free space and restart.');
  await screenshot(page, 'read-only-01-sign-in');

  await new ProfilePickerPage(page).pick('Ada Admin');
  await expect(banner).toBeVisible();
  const contacts = new ContactsPage(page);
  await contacts.search('Olga');
  await expect(contacts.rows()).toHaveCount(1);
  await screenshot(page, 'read-only-02-contacts');

  await page.getByTestId('new-contact').click();
  await page.getByTestId('contact-name').fill('Nowa Osoba');
  await page.getByTestId('contact-phone').fill('+48 602 900 100');
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('form-error')).toContainText('Nothing was saved');
  await expect(banner).toBeVisible();
  await screenshot(page, 'read-only-03-save-refused');
  await contacts.open();
  await contacts.search('Nowa');
  await expect(page.getByTestId('contacts-empty')).toBeVisible();

  await page.getByTestId('language-switch').selectOption('pl');
  await expect(banner).toContainText('Tylko do odczytu: dysk pełny — zwolnij miejsce i uruchom ponownie.');
  await screenshot(page, 'read-only-04-polish');
});

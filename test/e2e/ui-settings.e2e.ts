import { ProfilePickerPage } from './pages/app-pages';
import { SettingsPage } from './pages/ui-pages';
import { expect, screenshot, test } from './harness';
import { seedUsers } from './seed';

test('an administrator adds a business number, sees a refusal for a bad one, and archives a type', async ({ openPage, app }) => {
  await seedUsers(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const settings = new SettingsPage(page);
  await settings.open('types');
  await expect(page.getByTestId('types-empty')).toBeVisible();
  await settings.addType({ name: 'WhatsApp marketing', purpose: 'Marketing', number: '+48 22 123 45 67', business: 'Sklep Kowalski' });
  await expect(page.getByTestId('types-notice')).toHaveText('"WhatsApp marketing" added.');
  await expect(page.getByTestId('type-row-WhatsApp marketing')).toContainText('+48 22 123 45 67');
  const stored = await app.services.db.subscription_types.find().exec();
  expect(stored.map((t) => [t.name, t.purpose, t.businessNumber, t.businessName])).toEqual([['WhatsApp marketing', 'marketing', '+48221234567', 'Sklep Kowalski']]);

  await settings.addType({ name: 'Bad', purpose: 'Transactional', number: '12', business: 'Sklep Kowalski' });
  await expect(page.getByTestId('types-error')).toBeVisible();
  await screenshot(page, 'ui-settings-01-types');

  await page.getByRole('button', { name: 'Archive WhatsApp marketing' }).click();
  await page.getByTestId('type-archive-confirm').click();
  await expect(page.getByTestId('types-notice')).toHaveText('"WhatsApp marketing" archived.');
  await expect(page.getByTestId('type-row-WhatsApp marketing')).toContainText('archived');
});

test('keywords: a keyword with a space is refused with the reason beside it; defaults can be restored', async ({ openPage, app }) => {
  await seedUsers(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await new SettingsPage(page).open('keywords');
  await expect(page.getByTestId('keywords-en-optIn')).toHaveValue('START, SUBSCRIBE, UNSTOP');
  await page.getByTestId('keywords-pt-optOut').fill('PARAR, POR FAVOR PARE');
  await page.getByTestId('keywords-es-optIn').fill('EMPEZAR, STOP');
  await page.getByTestId('keywords-save').click();
  await expect(page.getByTestId('keywords-error')).toHaveText('Not saved: 2 problems to fix.');
  await expect(page.getByTestId('keywords-pt-optOut-errors')).toHaveText('"POR FAVOR PARE" contains a space; a keyword must be a single word.');
  await expect(page.getByTestId('keywords-pt-optOut')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('keywords-es-optIn-errors')).toBeVisible();
  await screenshot(page, 'ui-settings-02-keyword-errors');

  await page.getByTestId('keywords-pt-optOut').fill('PARAR, PARE');
  await page.getByTestId('keywords-es-optIn').fill('EMPEZAR');
  await page.getByTestId('keywords-save').click();
  await expect(page.getByTestId('keywords-notice')).toHaveText('Keywords saved.');
  await expect(page.getByTestId('keywords-default-state')).toHaveText('These lists were edited.');
  expect((await app.services.keywords.table()).pt.optOut).toEqual(['PARAR', 'PARE']);

  await page.getByTestId('keywords-restore').click();
  await page.getByTestId('keywords-restore-confirm').click();
  await expect(page.getByTestId('keywords-notice')).toHaveText('The default keywords are restored.');
  await expect(page.getByTestId('keywords-pt-optOut')).toHaveValue('PARAR');
});

test('users and roles, and the default country', async ({ openPage, app }) => {
  await seedUsers(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const settings = new SettingsPage(page);
  await settings.open('users');
  await page.getByTestId('user-name').fill('Fiona Field');
  await page.getByTestId('user-role').selectOption({ label: 'Field agent' });
  await page.getByTestId('user-secret').fill('135791');
  await page.getByTestId('user-add').click();
  await expect(page.getByTestId('user-row-Fiona Field')).toContainText('Field agent');
  const promote = async () => {
    await page.getByRole('button', { name: 'Edit Fiona Field' }).click();
    await page.getByTestId('user-row-Fiona Field').getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Compliance officer' });
    await page.getByTestId('user-row-Fiona Field').getByRole('button', { name: 'Save' }).click();
  };
  // A PIN is for field agents only: the promotion waits for a passphrase.
  await promote();
  await expect(page.getByTestId('users-error')).toContainText('set a passphrase for it first');
  await page.getByTestId('user-row-Fiona Field').getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('user-set-secret-Fiona Field').click();
  await page.getByTestId('set-secret-new').fill('fiona passphrase');
  await page.getByTestId('set-secret-confirm').fill('fiona passphrase');
  await page.getByTestId('set-secret-save').click();
  await expect(page.getByText('The PIN or passphrase of Fiona Field is set.')).toBeVisible();
  await promote();
  await expect(page.getByRole('button', { name: 'Edit Fiona Field' })).toBeVisible();
  await expect(page.getByTestId('user-row-Fiona Field')).toContainText('Compliance officer');
  expect((await app.services.users.list()).find((u) => u.name === 'Fiona Field')?.role).toBe('compliance_officer');
  await screenshot(page, 'ui-settings-03-users');

  await settings.open('general');
  await page.getByTestId('default-country').fill('DE');
  await page.getByTestId('general-save').click();
  await expect(page.getByText('Saved')).toBeVisible();
  expect(await app.services.settings.defaultCountry()).toBe('DE');
  await page.getByTestId('default-country').fill('D');
  await page.getByTestId('general-save').click();
  await expect(page.getByTestId('general-error')).toContainText('two-letter country code');
});

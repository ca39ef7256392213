import { ContactsPage, ProfilePickerPage } from './pages/app-pages';
import { expect, screenshot, test } from './harness';
import { callAs, seedUsers } from './seed';

test('first start: create the administrator, then create, list, open and edit a contact', async ({ openPage, app }) => {
  const page = await openPage();
  await expect(page.getByRole('heading', { name: 'Who is working?' })).toBeVisible();
  await screenshot(page, 'foundation-01-first-start');
  await new ProfilePickerPage(page).createFirstAdmin('Ada Admin');

  const contacts = new ContactsPage(page);
  await expect(page.getByTestId('contacts-empty')).toBeVisible();
  await contacts.createContact({ name: 'Jan Kowalski', phone: '601 234 567', email: 'jan@example.pl' });
  await expect(page.getByTestId('phone-status')).toContainText('+48601234567');
  await screenshot(page, 'foundation-02-contact-created');

  await page.getByTestId('contact-name').fill('Jan K. Kowalski');
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('form-saved')).toBeVisible();
  await expect(page.getByTestId('contact-title')).toHaveText('Jan K. Kowalski');

  await contacts.open();
  await expect(contacts.rows()).toHaveCount(1);
  await expect(contacts.rows().first()).toHaveText('Jan K. Kowalski');

  // Persisted in the real store, not only on screen.
  const stored = await app.services.db.contacts.find().exec();
  expect(stored.map((c) => [c.name, c.waNumber, c.email])).toEqual([['Jan K. Kowalski', '+48601234567', 'jan@example.pl']]);
  await screenshot(page, 'foundation-03-contacts-list');
});

test('search narrows the list and an invalid number is marked, not silently dropped', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  for (const [name, phone] of [['Anna Nowak', '+48 512 345 678'], ['Piotr Zieliński', '12'], ['Maria Wiśniewska', '+49 30 901820']]) {
    await callAs(app, session, 'contacts:create', { name: name ?? '', phoneInput: phone ?? '' });
  }
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const contacts = new ContactsPage(page);
  await expect(contacts.rows()).toHaveCount(3);
  await expect(page.getByText('12 (invalid number)')).toBeVisible();
  await contacts.search('512 345');
  await expect(contacts.rows()).toHaveText(['Anna Nowak']);
  await contacts.search('zz-nobody');
  await expect(page.getByTestId('contacts-empty')).toHaveText('No contact matches this search or filter.');
  await contacts.search('');
  await expect(contacts.rows()).toHaveCount(3);
  await screenshot(page, 'foundation-04-search');
});

test('a contact created elsewhere appears without reloading (live update)', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await expect(page.getByTestId('contacts-empty')).toBeVisible();
  await callAs(app, session, 'contacts:create', { name: 'Arrived Via Sync', phoneInput: '+48 600 100 200' });
  await expect(new ContactsPage(page).rows()).toHaveText(['Arrived Via Sync']);
});

test('a compliance officer sees contacts but cannot create or edit them', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Cora Compliance', role: 'compliance_officer' }]);
  await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Cora Compliance');
  // Compliance officers land on the overview.
  await new ContactsPage(page).open();
  await expect(page.getByTestId('new-contact')).toHaveCount(0);
  await new ContactsPage(page).rows().first().click();
  await expect(page.getByTestId('contact-save')).toHaveCount(0);
  await expect(page.getByTestId('contact-name')).toBeDisabled();
  // The UI hides it, and main refuses it anyway.
  const refused = await page.evaluate(() => window.consentDesk.invoke('contacts:create', { name: 'Sneaky' }));
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  await screenshot(page, 'foundation-05-compliance-read-only');
});

test('the Polish UI', async ({ openPage, app }) => {
  await seedUsers(app);
  const page = await openPage();
  await page.getByTestId('language-switch').selectOption('pl');
  await expect(page.getByRole('heading', { name: 'Kto pracuje?' })).toBeVisible();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await expect(page.getByRole('heading', { name: 'Kontakty' })).toBeVisible();
  await screenshot(page, 'foundation-06-polish');
});

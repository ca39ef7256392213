import { ContactsPage, ProfilePickerPage } from './pages/app-pages';
import { seedTypes } from './pages/ui-seed';
import { expect, screenshot, test } from './harness';
import { callAs, seedUsers } from './seed';

async function seedPeople(app: Parameters<typeof seedTypes>[0]) {
  const { session } = await seedUsers(app);
  const types = await seedTypes(app, session);
  const people: Record<string, string> = {};
  for (const [name, phone] of [
    ['Anna Nowak', '+48 512 345 678'], ['Jan Kowalski', '+48 601 234 567'], ['Maria Wiśniewska', '+48 600 100 200'],
    ['Piotr Zieliński', '12'], ['Zofia Wójcik', '+48 501 000 111'],
  ] as const) {
    people[name] = (await callAs(app, session, 'contacts:create', { name, phoneInput: phone })).id;
  }
  const change = (name: string, typeId: string, action: 'subscribe' | 'unsubscribe', basedOn = '') =>
    callAs(app, session, 'consent:change', {
      contactId: people[name] ?? '', typeId, action, legalBasis: 'consent_with_notice', explanation: 'Seed', basedOn,
    });
  await change('Anna Nowak', types.marketing.id, 'subscribe');
  await change('Jan Kowalski', types.marketing.id, 'subscribe');
  await change('Jan Kowalski', types.service.id, 'subscribe');
  const maria = await change('Maria Wiśniewska', types.marketing.id, 'subscribe');
  await change('Maria Wiśniewska', types.marketing.id, 'unsubscribe', maria.id);
  await callAs(app, session, 'consent:setOptOutAll', { contactId: people['Zofia Wójcik'] ?? '', optedOut: true, explanation: 'Asked', basedOn: '' });
  return { session, types, people };
}

test('status columns per type, filters by type and status, and the opted-out-of-all filter', async ({ openPage, app }) => {
  const { types, people } = await seedPeople(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const contacts = new ContactsPage(page);
  await expect(contacts.rows()).toHaveCount(5);
  await expect(page.getByTestId(`type-column-${types.marketing.id}`)).toHaveText('WhatsApp marketing');
  const janRow = page.getByTestId('contact-row').filter({ hasText: 'Jan Kowalski' });
  await expect(janRow.getByTestId(`row-status-${types.marketing.id}`)).toHaveText('Subscribed');
  await expect(page.getByTestId('contact-row').filter({ hasText: 'Maria' }).getByTestId(`row-status-${types.marketing.id}`)).toHaveText('Unsubscribed');
  await expect(page.getByTestId('contact-row').filter({ hasText: 'Zofia' })).toContainText('Opted out of all');
  await screenshot(page, 'ui-contacts-01-status-columns');

  await page.getByTestId('filter-type').selectOption({ label: 'WhatsApp marketing' });
  await page.getByTestId('filter-status').selectOption({ label: 'Subscribed' });
  await expect(contacts.rows()).toHaveText(['Anna Nowak', 'Jan Kowalski']);
  await page.getByTestId('filter-status').selectOption({ label: 'Unsubscribed' });
  await expect(contacts.rows()).toHaveText(['Maria Wiśniewska']);
  await page.getByTestId('filter-status').selectOption({ label: 'Not specified' });
  await expect(contacts.rows()).toHaveText(['Piotr Zieliński', 'Zofia Wójcik']);
  await page.getByTestId('filter-type').selectOption({ label: 'WhatsApp service' });
  await page.getByTestId('filter-status').selectOption({ label: 'Subscribed' });
  await expect(contacts.rows()).toHaveText(['Jan Kowalski']);
  await page.getByTestId('filter-status').selectOption({ label: 'Opted out of all WhatsApp' });
  await expect(contacts.rows()).toHaveText(['Zofia Wójcik']);
  await expect(page.getByTestId('filter-type')).toBeDisabled();
  await screenshot(page, 'ui-contacts-02-filtered');
  await page.getByTestId('filter-clear').click();
  await expect(contacts.rows()).toHaveCount(5);
  expect(Object.keys(people)).toHaveLength(5);
});

test('rows are selected with the keyboard, and "select all matching" covers every match', async ({ openPage, app }) => {
  await seedPeople(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const contacts = new ContactsPage(page);
  await expect(contacts.rows()).toHaveCount(5);

  const annaBox = page.getByRole('checkbox', { name: 'Select Anna Nowak' });
  await annaBox.focus();
  await page.keyboard.press('Space');
  await expect(annaBox).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('checkbox', { name: 'Select Jan Kowalski' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('selection-count')).toHaveText('2 contacts selected');
  await screenshot(page, 'ui-contacts-03-selection');

  await page.getByTestId('select-all-matching').click();
  await expect(page.getByTestId('selection-count')).toHaveText('All 5 matching contacts selected');
  await expect(page.getByTestId('row-select')).toHaveCount(5);
  for (const box of await page.getByTestId('row-select').all()) await expect(box).toBeChecked();
  // Unticking one row of "all matching" keeps the others.
  await page.getByRole('checkbox', { name: 'Select Zofia Wójcik' }).uncheck();
  await expect(page.getByTestId('selection-count')).toHaveText('4 contacts selected');
  await page.getByTestId('selection-clear').click();
  await expect(page.getByTestId('selection-bar')).toBeHidden();

  // The header box selects all matching the current filter; a new filter starts over.
  await contacts.search('Nowak');
  await expect(contacts.rows()).toHaveText(['Anna Nowak']);
  await page.getByTestId('select-all').check();
  await expect(page.getByTestId('selection-count')).toHaveText('All 1 matching contact selected');
  await contacts.search('');
  await expect(page.getByTestId('selection-bar')).toBeHidden();
});

test('the Polish interface: contacts home and a contact record', async ({ openPage, app }) => {
  const { types, people } = await seedPeople(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('language-switch').selectOption('pl');
  await expect(page.getByRole('heading', { name: 'Kontakty' })).toBeVisible();
  await expect(page.getByTestId('nav-collect')).toHaveText('Zbieranie zgód');
  await expect(page.getByTestId('contact-row').filter({ hasText: 'Jan Kowalski' }).getByTestId(`row-status-${types.marketing.id}`)).toHaveText('Zapisany');
  await page.getByTestId('select-all').check();
  await expect(page.getByTestId('selection-count')).toHaveText('Zaznaczono wszystkie 5 pasujących kontaktów');
  await screenshot(page, 'ui-contacts-04-polish-home');

  await page.getByTestId('contact-row-link').filter({ hasText: 'Maria' }).click();
  await expect(page.getByTestId(`consent-action-${types.marketing.id}`)).toHaveText('Wznów subskrypcję');
  await expect(page.getByTestId(`subscription-${types.marketing.id}`)).toContainText('Wypisany');
  await expect(page.getByTestId('may-message')).toContainText('Czy mogę napisać do tego kontaktu?');
  await page.getByTestId(`consent-action-${types.marketing.id}`).click();
  await expect(page.getByRole('dialog', { name: 'Wznów subskrypcję: WhatsApp marketing' })).toBeVisible();
  await expect(page.getByTestId('legal-basis').locator('option')).toContainText(['Dobrowolna zgoda kontaktu (z informacją)', 'Wykonanie umowy']);
  await screenshot(page, 'ui-contacts-05-polish-dialog');
  await page.keyboard.press('Escape');
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-row').first()).toContainText('Ręcznie');
  await screenshot(page, 'ui-contacts-06-polish-history');
  expect(people['Maria Wiśniewska']).toBeTruthy();
});

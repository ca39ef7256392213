import { expect, screenshot, test } from './harness';
import { ContactsPage, ProfilePickerPage } from './pages/app-pages';
import { seedTour } from './pages/screens-seed';
import { callAs } from './seed';

// The journeys behind the desk fixes: the keyboard way to the first contact, a user switch
// that forgets the last user's search, the compliance officer's landing page, and "Run now"
// asking first, with the count.

test('two Tabs and Enter reach the first contact; the focus ring is not clipped', async ({ openPage, app }) => {
  await seedTour(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await expect(page.getByTestId('contact-row-link')).toHaveCount(5);
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip-to-main')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip-to-contacts')).toBeFocused();
  await screenshot(page, 'desk-keyboard-01-skip-link');
  await page.keyboard.press('Enter');
  const first = page.getByTestId('contact-row-link').first();
  await expect(first).toBeFocused();
  // The ring is drawn inside the link, so the cell's overflow cannot cut it.
  expect(await first.evaluate((a) => getComputedStyle(a).outlineOffset)).toBe('-3px');
  await screenshot(page, 'desk-keyboard-02-first-contact-focused');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('contact-title')).toHaveText('Anna Nowak 3');
});

test('switching user clears the search and filters of the last one', async ({ openPage, app }) => {
  await seedTour(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const contacts = new ContactsPage(page);
  await contacts.search('Wójcik');
  await expect(contacts.rows()).toHaveCount(1);
  await page.getByTestId('sign-out').click();
  await new ProfilePickerPage(page).pick('Olga Officer');
  // A compliance officer lands on the overview.
  await expect(page.getByTestId('overview-status-table')).toBeVisible();
  await page.getByTestId('nav-contacts').click();
  await expect(page.getByTestId('contacts-search')).toHaveValue('');
  await expect(contacts.rows()).toHaveCount(5);
});

test('the compliance overview shows counts per number and type, the backlog and the last check', async ({ openPage, app }) => {
  const seed = await seedTour(app);
  await callAs(app, seed.session, 'history:verify', {});
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Olga Officer');
  const row = page.getByTestId(`overview-type-${seed.marketing.id}`);
  await expect(row.locator('[data-status="subscribed"]')).toHaveText('1');
  // Five contacts: Jan subscribed; the bulk change on two others was undone. The tour's
  // "please stop" message comes from Zofia's number and must not add a sixth contact.
  await expect(row.locator('[data-status="not_specified"]')).toHaveText('4');
  await expect(page.getByTestId('overview-contacts')).toContainText('1 opted out of all WhatsApp');
  await expect(page.getByTestId('overview-review')).toContainText('1');
  await expect(page.getByTestId('overview-integrity')).toContainText('Intact: 9 events checked by Ada Admin');
  await page.getByTestId('overview-unit').selectOption('months');
  await page.getByText('The same figures as a table').click();
  await expect(page.getByTestId('overview-trend-table').locator('tbody tr')).toHaveCount(12);
  await screenshot(page, 'desk-overview');
});

test('"Run now" shows how many contacts would change and warns before resubscribing CSV-import opt-outs', async ({ openPage, app }) => {
  const seed = await seedTour(app);
  const { jan, zofia } = seed.contacts;
  for (const contact of [jan, zofia]) {
    await app.services.ledger.append([
      {
        contactId: contact.id, typeId: seed.marketing.id, status: 'unsubscribed', source: 'csv_import', legalBasis: '', explanation: 'opt-out list.csv',
        actor: { kind: 'user', id: seed.admin.id, name: seed.admin.name }, evidence: {}, occurredAt: new Date().toISOString(),
      },
    ]);
  }
  const rule = await callAs(app, seed.session, 'rules:save', {
    rule: {
      name: 'Everyone gets marketing',
      trigger: { kind: 'run_now', search: '', typeId: '', status: '' },
      conditions: { kind: 'group', op: 'and', children: [] },
      actions: [{ kind: 'set_status', typeId: seed.marketing.id, status: 'subscribed', legalBasis: 'consent_with_notice', explanation: 'Fair list' }],
    },
  });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-automation').click();
  await page.getByTestId(`rule-item-${rule.name}`).click();
  await page.getByTestId('rule-run-now').click();
  const dialog = page.getByTestId('run-now-dialog');
  await expect(dialog.getByTestId('run-now-count')).toContainText('This run would change 5 contacts (of 5 it looks at).');
  await expect(dialog.getByTestId('run-now-import-warning')).toContainText('2 of them were unsubscribed by a CSV import');
  await expect(dialog.getByTestId('run-now-confirm')).toBeDisabled();
  await screenshot(page, 'desk-run-now-warning');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(await app.services.db.consent_events.count({ selector: { source: 'workflow' } }).exec()).toBe(0);

  await page.getByTestId('rule-run-now').click();
  await dialog.getByTestId('run-now-acknowledge').check();
  await dialog.getByTestId('run-now-confirm').click();
  await expect(page.getByTestId('run-changed').first()).toHaveText('5');
  expect(await app.services.db.consent_events.count({ selector: { source: 'workflow' } }).exec()).toBe(5);
});

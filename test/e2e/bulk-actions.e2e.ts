import { ContactsPage, ProfilePickerPage } from './pages/app-pages';
import { expect, screenshot, test } from './harness';
import { callAs, seedUsers } from './seed';

test('bulk: select all matching, preview with skip reasons, apply, then undo by compensating events', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const type = await callAs(app, session, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
  const ids: Record<string, string> = {};
  for (const [name, phone] of [['Anna Nowak', '601 234 567'], ['Bad Number', '12'], ['Cezary Lis', '602 345 678'], ['Stop Sender', '603 456 789']] as const) {
    ids[name] = (await callAs(app, session, 'contacts:create', { name, phoneInput: phone })).id;
  }
  const stop = ids['Stop Sender'] ?? '';
  await app.services.ledger.append([{ contactId: stop, typeId: type.id, status: 'unsubscribed', source: 'keyword', legalBasis: '', explanation: 'STOP', actor: { kind: 'contact', id: stop, name: 'Stop Sender' }, evidence: { messageId: 'm1' } }]);

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await expect(page.getByTestId('contact-row')).toHaveCount(4);
  await page.getByTestId('select-all').check();
  await page.getByTestId('bulk-open').click();
  await page.getByTestId('bulk-target').selectOption(type.id);
  await page.getByTestId('bulk-status').selectOption('subscribed');
  await page.getByTestId('bulk-legal-basis').selectOption('legitimate_interest_client');
  await page.getByTestId('bulk-explanation').fill('Existing customers from the 2024 orders list');
  await page.getByTestId('bulk-preview').click();
  await expect(page.getByTestId('bulk-change-count')).toHaveText('2 contacts will change.');
  await expect(page.getByTestId('bulk-skipped-invalid_number')).toHaveText('1 skipped: no valid WhatsApp number');
  await expect(page.getByTestId('bulk-skipped-own_opt_out')).toHaveText('1 skipped: opted out by their own message');
  await expect(page.getByTestId('bulk-skipped-list')).toContainText('Stop Sender (opted out themselves)');
  await screenshot(page, 'bulk-01-preview');

  await page.getByTestId('bulk-apply').click();
  await expect(page.getByTestId('bulk-result')).toHaveText('Done: 2 contacts changed.');
  expect((await app.services.ledger.state(ids['Anna Nowak'] ?? '', type.id))?.status).toBe('subscribed');
  await screenshot(page, 'bulk-02-applied');

  const before = await app.services.db.consent_events.count().exec();
  await page.getByTestId('bulk-undo').click();
  await expect(page.getByTestId('bulk-undo-result')).toContainText('2 restored');
  expect((await app.services.ledger.state(ids['Anna Nowak'] ?? '', type.id))?.status).toBe('not_specified');
  expect(await app.services.db.consent_events.count().exec()).toBe(before + 2);
  await screenshot(page, 'bulk-03-undone');
});

test('bulk actions are for administrators; compliance officers export', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Cora Compliance', role: 'compliance_officer' }]);
  await callAs(app, session, 'contacts:create', { name: '=cmd|calc', phoneInput: '601 234 567' });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Cora Compliance');
  // Compliance officers land on the overview.
  await new ContactsPage(page).open();
  await expect(page.getByTestId('contact-row')).toHaveCount(1);
  await expect(page.getByTestId('bulk-open')).toHaveCount(0);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-semicolon').check();
  await page.getByTestId('export-contacts').click();
  const file = await download;
  const { readFileSync } = await import('node:fs');
  const text = readFileSync((await file.path()) ?? '', 'utf8');
  expect(text.startsWith('\ufeffname;whatsapp_number')).toBe(true);
  expect(text).toContain(`'=cmd|calc`);
  const refused = await page.evaluate(() => window.consentDesk.invoke('bulk:list', {}));
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});

test('bulk: the dialog keeps its result and undo when its contacts leave the filter; the next starts afresh; past changes are listed with undo', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const type = await callAs(app, session, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
  for (const [name, phone] of [['Anna Nowak', '601 234 567'], ['Cezary Lis', '602 345 678'], ['Ewa Lis', '603 456 789']] as const) {
    await callAs(app, session, 'contacts:create', { name, phoneInput: phone });
  }
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('filter-type').selectOption(type.id);
  await page.getByTestId('filter-status').selectOption('not_specified');
  await expect(page.getByTestId('contact-row')).toHaveCount(3);
  // All matching: once subscribed, every one of them leaves the "not specified" filter.
  await page.getByTestId('select-all').check();
  await page.getByTestId('bulk-open').click();
  await expect(page.getByTestId('bulk-dialog')).toContainText('Change the status of 3 contacts');
  await page.getByTestId('bulk-status').selectOption('subscribed');
  await page.getByTestId('bulk-legal-basis').selectOption('legitimate_interest_client');
  await page.getByTestId('bulk-explanation').fill('Existing customers');
  await page.getByTestId('bulk-preview').click();
  await expect(page.getByTestId('bulk-restate')).toHaveText('Marketing → Subscribed · legal basis: Legitimate interest – existing customer');
  await screenshot(page, 'bulk-04-preview-restates');
  await page.getByTestId('bulk-apply').click();
  await expect(page.getByTestId('bulk-result')).toHaveText('Done: 3 contacts changed.');
  await expect(page.getByTestId('contact-row')).toHaveCount(0);
  // Still open, same title, result and undo kept.
  await expect(page.getByTestId('bulk-dialog')).toContainText('Change the status of 3 contacts');
  await expect(page.getByTestId('bulk-undo')).toBeEnabled();
  await screenshot(page, 'bulk-05-result-kept');
  await page.getByTestId('bulk-dialog').getByLabel('Close').click();
  await expect(page.getByTestId('bulk-dialog')).toHaveCount(0);

  // The next dialog is a new form, not the old result.
  await page.getByTestId('filter-status').selectOption('subscribed');
  await expect(page.getByTestId('contact-row')).toHaveCount(3);
  await page.getByTestId('row-select').first().check();
  await page.getByTestId('bulk-open').click();
  await expect(page.getByTestId('bulk-dialog')).toContainText('Change the status of 1 contact');
  await expect(page.getByTestId('bulk-preview')).toBeVisible();
  await expect(page.getByTestId('bulk-result')).toHaveCount(0);
  await page.getByTestId('bulk-dialog').getByLabel('Close').click();

  // Past bulk changes, with undo.
  await page.getByTestId('bulk-history-open').click();
  await expect(page.getByTestId('bulk-history-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('bulk-history-table')).toContainText('Marketing → Subscribed · legal basis: Legitimate interest – existing customer');
  await expect(page.getByTestId('bulk-history-state')).toHaveText('finished');
  await screenshot(page, 'bulk-06-history');
  await page.getByTestId('bulk-history-undo').click();
  await expect(page.getByTestId('bulk-history-note')).toContainText('3 restored');
  await expect(page.getByTestId('bulk-history-state')).toHaveText('undone');
  await expect(page.getByTestId('bulk-history-undo')).toHaveCount(0);
  await screenshot(page, 'bulk-07-history-undone');
});

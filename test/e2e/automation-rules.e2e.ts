import { ProfilePickerPage } from './pages/app-pages';
import { expect, screenshot, test } from './harness';
import { callAs, seedUsers } from './seed';

test('build a rule with pickers, dry-run it, enable it, and see it act on a contact edit', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const base = { businessNumber: '+48 22 123 45 67', phoneNumberId: '106540352242922', businessName: 'Sklep Kowalski' };
  await callAs(app, session, 'types:create', { ...base, name: 'WhatsApp marketing', purpose: 'marketing' });
  await callAs(app, session, 'types:create', { ...base, name: 'WhatsApp orders', purpose: 'transactional' });
  const jan = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567', properties: { lifecycle_stage: 'lead' } });
  await callAs(app, session, 'contacts:create', { name: 'Ola Nowak', phoneInput: '+48 512 345 678', properties: { lifecycle_stage: 'customer' } });
  await callAs(app, session, 'contacts:create', { name: 'Piotr Bez Numeru', phoneInput: '12', properties: { lifecycle_stage: 'customer' } });

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-automation').click();
  await expect(page.getByRole('heading', { name: 'Automation' })).toBeVisible();
  await expect(page.getByTestId('rules-empty')).toBeVisible();

  await page.getByTestId('rule-new').click();
  await page.getByTestId('rule-name').fill('Customers get order updates');
  await page.getByTestId('trigger-kind').selectOption('property_changed');
  await page.getByTestId('trigger-property').fill('lifecycle_stage');
  await page.getByTestId('trigger-value').fill('customer');
  await page.getByTestId('cond-add').click();
  await page.getByTestId('cond-0-kind').selectOption('phone_valid');
  await page.getByTestId('action-0-kind').selectOption('set_status');
  await page.getByTestId('action-0-type').selectOption({ label: 'WhatsApp orders' });
  await page.getByTestId('action-0-basis').selectOption('performance_of_contract');
  await page.getByTestId('action-0-explanation').fill('Became a customer');
  await expect(page.getByTestId('rule-summary')).toContainText(
    'When the property “lifecycle_stage” changes to “customer”, and the WhatsApp number is valid,',
  );
  await expect(page.getByTestId('rule-summary')).toContainText('then set “WhatsApp orders” to subscribed (Performance of a contract), explaining “Became a customer”.');
  await screenshot(page, 'automation-01-editor');

  // The dry run of the draft: Ola would change, Piotr is skipped for his number; nothing is written.
  await page.getByTestId('rule-dry-run').click();
  await expect(page.getByTestId('dry-run-counts')).toHaveText('1 match · 1 would change · 0 skipped');
  await expect(page.getByTestId('dry-run-item')).toHaveCount(1);
  await expect(page.getByTestId('dry-run-item').first()).toContainText('Ola Nowak');
  await expect(page.getByTestId('dry-run-item').first()).toContainText('WhatsApp orders: Not specified → Subscribed');
  await expect(page.getByTestId('dry-run-item').first()).toContainText('the property “lifecycle_stage” = “customer”');
  await page.getByTestId('dry-run').scrollIntoViewIfNeeded();
  await screenshot(page, 'automation-02-dry-run');
  expect(await app.services.db.consent_events.count().exec()).toBe(0);

  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-note')).toHaveText('Saved as version 1.');
  await expect(page.getByTestId('rule-state')).toHaveText('Disabled');
  await page.getByTestId('rule-toggle').click();
  await expect(page.getByTestId('rule-state')).toHaveText('Enabled');
  await expect(page.getByTestId('rule-item-Customers get order updates')).toContainText('Enabled');
  await expect(page.getByTestId('run-log-empty')).toBeVisible();

  // Trigger it: edit Jan's lifecycle stage on his record.
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('contact-row-link').filter({ hasText: 'Jan Kowalski' }).click();
  await expect(page.getByTestId('contact-title')).toHaveText('Jan Kowalski');
  await page.getByTestId('property-value-0').fill('customer');
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('form-saved')).toBeVisible();
  await page.getByTestId('tab-history').click();
  const row = page.getByTestId('history-row').first();
  await expect(row).toContainText('Rule: Customers get order updates');
  await expect(row).toContainText('WhatsApp orders');
  await screenshot(page, 'automation-03-contact-history');
  const events = await app.services.db.consent_events.find({ selector: { contactId: jan.id } }).exec();
  expect(events.map((e) => [e.source, e.status, e.legalBasis, e.actor.kind])).toEqual([['workflow', 'subscribed', 'performance_of_contract', 'workflow']]);

  // The run log says what happened.
  await page.getByTestId('nav-automation').click();
  await page.getByTestId('rule-item-Customers get order updates').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-changed')).toHaveText('1');
  await expect(page.getByTestId('run-row')).toContainText('Jan Kowalski: WhatsApp orders: Not specified → Subscribed');
  await page.getByTestId('run-log').scrollIntoViewIfNeeded();
  await screenshot(page, 'automation-04-run-log');
});

test('a compliance officer sees rules read-only, and the Polish summary', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Cora Compliance', role: 'compliance_officer' }]);
  const type = await callAs(app, session, 'types:create', { businessNumber: '+48 22 123 45 67', phoneNumberId: '1', businessName: 'Sklep', name: 'WhatsApp orders', purpose: 'transactional' });
  await callAs(app, session, 'rules:save', {
    rule: {
      name: 'VIP',
      trigger: { kind: 'run_now' },
      conditions: { kind: 'group', op: 'and', children: [{ kind: 'property', target: 'tags', op: 'equals', value: 'vip' }] },
      actions: [{ kind: 'set_status', typeId: type.id, status: 'subscribed', legalBasis: 'legitimate_interest_client', explanation: 'Stały klient' }],
    },
  });
  const page = await openPage();
  await page.getByTestId('language-switch').selectOption('pl');
  await new ProfilePickerPage(page).pick('Cora Compliance');
  await page.getByTestId('nav-automation').click();
  await expect(page.getByTestId('rule-new')).toHaveCount(0);
  await page.getByTestId('rule-item-VIP').click();
  await expect(page.getByTestId('rule-name')).toBeDisabled();
  await expect(page.getByTestId('rule-save')).toHaveCount(0);
  await expect(page.getByTestId('rule-summary')).toContainText('Gdy naciśniesz „Uruchom teraz”, dla wszystkich kontaktów, i kontakt ma tag „vip”,');
  await screenshot(page, 'automation-05-read-only-pl');
  const refused = await page.evaluate(() => window.consentDesk.invoke('rules:setEnabled', { id: 'x', enabled: true }));
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});

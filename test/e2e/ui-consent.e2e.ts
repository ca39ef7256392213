import { ContactsPage, ProfilePickerPage } from './pages/app-pages';
import { ContactRecordPage } from './pages/ui-pages';
import { ingestText, seedSubscribed, seedTypes } from './pages/ui-seed';
import { expect, screenshot, test } from './harness';
import { callAs, seedUsers } from './seed';

test('create a contact, subscribe with a legal basis, and see it in the history', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const { marketing } = await seedTypes(app, session);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await new ContactsPage(page).createContact({ name: 'Jan Kowalski', phone: '+48 601 234 567' });
  const record = new ContactRecordPage(page);
  await expect(record.status(marketing.id)).toContainText('Not specified');
  await expect(page.getByTestId(`may-marketing-${marketing.id}`)).toContainText('has not subscribed');

  await record.action(marketing.id).click();
  await expect(record.dialog()).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Subscribe to WhatsApp marketing' })).toBeVisible();
  // Both fields are required: the dialog says so before asking main.
  await record.submitDialog();
  await expect(page.getByTestId('dialog-error')).toHaveText('Choose the legal basis.');
  await record.fillDialog({ legalBasis: 'Freely given consent from the contact (with notice)' });
  await record.submitDialog();
  await expect(page.getByTestId('dialog-error')).toHaveText('Write an explanation.');
  await record.fillDialog({ explanation: 'Signed the paper form at the fair' });
  await screenshot(page, 'ui-consent-01-subscribe-dialog');
  await record.submitDialog();
  await expect(record.dialog()).toBeHidden();
  await expect(record.status(marketing.id)).toContainText('Subscribed');
  await expect(record.subscription(marketing.id).getByTestId('subscription-last')).toContainText('Ada Admin');
  await expect(page.getByTestId(`may-marketing-${marketing.id}`)).toHaveAttribute('data-allowed', 'true');
  await screenshot(page, 'ui-consent-02-subscribed');

  await record.openHistory();
  await expect(record.historyRows()).toHaveCount(1);
  const row = record.historyRows().first();
  await expect(row).toContainText('WhatsApp marketing');
  await expect(row).toContainText('Freely given consent from the contact (with notice)');
  await expect(row).toContainText('Signed the paper form at the fair');
  await expect(row).toContainText('Ada Admin');
  await expect(row).toContainText('Manual');
  await screenshot(page, 'ui-consent-03-history');

  // The recorded event is the real ledger's, with what the dialog sent.
  const stored = await app.services.db.consent_events.find().exec();
  expect(stored.map((e) => [e.status, e.legalBasis, e.explanation, e.basedOn])).toEqual([['subscribed', 'consent_with_notice', 'Signed the paper form at the fair', '']]);
});

test('resubscribing a contact who replied STOP needs the explicit confirmation', async ({ openPage, app }) => {
  const { session, admin } = await seedUsers(app);
  const { marketing } = await seedTypes(app, session);
  const contact = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  await seedSubscribed(app, admin, contact.id, marketing.id);
  const report = await ingestText(app, session, 'STOP');
  expect(report.counts.opted_out).toBe(1);

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const record = new ContactRecordPage(page);
  await record.open(contact.id);
  await expect(record.status(marketing.id)).toContainText('Unsubscribed');
  await expect(record.status(marketing.id)).toContainText('by their own message');
  await expect(record.action(marketing.id)).toHaveText('Resubscribe');

  await record.action(marketing.id).click();
  await expect(page.getByTestId('own-opt-out-warning')).toContainText('unsubscribed by their own message');
  await record.fillDialog({ legalBasis: 'Freely given consent from the contact (with notice)', explanation: 'Asked again in the shop, signed' });
  await expect(page.getByTestId('consent-submit')).toBeDisabled();
  await screenshot(page, 'ui-consent-04-resubscribe-needs-confirmation');
  // Main refuses it too without the confirmation.
  const refused = await app.api.call('consent:change', {
    contactId: contact.id, typeId: marketing.id, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'x',
    basedOn: (await app.services.ledger.state(contact.id, marketing.id))?.lastEventId ?? '',
  }, session);
  expect(refused.ok ? '' : refused.error.code).toBe('confirmation_required');

  await page.getByTestId('confirm-own-opt-out').check();
  await record.submitDialog();
  await expect(record.dialog()).toBeHidden();
  await expect(record.status(marketing.id)).toContainText('Subscribed');
  await record.openHistory();
  // STOP unsubscribed the contact from both types of that number.
  await expect(record.historyRows()).toHaveCount(4);
  await page.getByTestId('history-type').selectOption({ label: 'WhatsApp marketing' });
  await expect(record.historyRows()).toHaveCount(3);
  await expect(record.historyRows().nth(0)).toContainText('Asked again in the shop, signed');
  await expect(record.historyRows().nth(1)).toContainText('Keyword message');
  await expect(record.historyRows().nth(1)).toContainText('The contact');
  await expect(record.historyRows().nth(2)).toContainText('Signed form');
});

test('a contact without a valid number cannot be subscribed: the UI says so and main refuses', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const { marketing } = await seedTypes(app, session);
  const bad = await callAs(app, session, 'contacts:create', { name: 'Piotr Zieliński', phoneInput: '12' });
  const good = await callAs(app, session, 'contacts:create', { name: 'Anna Nowak', phoneInput: '+48 512 345 678' });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const record = new ContactRecordPage(page);

  await record.open(bad.id);
  await expect(page.getByTestId('subscribe-blocked')).toHaveText('"12" is not a valid WhatsApp number, so this contact cannot be subscribed. Correct the number first.');
  await expect(record.action(marketing.id)).toBeDisabled();
  await expect(page.getByTestId(`may-marketing-${marketing.id}`)).toContainText('no valid WhatsApp number');
  await screenshot(page, 'ui-consent-05-invalid-number');
  const refused = await app.api.call('consent:change', {
    contactId: bad.id, typeId: marketing.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'x', basedOn: '',
  }, session);
  expect(refused.ok ? '' : refused.error.code).toBe('invalid_phone');

  // The number turns invalid while the dialog is open (another window): main's refusal is shown.
  await record.open(good.id);
  await record.action(marketing.id).click();
  await record.fillDialog({ legalBasis: 'Performance of a contract', explanation: 'Contract signed' });
  await callAs(app, session, 'contacts:update', { id: good.id, phoneInput: '99' });
  await expect(page.getByTestId('subscribe-blocked')).toBeVisible();
  await record.submitDialog();
  await expect(page.getByTestId('dialog-error')).toHaveText('"99" is not a valid WhatsApp number; correct it before subscribing.');
  await screenshot(page, 'ui-consent-06-invalid-number-refused');
  expect(await app.services.db.consent_events.count().exec()).toBe(0);
});

test('a keyword message that arrives while the record is open shows up as a status change and in the history', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const { marketing } = await seedTypes(app, session);
  const contact = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const record = new ContactRecordPage(page);
  await record.open(contact.id);
  await expect(record.status(marketing.id)).toContainText('Not specified');

  await ingestText(app, session, ' start ', { secondsAgo: 60 });
  await expect(record.status(marketing.id)).toContainText('Subscribed');
  await expect(record.subscription(marketing.id).getByTestId('subscription-last')).toContainText('The contact');
  await expect(record.subscription(marketing.id).getByTestId('subscription-last')).toContainText('Keyword message');
  await expect(page.getByTestId('may-service')).toHaveAttribute('data-allowed', 'true');
  await screenshot(page, 'ui-consent-07-keyword-arrived');

  await record.openHistory();
  await expect(record.historyRows()).toHaveCount(1);
  await page.getByTestId('history-type').selectOption({ label: 'WhatsApp marketing' });
  await ingestText(app, session, 'STOP');
  await expect(record.historyRows()).toHaveCount(2);
  await expect(record.historyRows().first()).toContainText('Sent "STOP" to +48221234567');
  await expect(record.historyRows().first()).toContainText('Keyword message');
  await screenshot(page, 'ui-consent-08-keyword-history');
});

test('the opted-out-of-all switch confirms, records and blocks every message', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const { marketing } = await seedTypes(app, session);
  const contact = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  await callAs(app, session, 'consent:change', {
    contactId: contact.id, typeId: marketing.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Form', basedOn: '',
  });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  const record = new ContactRecordPage(page);
  await record.open(contact.id);
  await page.getByTestId('opt-out-all-toggle').click();
  const dialog = page.getByRole('dialog', { name: 'Opt out of all WhatsApp' });
  await expect(dialog).toBeVisible();
  // Esc leaves everything as it was.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('opt-out-all-toggle')).not.toBeChecked();

  await page.getByTestId('opt-out-all-toggle').click();
  await page.getByTestId('opt-out-all-explanation').fill('Asked on the phone to get nothing at all');
  await screenshot(page, 'ui-consent-09-opt-out-all-dialog');
  await page.getByTestId('opt-out-all-submit').click();
  await expect(page.getByTestId('opt-out-all-toggle')).toBeChecked();
  await expect(page.getByTestId('opt-out-all-state')).toContainText('Set by Ada Admin');
  await expect(page.getByTestId(`may-marketing-${marketing.id}`)).toContainText('opted out of all WhatsApp');
  await screenshot(page, 'ui-consent-10-opted-out-all');
});

test('a compliance officer sees subscriptions and history but cannot change consent, and main refuses', async ({ openPage, app }) => {
  const { session, users } = await seedUsers(app, [{ name: 'Cora Compliance', role: 'compliance_officer' }]);
  const { marketing } = await seedTypes(app, session);
  const contact = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });
  await callAs(app, session, 'consent:change', {
    contactId: contact.id, typeId: marketing.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Form', basedOn: '',
  });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Cora Compliance');
  const record = new ContactRecordPage(page);
  await record.open(contact.id);
  await expect(record.status(marketing.id)).toContainText('Subscribed');
  await expect(page.getByTestId(/^consent-action-/)).toHaveCount(0);
  await expect(page.getByTestId('opt-out-all-toggle')).toBeDisabled();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-types')).toHaveCount(0);
  await expect(page.getByTestId('settings-keywords')).toHaveCount(0);
  await expect(page.getByTestId('settings-users')).toHaveCount(0);
  await page.goBack();
  await record.openHistory();
  await expect(record.historyRows()).toHaveCount(1);
  await screenshot(page, 'ui-consent-11-compliance-read-only');

  const officer = { userId: users[1]?.id ?? '' };
  const lastEventId = (await app.services.ledger.state(contact.id, marketing.id))?.lastEventId ?? '';
  const refused = await app.api.call('consent:change', {
    contactId: contact.id, typeId: marketing.id, action: 'unsubscribe', explanation: 'x', basedOn: lastEventId,
  }, officer);
  expect(refused.ok ? '' : refused.error.code).toBe('forbidden');
  const refusedAll = await app.api.call('consent:setOptOutAll', { contactId: contact.id, optedOut: true, explanation: 'x', basedOn: '' }, officer);
  expect(refusedAll.ok ? '' : refusedAll.error.code).toBe('forbidden');
  expect(await app.services.db.consent_events.count().exec()).toBe(1);
});

import { chainHeadEntry, signChainHead } from '../../src/main/device/chain-heads';
import { insertMissing } from '../../src/main/store/insert-documents';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// This device's own signed head says its chain reaches two events further than the store holds
// (as after a restore from an older copy of the data folder, or a server that dropped them before
// they came back): the integrity check names the missing events and is not ok.
test('the integrity check shows a chain that ends before its signed head', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const type = await callAs(app, session, 'types:create', {
    name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1000001', businessName: 'Sklep',
  });
  const contact = await callAs(app, session, 'contacts:create', { name: 'Zofia Żak', phoneInput: '+48 601 234 500' });
  const event = await callAs(app, session, 'consent:change', {
    contactId: contact.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '',
  });
  const { deviceId, trust, db } = app.services;
  const head = signChainHead({ v: 1, deviceId, seq: event.seq + 2, hash: 'e'.repeat(64), at: new Date().toISOString() }, trust.sign);
  await insertMissing(db.audit_log, [chainHeadEntry(head)]);

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-tab-integrity').click();
  await page.getByTestId('integrity-run').click();
  await expect(page.getByTestId('integrity-verdict')).toContainText('Problems found');
  const tail = page.getByTestId('integrity-truncated-tail');
  await expect(tail).toContainText(`Events ${event.seq + 1}–${event.seq + 2} are missing`);
  await expect(tail).toContainText('Not yet arrived');
  await screenshot(page, 'history-integrity-truncated-tail');
});

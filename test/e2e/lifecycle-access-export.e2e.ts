import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { OpenedApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import type { AccessExportDocument } from '../../src/shared/api/lifecycle-channels';
import { BUSINESS, textMessage, webhook } from '../helpers/webhook';
import { expect, screenshot, test } from './harness';
import { ContactsPage, ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// Issue 22: a compliance officer exports everything held about a contact from the contact
// page, as JSON and as a PDF in English and in Polish; expiry shows on the record.
async function seedContact(app: OpenedApp, session: Session) {
  const type = await callAs(app, session, 'types:create', {
    name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep', validForMonths: 12,
  });
  const c = await callAs(app, session, 'contacts:create', { name: 'Zofia Żak-Gęślą', phoneInput: '+48 601 234 500', email: 'zofia@example.pl' });
  await callAs(app, session, 'consent:change', { contactId: c.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Formularz na targach w Poznaniu', basedOn: '' });
  const soon = Math.floor(Date.now() / 1000) + 30;
  await callAs(app, session, 'messages:ingest', { payload: webhook([textMessage('wamid.e2e-access', 'Proszę, STOP – nie piszcie już', soon, '48601234500')], { from: '48601234500' }) });
  return c;
}

const pdfText = (path: string) => execFileSync('pdftotext', ['-layout', path, '-']).toString();

test('a compliance officer exports all data about a contact as JSON and as PDF, in English and Polish', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Olga Officer', role: 'compliance_officer' }]);
  const contact = await seedContact(app, session);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Olga Officer');
  // Compliance officers land on the overview.
  await new ContactsPage(page).open();
  await page.getByTestId('contact-row-link').filter({ hasText: 'Zofia' }).click();
  await expect(page.getByTestId('contact-title')).toHaveText('Zofia Żak-Gęślą');
  await expect(page.getByTestId('subscription-expiry')).toContainText('Consent expires');
  const panel = page.getByTestId('access-export');
  await expect(panel).toBeVisible();

  const jsonDownload = page.waitForEvent('download');
  await panel.getByTestId('access-export-json').click();
  const json = await jsonDownload;
  expect(json.suggestedFilename()).toMatch(/^personal-data-Zofia-Zak-Gesla-\d{4}-\d{2}-\d{2}\.json$/);
  const doc = JSON.parse(readFileSync(await json.path()).toString()) as AccessExportDocument;
  expect(doc.contact.id).toBe(contact.id);
  expect(doc.events).toHaveLength(1);
  expect(doc.inboundMessages.map((m) => m.body)).toEqual(['Proszę, STOP – nie piszcie już']);
  expect(doc.reviewItems).toHaveLength(1);

  const enDownload = page.waitForEvent('download');
  await panel.getByTestId('access-export-pdf').click();
  const en = await enDownload;
  expect(en.suggestedFilename()).toMatch(/-en\.pdf$/);
  const enText = pdfText(await en.path());
  expect(enText).toContain('Personal data held about you');
  expect(enText).toContain('Zofia Żak-Gęślą');
  await expect(panel.getByTestId('access-export-done')).toContainText(en.suggestedFilename());
  await screenshot(page, 'lifecycle-access-export-en');

  await page.getByTestId('language-switch').selectOption('pl');
  await expect(panel.getByTestId('access-export-pdf')).toHaveText('Eksportuj wszystkie dane (PDF)');
  const plDownload = page.waitForEvent('download');
  await panel.getByTestId('access-export-pdf').click();
  const pl = await plDownload;
  expect(pl.suggestedFilename()).toMatch(/-pl\.pdf$/);
  const plText = pdfText(await pl.path());
  expect(plText).toContain('Dane osobowe, które o Tobie przechowujemy');
  expect(plText).toContain('Formularz na targach w Poznaniu');
  expect(plText).toContain('Proszę, STOP – nie piszcie już');
  await expect(page.getByTestId('subscription-expiry')).toContainText('Zgoda wygasa');
  await screenshot(page, 'lifecycle-access-export-pl');

  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-terms')).toContainText('WhatsApp marketing');
  await screenshot(page, 'lifecycle-history-terms-pl');
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-tab-audit').click();
  await expect(page.getByTestId('audit-row').first()).toContainText('Wyeksportowano wszystkie dane osobowe (PDF)');
});

test('field agents do not get the access export', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Filip Field', role: 'field_agent' }]);
  await seedContact(app, session);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Filip Field');
  await page.getByTestId('contact-row-link').filter({ hasText: 'Zofia' }).click();
  await expect(page.getByTestId('subscriptions-panel')).toBeVisible();
  await expect(page.getByTestId('access-export')).toHaveCount(0);
});

import { readFileSync } from 'node:fs';
import type { OpenedApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import type { AccessExportDocument } from '../../src/shared/api/lifecycle-channels';
import { TEST_SECRET } from '../helpers/test-secret';
import { BUSINESS, textMessage, webhook } from '../helpers/webhook';
import { expect, screenshot, test } from './harness';
import { ContactsPage, ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// Issue 22: a compliance officer exports everything about a contact, then erases the personal
// data from the contact page; the page, the export and the integrity check show what is left.
async function seedContact(app: OpenedApp, session: Session) {
  const type = await callAs(app, session, 'types:create', {
    name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep',
  });
  const c = await callAs(app, session, 'contacts:create', { name: 'Bożena Żółtowska', phoneInput: '+48 601 234 511', email: 'bozena@example.pl' });
  await callAs(app, session, 'consent:change', { contactId: c.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Formularz Bożeny w sklepie', basedOn: '' });
  const soon = Math.floor(Date.now() / 1000) + 30;
  await callAs(app, session, 'messages:ingest', { payload: webhook([textMessage('wamid.e2e-erase', 'STOP proszę, Bożena', soon, '48601234511')], { from: '48601234511' }) });
  return c;
}

for (const lang of ['en', 'pl'] as const) {
  test(`a compliance officer exports and then erases a contact's personal data (${lang})`, async ({ openPage, app }) => {
    const { session } = await seedUsers(app, [{ name: 'Olga Officer', role: 'compliance_officer' }]);
    const contact = await seedContact(app, session);
    const page = await openPage();
    await new ProfilePickerPage(page).pick('Olga Officer');
    if (lang === 'pl') await page.getByTestId('language-switch').selectOption('pl');
    await new ContactsPage(page).open();
    await page.getByTestId('contact-row-link').filter({ hasText: 'Bożena' }).click();
    await expect(page.getByTestId('contact-title')).toHaveText('Bożena Żółtowska');

    const jsonDownload = page.waitForEvent('download');
    await page.getByTestId('access-export-json').click();
    const before = JSON.parse(readFileSync(await (await jsonDownload).path()).toString()) as AccessExportDocument;
    expect(before.contact.name).toBe('Bożena Żółtowska');

    const panel = page.getByTestId('erasure');
    await panel.getByTestId('erasure-start').click();
    await expect(panel.getByTestId('erasure-confirm')).toBeDisabled();
    await panel.getByTestId('erasure-reason').fill(lang === 'pl' ? 'Wniosek z 5 grudnia' : 'Request of 5 December');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, `lifecycle-erasure-confirm-${lang}`);
    await panel.getByTestId('erasure-confirm').click();
    await expect(panel.getByTestId('erasure-done')).toBeVisible();
    await expect(panel.getByTestId('erasure-note')).toContainText('Olga Officer');
    await expect(page.getByTestId('contact-title')).not.toContainText('Bożena');
    await expect(page.getByTestId('contact-name')).toHaveValue('');
    await expect(page.getByTestId('contact-phone')).toHaveValue('');
    await expect(page.getByTestId('contact-email')).toHaveValue('');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, `lifecycle-erasure-done-${lang}`);

    const afterDownload = page.waitForEvent('download');
    await page.getByTestId('access-export-json').click();
    const text = readFileSync(await (await afterDownload).path()).toString();
    for (const v of ['Bożena', 'Żółtowska', '601234511', 'bozena@example.pl', 'STOP proszę']) expect(text).not.toContain(v);
    const after = JSON.parse(text) as AccessExportDocument;
    expect(after.events.map((e) => e.status)).toEqual(before.events.map((e) => e.status));

    const report = await callAs(app, session, 'history:verify', {});
    expect(report.ok).toBe(true);
    expect(report.erased).toEqual({ contacts: 1, events: before.events.length, retention: 0 });
    expect((await callAs(app, session, 'erasure:status', { contactId: contact.id })).erased).toBe(true);
  });
}

test('field agents do not get the erasure action, and main refuses it', async ({ openPage, app }) => {
  const { session, users } = await seedUsers(app, [{ name: 'Filip Field', role: 'field_agent' }]);
  const c = await seedContact(app, session);
  const agent: Session = { userId: null };
  await callAs(app, agent, 'session:signIn', { userId: users.find((u) => u.role === 'field_agent')?.id ?? '', secret: TEST_SECRET });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Filip Field');
  await page.getByTestId('contact-row-link').filter({ hasText: 'Bożena' }).click();
  await expect(page.getByTestId('subscriptions-panel')).toBeVisible();
  await expect(page.getByTestId('erasure')).toHaveCount(0);
  expect(await app.api.call('erasure:eraseContact', { contactId: c.id, reason: 'no' }, agent)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});

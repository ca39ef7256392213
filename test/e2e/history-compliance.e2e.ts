import { readFileSync } from 'node:fs';
import type { OpenedApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import { BUSINESS, textMessage, webhook } from '../helpers/webhook';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// A small ledger: three contacts with a few changes each, and one message asking to stop.
async function seedLedger(app: OpenedApp, session: Session) {
  const type = await callAs(app, session, 'types:create', {
    name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep',
  });
  const names = ['Zofia Żak', 'Jan Kowalski', 'Anna Nowak'];
  for (const [i, name] of names.entries()) {
    const c = await callAs(app, session, 'contacts:create', { name, phoneInput: `+48 601 234 50${i}` });
    let basedOn = '';
    for (const action of ['subscribe', 'unsubscribe', 'resubscribe'] as const) {
      if (i === 2 && action !== 'subscribe') break;
      const e = await callAs(app, session, 'consent:change', {
        contactId: c.id, typeId: type.id, action, legalBasis: 'consent_with_notice', explanation: `${action} at the Poznań fair`, basedOn,
      });
      basedOn = e.id;
    }
  }
  await callAs(app, session, 'messages:ingest', { payload: webhook([textMessage('wamid.e2e', 'please stop messaging me', 1_767_000_100, '48601234501')], { from: '48601234501' }) });
}

test('a compliance officer filters the history, checks integrity, resolves a review item and exports a proof', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Olga Officer', role: 'compliance_officer' }]);
  await seedLedger(app, session);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Olga Officer');
  await page.getByTestId('nav-history').click();

  await expect(page.getByTestId('history-total')).toHaveText('7 events');
  await expect(page.getByTestId('history-chart')).toBeVisible();
  await page.getByTestId('history-filter-status').selectOption('unsubscribed');
  await expect(page.getByTestId('history-total')).toHaveText('2 events');
  await page.getByTestId('history-filter-status').selectOption('');
  await page.getByTestId('history-filter-search').fill('resubscribe');
  await expect(page.getByTestId('history-total')).toHaveText('2 events');
  await page.getByTestId('history-filter-search').fill('');
  await expect(page.getByTestId('history-row')).toHaveCount(7);
  await screenshot(page, 'history-events');

  await page.getByTestId('history-tab-integrity').click();
  await page.getByTestId('integrity-run').click();
  await expect(page.getByTestId('integrity-verdict')).toContainText('Intact: 7 events from 1 device');
  await screenshot(page, 'history-integrity');

  await page.getByTestId('history-tab-review').click();
  const item = page.getByTestId('review-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('review-message')).toHaveText('please stop messaging me');
  await screenshot(page, 'history-review');
  await item.getByTestId('review-reason').fill('Plain request to stop');
  await item.getByTestId('review-confirm-stop').click();
  await expect(page.getByTestId('review-empty')).toBeVisible();
  await page.getByTestId('review-state').selectOption('resolved');
  await expect(page.getByTestId('review-resolution')).toContainText('Opt-out confirmed');

  await page.getByTestId('history-tab-events').click();
  await page.getByTestId('history-filter-source').selectOption('review');
  await expect(page.getByTestId('history-total')).toHaveText('1 event');
  await expect(page.getByTestId('history-row')).toContainText('Olga Officer');
  await page.getByTestId('history-filter-contact').first().click();
  const download = page.waitForEvent('download');
  await page.getByTestId('proof-pdf').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^consent-proof-Jan-Kowalski-[0-9a-f]{12}\.pdf$/);
  const path = await file.path();
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
  await page.getByTestId('history-filter-source').selectOption('');
  await expect(page.getByTestId('history-total')).toHaveText('4 events');
  await screenshot(page, 'history-contact-proof');

  await page.getByTestId('history-tab-audit').click();
  await expect(page.getByTestId('audit-row').first()).toContainText('Consent proof exported (PDF)');
  await screenshot(page, 'history-audit');

  // The CSV export for Excel in Polish: semicolons, UTF-8 with BOM.
  await page.getByTestId('history-tab-events').click();
  await expect(page.getByTestId('history-total')).toHaveText('4 events');
  await page.getByTestId('history-export-semicolon').check();
  await screenshot(page, 'history-export-semicolon');
  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8');
  expect(csv.startsWith('\uFEFFoccurredAt;recordedAt;contactId;')).toBe(true);
  expect(csv.trim().split('\r\n')).toHaveLength(5);
});

test('the integrity check in the UI names an event altered behind the app', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  await seedLedger(app, session);
  const docs = await app.services.db.consent_events.find({ sort: [{ seq: 'asc' }] }).exec();
  const victim = docs[1]?.toMutableJSON(true);
  if (!victim) throw new Error('no event');
  await app.services.db.consent_events.storageInstance.bulkWrite(
    [{ previous: victim, document: { ...victim, explanation: 'quietly rewritten', _rev: `9-${victim._rev.split('-')[1] ?? 'x'}`, _meta: { lwt: Date.now() } } }],
    'tamper',
  );
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-tab-integrity').click();
  await page.getByTestId('integrity-run').click();
  await expect(page.getByTestId('integrity-verdict')).toContainText('Problems found');
  await expect(page.getByTestId('integrity-issue').first()).toContainText(victim.id);
  await expect(page.getByTestId('integrity-count-altered')).toContainText('1');
  await screenshot(page, 'history-integrity-tampered');
});

import { ProfilePickerPage } from './pages/app-pages';
import { expect, screenshot, test } from './harness';
import { callAs, seedUsers } from './seed';

const CSV = [
  'Imię i nazwisko;Telefon;E-mail;Marketing;Podstawa prawna',
  'Anna Nowak;601 234 567;anna@example.pl;tak;zgoda',
  'Piotr Zieliński;12;;tak;zgoda',
  'Maria Wiśniewska;602 345 678;;może;zgoda',
  'Stop Sender;603 456 789;;tak;zgoda',
  'Jan Kowalski;604 567 890;;nie;',
].join('\r\n');

test('the CSV wizard: detects the file, maps columns, reports bad rows, confirms an own opt-out, applies, and a re-import changes nothing', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const type = await callAs(app, session, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
  const stop = await callAs(app, session, 'contacts:create', { name: 'Stop Sender', phoneInput: '603 456 789' });
  await app.services.ledger.append([{ contactId: stop.id, typeId: type.id, status: 'unsubscribed', source: 'keyword', legalBasis: '', explanation: 'STOP', actor: { kind: 'contact', id: stop.id, name: 'Stop Sender' }, evidence: { messageId: 'm1' } }]);

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-import').click();
  const file = { name: 'kontakty.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') };
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-mapping')).toBeVisible();
  await expect(page.getByTestId('import-delimiter')).toHaveValue(';');
  await expect(page.getByTestId('import-map-1')).toHaveValue('phone');
  await expect(page.getByTestId('import-map-3')).toHaveValue(`status:${type.id}`);
  await screenshot(page, 'import-01-mapping');

  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-report')).toBeVisible();
  await expect(page.getByTestId('import-report-invalid')).toHaveText('2 rows have problems and will be skipped');
  await expect(page.getByTestId('import-issues')).toContainText('Not a valid phone number');
  await expect(page.getByTestId('import-issues')).toContainText('Unknown status');
  await expect(page.getByTestId('import-needs-confirmation')).toContainText('row 5: Stop Sender');
  await page.getByTestId('import-confirm-own-opt-out').check();
  await screenshot(page, 'import-02-report');

  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-summary')).toBeVisible();
  await expect(page.getByTestId('import-summary-created')).toHaveText('2 contacts created');
  await expect(page.getByTestId('import-summary-events')).toHaveText('3 consent changes recorded');
  expect((await app.services.ledger.state(stop.id, type.id))?.status).toBe('subscribed');
  await screenshot(page, 'import-03-done');

  // The same file again: the mapping is remembered and nothing changes.
  await page.getByTestId('import-again').click();
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-remembered')).toBeVisible();
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-report-changes')).toHaveText('0 consent changes');
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-summary-events')).toHaveText('0 consent changes recorded');
});

test('a file that is not CSV gets a clear message', async ({ openPage, app }) => {
  await seedUsers(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'scan.csv', mimeType: 'text/csv', buffer: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj', 'latin1') });
  await expect(page.getByTestId('import-error')).toContainText('This is a PDF document, not a CSV file');
  await screenshot(page, 'import-04-not-csv');
});

test('the rows to fix: downloaded from the report and from the summary, fixed in the file and imported again', async ({ openPage, app }) => {
  const { readFileSync } = await import('node:fs');
  const { session } = await seedUsers(app);
  await callAs(app, session, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'kontakty.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-report-invalid')).toHaveText('2 rows have problems and will be skipped');

  const fromReport = page.waitForEvent('download');
  await page.getByTestId('import-rows-to-fix').click();
  const reportFile = await fromReport;
  expect(reportFile.suggestedFilename()).toBe('kontakty-rows-to-fix.csv');
  const rows = readFileSync(await reportFile.path(), 'utf8');
  expect(rows.split('\r\n').filter(Boolean)).toEqual([
    '\uFEFFImię i nazwisko;Telefon;E-mail;Marketing;Podstawa prawna;import_row;import_problems',
    'Piotr Zieliński;12;;tak;zgoda;3;Telefon: Not a valid phone number (12)',
    'Maria Wiśniewska;602 345 678;;może;zgoda;4;Marketing: Unknown status (use subscribed / unsubscribed, yes / no, tak / nie) (może)',
  ]);
  await screenshot(page, 'import-05-rows-to-fix-report');

  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-summary-created')).toHaveText('3 contacts created');
  const fromSummary = page.waitForEvent('download');
  await page.getByTestId('import-rows-to-fix').click();
  expect(readFileSync(await (await fromSummary).path(), 'utf8')).toBe(rows);
  await screenshot(page, 'import-06-rows-to-fix-done');

  // Fixed in the file; its two added columns are left out of the mapping.
  const fixed = rows.replace(';12;', ';605 678 901;').replace(';może;', ';tak;');
  await page.getByTestId('import-again').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'kontakty-rows-to-fix.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed, 'utf8') });
  await expect(page.getByTestId('import-map-5')).toHaveValue('ignore');
  await expect(page.getByTestId('import-map-6')).toHaveValue('ignore');
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-report-invalid')).toHaveText('0 rows have problems and will be skipped');
  await expect(page.getByTestId('import-rows-to-fix')).toHaveCount(0);
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-summary-created')).toHaveText('2 contacts created');
  expect(app.services.directory.findByWaNumber('+48602345678')?.name).toBe('Maria Wiśniewska');
});

test('a wrong import is undone from its summary by compensating events, and the list of recent imports says so', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const type = await callAs(app, session, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'zly-plik.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('import-summary-events')).toHaveText('3 consent changes recorded');
  const eventsBefore = await app.services.db.consent_events.count().exec();

  await page.getByTestId('import-undo').click();
  await expect(page.getByTestId('import-undo-confirm')).toContainText('Restore every status this import changed?');
  await screenshot(page, 'import-07-undo-confirm');
  await page.getByTestId('import-undo-yes').click();
  await expect(page.getByTestId('import-undo-result')).toHaveText('Statuses restored: 3. Left as they are because they changed again after the import: 0.');
  const anna = app.services.directory.findByWaNumber('+48601234567');
  expect((await app.services.ledger.state(anna?.id ?? '', type.id))?.status).toBe('not_specified');
  expect(anna?.name).toBe('Anna Nowak');
  expect(await app.services.db.consent_events.count().exec()).toBe(eventsBefore + 3);

  await page.getByTestId('import-again').click();
  await expect(page.getByTestId('import-recent-row')).toHaveCount(1);
  await expect(page.getByTestId('import-undone')).toContainText('by Ada Admin (statuses restored: 3)');
  await expect(page.getByTestId('import-undo')).toHaveCount(0);
  await screenshot(page, 'import-08-recent-undone');
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenedApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// History → Events → "Export to a file": the current filters, CSV or JSON lines, written where
// main's chooser (the save dialog in the desktop app) says, with progress, stop, and a message.
// The chooser here answers with a temp path, and can be held open to stop an export mid-way.
const folder = mkdtempSync(join(tmpdir(), 'consent-desk-e2e-export-'));
let answer = join(folder, 'history.jsonl');
let hold: Promise<void> | null = null;
test.use({
  appOptions: {
    chooseExportPath: async () => {
      await hold;
      return answer;
    },
  },
});

async function seedLedger(app: OpenedApp, session: Session) {
  const type = await callAs(app, session, 'types:create', { name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '106540352242922', businessName: 'Sklep' });
  for (const [i, name] of ['Zofia Żak', 'Jan Kowalski', 'Anna Nowak'].entries()) {
    const c = await callAs(app, session, 'contacts:create', { name, phoneInput: `+48 601 234 50${i}` });
    let basedOn = '';
    for (const action of i === 2 ? (['subscribe'] as const) : (['subscribe', 'unsubscribe', 'resubscribe'] as const)) {
      basedOn = (await callAs(app, session, 'consent:change', { contactId: c.id, typeId: type.id, action, legalBasis: 'consent_with_notice', explanation: `${action} at the Poznań fair`, basedOn })).id;
    }
  }
}

test('an officer exports the filtered history to a file, and stops an export', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Olga Officer', role: 'compliance_officer' }]);
  await seedLedger(app, session);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Olga Officer');
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-filter-status').selectOption('unsubscribed');
  await expect(page.getByTestId('history-total')).toHaveText('2 events');

  const box = page.getByTestId('history-file-export');
  await box.getByTestId('history-file-format-jsonl').check();
  await box.getByTestId('history-file-export-start').click();
  await expect(box.getByTestId('history-file-export-done')).toHaveText('Saved 2 events to history.jsonl.');
  const lines = readFileSync(answer, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: string; contactName: string });
  expect(lines.map((l) => l.status)).toEqual(['unsubscribed', 'unsubscribed']);
  expect(lines.map((l) => l.contactName).sort()).toEqual(['Jan Kowalski', 'Zofia Żak']);
  await box.scrollIntoViewIfNeeded();
  await screenshot(page, 'history-file-export-done');

  // Stopped while main waits for the save dialog: nothing is written.
  await page.getByTestId('history-filter-status').selectOption('');
  await expect(page.getByTestId('history-total')).toHaveText('7 events');
  let release = () => {};
  hold = new Promise<void>((resolve) => (release = resolve));
  answer = join(folder, 'stopped.csv');
  await box.getByTestId('history-file-format-csv').check();
  await box.getByTestId('history-file-export-start').click();
  await expect(box.getByTestId('history-file-export-progress')).toBeVisible();
  await screenshot(page, 'history-file-export-running');
  await box.getByTestId('history-file-export-cancel').click();
  release();
  await expect(box.getByTestId('history-file-export-cancelled')).toHaveText('Export stopped; no file was saved.');
  expect(() => readFileSync(answer)).toThrow();
  hold = null;

  // The whole history as CSV.
  await box.getByTestId('history-file-export-start').click();
  await expect(box.getByTestId('history-file-export-done')).toHaveText('Saved 7 events to stopped.csv.');
  expect(readFileSync(answer, 'utf8').trim().split('\r\n')).toHaveLength(8);
  await screenshot(page, 'history-file-export-csv');
});

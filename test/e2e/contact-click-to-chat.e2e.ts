import { ProfilePickerPage } from './pages/app-pages';
import { ContactRecordPage } from './pages/ui-pages';
import { ingestText, seedTypes } from './pages/ui-seed';
import { expect, screenshot, test } from './harness';
import { callAs, seedUsers } from './seed';

// Click-to-chat on the contact record (SPEC 4): the agent shows the contact the opt-in QR
// for a type they are not subscribed to, and the contact's own message subscribes them.
test('the contact record shows the opt-in QR for a marketing type, and the contact opts in with their own message', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Filip Field', role: 'field_agent' }]);
  const { marketing, service } = await seedTypes(app, session);
  const contact = await callAs(app, session, 'contacts:create', { name: 'Jan Kowalski', phoneInput: '+48 601 234 567' });

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Filip Field');
  const record = new ContactRecordPage(page);
  await record.open(contact.id);
  // Only where the contact's own message would help: the marketing type, not the transactional one.
  const show = page.getByRole('button', { name: 'Show the opt-in QR code for WhatsApp marketing' });
  await expect(show).toHaveText('Show opt-in QR');
  await expect(show).toHaveAttribute('data-testid', `opt-in-qr-${marketing.id}`);
  await expect(page.getByTestId(`opt-in-qr-${service.id}`)).toHaveCount(0);
  await screenshot(page, 'contact-ctc-01-panel');

  // Keyboard: focus the button and open it with Enter.
  await show.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Opt-in QR · WhatsApp marketing' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('ctc-link')).toHaveValue('https://wa.me/48221234567?text=START');
  await expect(dialog.getByTestId('ctc-disclosure-large')).toHaveText(
    'By sending START you agree to receive marketing messages from Sklep Kowalski on WhatsApp. Reply STOP at any time.',
  );
  await expect(dialog.getByTestId('ctc-destination')).toHaveText('The message goes to Sklep Kowalski at +48 22 123 45 67.');
  await expect(dialog.getByTestId('opt-in-qr-from')).toContainText('+48 601 234 567');
  const qr = dialog.getByRole('img', { name: 'QR code: send the opt-in keyword to Sklep Kowalski on WhatsApp' });
  await expect(qr).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  await expect(qr).toBeInViewport();
  await screenshot(page, 'contact-ctc-02-qr-dialog');

  // The same choices as Collect opt-in: a Spanish keyword is answered by the Spanish opt-out word.
  await dialog.getByTestId('ctc-keyword').selectOption({ label: 'EMPEZAR (Spanish)' });
  await expect(dialog.getByTestId('ctc-link')).toHaveValue('https://wa.me/48221234567?text=EMPEZAR');
  await expect(dialog.getByTestId('ctc-disclosure-large')).toContainText('By sending EMPEZAR');
  await expect(dialog.getByTestId('ctc-disclosure-large')).toContainText('Reply ALTO at any time.');
  await expect(dialog.getByTestId('ctc-save-png')).toHaveAttribute('download', 'whatsapp-opt-in-sklep-kowalski-empezar.png');
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  // What the contact reads is in the disclosure language; the agent's controls stay in the UI's.
  await dialog.getByTestId('ctc-disclosure-language').selectOption('pl');
  await expect(dialog.getByTestId('ctc-destination')).toHaveText('Wiadomość trafi do Sklep Kowalski pod numer +48 22 123 45 67.');
  await expect(dialog.getByTestId('ctc-disclosure-large')).toContainText('Wysyłając EMPEZAR');
  await dialog.getByTestId('ctc-disclosure-language').selectOption('en');

  // The contact sends the keyword from their phone: the open dialog sees it arrive.
  const report = await ingestText(app, session, 'EMPEZAR');
  expect(report.counts.opted_in).toBe(1);
  await expect(dialog.getByTestId('opt-in-qr-subscribed')).toHaveText('Done: Jan Kowalski is now subscribed to WhatsApp marketing.');
  await screenshot(page, 'contact-ctc-03-subscribed');
  await dialog.getByRole('button', { name: 'Close' }).and(dialog.getByTestId('opt-in-qr-done')).click();
  await expect(dialog).toBeHidden();
  await expect(record.status(marketing.id)).toContainText('Subscribed');
  await expect(page.getByTestId(`opt-in-qr-${marketing.id}`)).toHaveCount(0);
  // The opener is gone; focus stays in the row rather than falling to the page.
  await expect(record.action(marketing.id)).toBeFocused();
  await screenshot(page, 'contact-ctc-04-after');
});

test('without a valid number the QR warns where the opt-in would land; a compliance officer is not offered it', async ({ openPage, app }) => {
  const { session } = await seedUsers(app, [{ name: 'Cora Compliance', role: 'compliance_officer' }]);
  const { marketing } = await seedTypes(app, session);
  const contact = await callAs(app, session, 'contacts:create', { name: 'Anna Nowak', phoneInput: '' });

  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('language-switch').selectOption('pl');
  const record = new ContactRecordPage(page);
  await record.open(contact.id);
  // Subscribing by hand is blocked without a number; the QR is still offered.
  await expect(record.action(marketing.id)).toBeDisabled();
  await expect(page.getByTestId('subscribe-blocked')).toBeVisible();
  await screenshot(page, 'contact-ctc-05-panel-no-number-pl');
  await page.getByRole('button', { name: 'Pokaż kod QR zapisu do WhatsApp marketing' }).click();
  const dialog = page.getByRole('dialog', { name: 'Kod QR zapisu · WhatsApp marketing' });
  await expect(dialog.getByTestId('opt-in-qr-no-number')).toContainText('nie ma tu poprawnego numeru WhatsApp');
  await expect(dialog.getByTestId('ctc-destination')).toHaveText('Wiadomość trafi do Sklep Kowalski pod numer +48 22 123 45 67.');
  await expect(dialog.getByTestId('ctc-link')).toHaveValue('https://wa.me/48221234567?text=START');
  await expect(dialog.getByTestId('ctc-disclosure-large')).toContainText('Wysyłając START, zgadzasz się');
  await expect.poll(() => dialog.getByTestId('ctc-qr-large').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  await screenshot(page, 'contact-ctc-06-no-number-pl');
  await dialog.getByRole('button', { name: 'Zamknij' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`opt-in-qr-${marketing.id}`)).toBeFocused();

  await page.getByTestId('language-switch').selectOption('en');
  await page.getByTestId('sign-out').click();
  await new ProfilePickerPage(page).pick('Cora Compliance');
  await record.open(contact.id);
  await expect(record.status(marketing.id)).toContainText('Not specified');
  await expect(page.getByTestId(`opt-in-qr-${marketing.id}`)).toHaveCount(0);
});

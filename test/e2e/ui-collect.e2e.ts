import { ProfilePickerPage } from './pages/app-pages';
import { seedTypes } from './pages/ui-seed';
import { expect, screenshot, test } from './harness';
import { seedUsers } from './seed';

test('click-to-chat: the wa.me link with the chosen keyword, a QR code full screen, and PNG/SVG downloads', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  await seedTypes(app, session);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-collect').click();
  await expect(page.getByTestId('ctc-link')).toHaveValue('https://wa.me/48221234567?text=START');
  await expect(page.getByTestId('ctc-disclosure')).toHaveText(
    'By sending START you agree to receive marketing messages from Sklep Kowalski on WhatsApp. Reply STOP at any time.',
  );
  const qr = page.getByTestId('ctc-qr');
  await expect(qr).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  await screenshot(page, 'ui-collect-01-click-to-chat');

  await page.getByTestId('ctc-keyword').selectOption({ label: 'EMPEZAR (Spanish)' });
  await expect(page.getByTestId('ctc-link')).toHaveValue('https://wa.me/48221234567?text=EMPEZAR');
  await page.getByTestId('ctc-disclosure-language').selectOption('pl');
  await expect(page.getByTestId('ctc-disclosure')).toContainText('Wysyłając EMPEZAR, zgadzasz się na otrzymywanie wiadomości marketingowych od Sklep Kowalski');

  const download = page.waitForEvent('download');
  await page.getByTestId('ctc-save-svg').click();
  const svg = await download;
  expect(svg.suggestedFilename()).toBe('whatsapp-opt-in-sklep-kowalski-empezar.svg');
  await expect(page.getByTestId('ctc-save-png')).toHaveAttribute('download', 'whatsapp-opt-in-sklep-kowalski-empezar.png');

  await page.getByTestId('ctc-fullscreen').click();
  await expect(page.getByRole('dialog', { name: 'Sklep Kowalski' })).toBeVisible();
  await expect(page.getByTestId('ctc-qr-large')).toBeVisible();
  await screenshot(page, 'ui-collect-02-qr-full-screen');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('ctc-fullscreen-dialog')).toBeHidden();
  await expect(page.getByTestId('ctc-fullscreen')).toBeFocused();
});

test('keyword tester answers live as you type, for the chosen number', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  await seedTypes(app, session);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-collect').click();
  await page.getByTestId('tester-type').selectOption({ label: 'WhatsApp marketing' });
  const message = page.getByTestId('tester-message');
  await message.pressSequentially('Stop');
  await expect(page.getByTestId('tester-verdict')).toHaveText('Opt-out keyword "STOP" (English)');
  await expect(page.getByTestId('tester-result')).toContainText('unsubscribe the sender from every type of the number of "WhatsApp marketing"');
  await message.pressSequentially(' it');
  await expect(page.getByTestId('tester-verdict')).toHaveText('Not a keyword, but it looks like a request to stop');
  await message.fill('🛑 *STOP*!');
  await expect(page.getByTestId('tester-verdict')).toHaveText('Opt-out keyword "STOP" (English)');
  await message.fill('Can I start now?');
  await expect(page.getByTestId('tester-verdict')).toHaveText('Not a keyword');
  await expect(page.getByTestId('tester-why')).toHaveText('The message has more than one word; a keyword must stand alone.');
  await message.fill('please stop messaging me');
  await expect(page.getByTestId('tester-verdict')).toHaveText('Not a keyword, but it looks like a request to stop');
  await expect(page.getByTestId('tester-result')).toContainText('review queue');
  await message.fill('ｓｔａｒｔ');
  await expect(page.getByTestId('tester-verdict')).toHaveText('Opt-in keyword "START" (English)');
  await screenshot(page, 'ui-collect-03-keyword-tester');
});

test('without a marketing number, collect opt-in says where to add one', async ({ openPage, app }) => {
  await seedUsers(app);
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-collect').click();
  await expect(page.getByTestId('collect-no-numbers')).toContainText('Settings → Business numbers');
});

import QRCode from 'qrcode';
import { PAIRING_QR_OPTIONS } from '../../src/renderer/src/pages/settings/pairing-qr-options';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { callAs, seedUsers } from './seed';

// Settings → Devices shows the pairing code beside a QR code that holds exactly that code,
// drawn in the window (no network), in English and Polish.
test('the pairing code is shown as a QR code too', async ({ openPage, app }) => {
  const { session } = await seedUsers(app);
  const mine = await callAs(app, session, 'devices:status', {});
  const page = await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-devices').click();
  await expect(page.getByTestId('pairing-code')).toHaveText(mine.pairingCode);

  const qr = page.getByTestId('pairing-qr');
  await expect(qr).toBeVisible();
  await expect(qr).toHaveAttribute('alt', `QR code of the pairing code ${mine.pairingCode}`);
  // The image is the pairing code's own QR code: every module read back from the drawn pixels
  // matches the code's QR matrix as computed here.
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  const { size, data } = QRCode.create(mine.pairingCode, { errorCorrectionLevel: PAIRING_QR_OPTIONS.errorCorrectionLevel }).modules;
  const drawn = await qr.evaluate(
    (img: HTMLImageElement, o: { size: number; margin: number }) => {
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
      const ctx = canvas.getContext('2d');
      if (!ctx || !img.complete) return null;
      ctx.drawImage(img, 0, 0);
      const unit = img.naturalWidth / (o.size + 2 * o.margin);
      const dark: number[] = [];
      for (let r = 0; r < o.size; r++) {
        for (let c = 0; c < o.size; c++) {
          const [red = 255] = ctx.getImageData(Math.floor((o.margin + c + 0.5) * unit), Math.floor((o.margin + r + 0.5) * unit), 1, 1).data;
          dark.push(red < 128 ? 1 : 0);
        }
      }
      return { width: img.naturalWidth, height: img.naturalHeight, dark };
    },
    { size, margin: PAIRING_QR_OPTIONS.margin },
  );
  expect(drawn?.width).toBe(PAIRING_QR_OPTIONS.width);
  expect(drawn?.height).toBe(PAIRING_QR_OPTIONS.width);
  expect(drawn?.dark).toEqual(Array.from(data, (m) => (m ? 1 : 0)));
  await screenshot(page, 'devices-04-pairing-qr');

  await page.getByTestId('language-switch').selectOption('pl');
  await expect(qr).toHaveAttribute('alt', `Kod QR z kodem parowania ${mine.pairingCode}`);
  await expect(page.getByTestId('pairing-qr-figure')).toContainText('zeskanuj go telefonem');
  await screenshot(page, 'devices-05-pairing-qr-pl');
  await page.getByTestId('language-switch').selectOption('en');
});

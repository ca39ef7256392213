import { TEST_PIN, TEST_SECRET } from '../helpers/test-secret';
import { ProfilePickerPage } from './pages/app-pages';
import { SettingsPage } from './pages/ui-pages';
import { expect, screenshot, test } from './harness';
import { seedUsers } from './seed';

// The idle lock's clock in main is this test's; the page's timers run on Playwright's clock,
// so neither the lock nor its discovery waits for real time.
let idleNow = 1_000_000;
test.use({ appOptions: { idleClock: () => idleNow } });

test('idle lock: the lock screen covers an open dialog, a wrong secret is refused, unlocking keeps the typed input', async ({ openPage, app, page }) => {
  await seedUsers(app, [{ name: 'Filip Field', role: 'field_agent', secret: TEST_PIN }]);
  await page.clock.install();
  await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await new SettingsPage(page).open('users');
  await page.getByTestId('user-set-secret-Filip Field').click();
  await page.getByTestId('set-secret-new').fill('half typed passphrase');

  idleNow += 11 * 60_000;
  await page.clock.fastForward('00:30');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await screenshot(page, 'access-05-locked');

  await page.getByTestId('unlock-secret').fill('wrong passphrase!');
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('unlock-error')).toHaveText('Wrong PIN or passphrase.');
  await page.getByTestId('unlock-secret').fill(TEST_SECRET);
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  await expect(page.getByTestId('set-secret-dialog')).toBeVisible();
  await expect(page.getByTestId('set-secret-new')).toHaveValue('half typed passphrase');
  await screenshot(page, 'access-06-unlocked-dialog-kept');
});

test('lock now from the top bar, and unlock', async ({ openPage, app, page }) => {
  await seedUsers(app);
  await openPage();
  await new ProfilePickerPage(page).pick('Ada Admin');
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('lock-screen')).toContainText('Ada Admin');
  await page.getByTestId('unlock-secret').fill(TEST_SECRET);
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  await expect(page.getByTestId('active-user')).toContainText('Ada Admin');
});

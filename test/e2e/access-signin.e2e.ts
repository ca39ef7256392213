import { TEST_PIN, TEST_SECRET } from '../helpers/test-secret';
import { ProfilePickerPage } from './pages/app-pages';
import { expect, screenshot, test } from './harness';
import { seedUsers } from './seed';

test('first start: the administrator is created with a passphrase, typed twice', async ({ openPage, app }) => {
  const page = await openPage();
  await page.getByTestId('first-user-name').fill('Ada Admin');
  await page.getByTestId('first-user-secret').fill('123456');
  await page.getByTestId('first-user-secret-confirm').fill('123456');
  await page.getByTestId('first-user-create').click();
  await expect(page.getByTestId('first-user-error')).toContainText('passphrase');
  await page.getByTestId('first-user-secret').fill(TEST_SECRET);
  await page.getByTestId('first-user-secret-confirm').fill(`${TEST_SECRET}x`);
  await page.getByTestId('first-user-create').click();
  await expect(page.getByTestId('first-user-error')).toHaveText('The two entries differ.');
  expect(await app.services.users.list()).toEqual([]);
  await screenshot(page, 'access-01-first-admin');
  await new ProfilePickerPage(page).createFirstAdmin('Ada Admin');
});

test('sign-in: a wrong secret is refused with a message, then the wait; the right one gets in', async ({ openPage, app }) => {
  await seedUsers(app, [{ name: 'Filip Field', role: 'field_agent', secret: TEST_PIN }]);
  const page = await openPage();
  const picker = new ProfilePickerPage(page);
  await picker.tryPick('Filip Field', '000000');
  await expect(page.getByTestId('signin-error')).toHaveText('Wrong PIN or passphrase.');
  await expect(page.getByTestId('active-user')).toHaveCount(0);
  await screenshot(page, 'access-02-wrong-secret');
  for (let i = 0; i < 4; i++) {
    await page.getByTestId('signin-secret').fill('000000');
    await page.getByTestId('signin-submit').click();
    await expect(page.getByTestId('signin-submit')).toBeEnabled();
  }
  await expect(page.getByTestId('signin-error')).toContainText('Too many wrong attempts: try again in 30 seconds.');
  await screenshot(page, 'access-03-backoff');
  // Another profile is not held up by Filip's wait.
  await picker.pick('Ada Admin');
  await expect(page.getByTestId('active-user')).toContainText('Ada Admin');
});

test('sign-in with the right PIN as a field agent', async ({ openPage, app }) => {
  await seedUsers(app, [{ name: 'Filip Field', role: 'field_agent', secret: TEST_PIN }]);
  const page = await openPage();
  await page.getByTestId('profile-Filip Field').click();
  await screenshot(page, 'access-04-secret-step');
  await new ProfilePickerPage(page).pick('Filip Field', TEST_PIN);
});

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './harness';
import { ProfilePickerPage } from './pages/app-pages';
import { seedTour } from './pages/screens-seed';

// Every page and dialog at the two window sizes a desk user has, in both languages: a
// screenshot to look at, and axe-core on each with no serious or critical violation allowed.
const SIZES = [
  { name: '1280', width: 1280, height: 800 },
  { name: '900', width: 900, height: 700 },
] as const;
const LANGUAGES = ['en', 'pl'] as const;

// axe takes seconds per screen, up to half a minute on a busy shared machine: 21 screens need far
// more than the default minute.
test.describe.configure({ timeout: 900_000 });

async function checkScreen(page: Page, name: string) {
  await screenshot(page, name);
  const result = await new AxeBuilder({ page }).analyze();
  const severe = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  expect.soft(severe, `axe on ${name}`).toEqual([]);
}

// Below 1000 px the menu is folded away: open it first, as a user would.
async function nav(page: Page, to: string) {
  const toggle = page.getByTestId('menu-toggle');
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  await page.getByTestId(`nav-${to}`).click();
}

for (const lang of LANGUAGES) {
  for (const size of SIZES) {
    test(`every screen at ${size.name} px in ${lang}: screenshot and axe`, async ({ openPage, app, page }) => {
      const seed = await seedTour(app);
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.addInitScript((l) => localStorage.setItem('consent-desk.language', l), lang);
      await openPage();
      const shot = (screen: string) => checkScreen(page, `screens-${lang}-${size.name}-${screen}`);
      await expect(page.getByTestId('profile-Ada Admin')).toBeVisible();
      await shot('01-profile-picker');
      await new ProfilePickerPage(page).pick('Ada Admin');

      await expect(page.getByTestId('contact-row-link')).toHaveCount(5);
      await shot('02-contacts');

      await page.getByTestId('contact-row-link').filter({ hasText: 'Jan Wójcik' }).click();
      await expect(page.getByTestId('subscriptions-panel')).toBeVisible();
      await shot('03-contact-record');
      await page.getByTestId(`consent-action-${seed.service.id}`).click();
      await expect(page.getByTestId('consent-dialog')).toBeVisible();
      await shot('04-consent-dialog');
      await page.keyboard.press('Escape');
      await page.getByTestId('opt-out-all-toggle').click();
      await expect(page.getByTestId('opt-out-all-explanation')).toBeVisible();
      await shot('05-opt-out-all-dialog');
      await page.keyboard.press('Escape');
      await page.getByTestId('tab-history').click();
      await expect(page.getByTestId('history-tab')).toBeVisible();
      await shot('06-contact-history');

      await page.evaluate((id) => (window.location.hash = `#/contacts/${id}`), seed.contacts.anna.id);
      await expect(page.getByTestId('opt-out-all-state')).toBeVisible();
      await shot('07-contact-opted-out-all');

      await nav(page, 'contacts');
      await page.getByTestId('new-contact').click();
      await expect(page.getByTestId('contact-name')).toBeVisible();
      await shot('08-new-contact');

      await nav(page, 'overview');
      await expect(page.getByTestId('overview-status-table')).toBeVisible();
      await shot('08b-overview');

      await nav(page, 'collect');
      await shot('09-collect');

      await nav(page, 'history');
      await expect(page.getByTestId('history-row').first()).toBeVisible();
      await shot('10-history-events');
      await page.getByTestId('history-tab-integrity').click();
      await page.getByTestId('integrity-run').click();
      await expect(page.getByTestId('integrity-verdict')).toBeVisible();
      await shot('11-history-integrity');
      await page.getByTestId('history-tab-review').click();
      await expect(page.getByTestId('review-item')).toHaveCount(1);
      await shot('12-history-review');
      await page.getByTestId('history-tab-audit').click();
      await expect(page.getByTestId('audit-row').first()).toBeVisible();
      await shot('13-history-audit');

      await nav(page, 'import');
      await shot('14-import');

      await nav(page, 'automation');
      await page.getByTestId('rule-new').click();
      await shot('15-automation-new-rule');

      for (const section of ['general', 'types', 'keywords', 'users', 'sync']) {
        await nav(page, 'settings');
        await page.getByTestId(`settings-${section}`).click();
        await expect(page.getByTestId(`settings-section-${section}`)).toBeVisible();
        await shot(`16-settings-${section}`);
      }
    });
  }
}

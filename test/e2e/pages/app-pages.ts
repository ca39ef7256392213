import { expect, type Page } from '@playwright/test';
import { TEST_SECRET } from '../../helpers/test-secret';

// Page objects: tests speak in user actions, selectors live here.
export class ProfilePickerPage {
  constructor(private readonly page: Page) {}
  async createFirstAdmin(name: string, secret = TEST_SECRET) {
    await this.page.getByTestId('first-user-name').fill(name);
    await this.page.getByTestId('first-user-secret').fill(secret);
    await this.page.getByTestId('first-user-secret-confirm').fill(secret);
    await this.page.getByTestId('first-user-create').click();
    await expect(this.page.getByTestId('active-user')).toContainText(name);
  }
  // Picks the profile and gives its secret (seed.ts gives every profile TEST_SECRET).
  async pick(name: string, secret = TEST_SECRET) {
    await this.tryPick(name, secret);
    await expect(this.page.getByTestId('active-user')).toContainText(name);
  }
  // Picks and submits a secret without expecting to get in (wrong secrets, backoff).
  async tryPick(name: string, secret: string) {
    if (await this.page.getByTestId('signin-form').isVisible()) await this.page.getByTestId('signin-back').click();
    await this.page.getByTestId(`profile-${name}`).click();
    await this.page.getByTestId('signin-secret').fill(secret);
    await this.page.getByTestId('signin-submit').click();
  }
}

export class ContactsPage {
  constructor(private readonly page: Page) {}
  async open() {
    await this.page.getByTestId('nav-contacts').click();
  }
  async createContact(fields: { name: string; phone?: string; email?: string }) {
    await this.page.getByTestId('new-contact').click();
    await this.page.getByTestId('contact-name').fill(fields.name);
    if (fields.phone !== undefined) await this.page.getByTestId('contact-phone').fill(fields.phone);
    if (fields.email !== undefined) await this.page.getByTestId('contact-email').fill(fields.email);
    await this.page.getByTestId('contact-save').click();
    await expect(this.page.getByTestId('contact-title')).toHaveText(fields.name);
  }
  async search(text: string) {
    await this.page.getByTestId('contacts-search').fill(text);
  }
  rows() {
    return this.page.getByTestId('contact-row-link');
  }
}

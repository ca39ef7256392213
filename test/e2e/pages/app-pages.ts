import { expect, type Page } from '@playwright/test';

// Page objects: tests speak in user actions, selectors live here.
export class ProfilePickerPage {
  constructor(private readonly page: Page) {}
  async createFirstAdmin(name: string) {
    await this.page.getByTestId('first-user-name').fill(name);
    await this.page.getByTestId('first-user-create').click();
    await expect(this.page.getByTestId('active-user')).toContainText(name);
  }
  async pick(name: string) {
    await this.page.getByTestId(`profile-${name}`).click();
    await expect(this.page.getByTestId('active-user')).toContainText(name);
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

import { expect, type Locator, type Page } from '@playwright/test';

// Page objects for the contact record, collect opt-in and settings.
export class ContactRecordPage {
  constructor(private readonly page: Page) {}
  async open(id: string) {
    await this.page.evaluate((h) => (window.location.hash = h), `#/contacts/${id}`);
    await expect(this.page.getByTestId('subscriptions-panel')).toBeVisible();
  }
  subscription(typeId: string): Locator {
    return this.page.getByTestId(`subscription-${typeId}`);
  }
  status(typeId: string): Locator {
    return this.subscription(typeId).getByTestId('subscription-status');
  }
  action(typeId: string): Locator {
    return this.page.getByTestId(`consent-action-${typeId}`);
  }
  dialog(): Locator {
    return this.page.getByTestId('consent-dialog');
  }
  async fillDialog(fields: { legalBasis?: string; explanation?: string }) {
    if (fields.legalBasis !== undefined) await this.page.getByTestId('legal-basis').selectOption({ label: fields.legalBasis });
    if (fields.explanation !== undefined) await this.page.getByTestId('explanation').fill(fields.explanation);
  }
  async submitDialog() {
    await this.page.getByTestId('consent-submit').click();
  }
  async openHistory() {
    await this.page.getByTestId('tab-history').click();
    await expect(this.page.getByTestId('history-tab')).toBeVisible();
  }
  historyRows(): Locator {
    return this.page.getByTestId('history-row');
  }
}

export class SettingsPage {
  constructor(private readonly page: Page) {}
  async open(section: string) {
    await this.page.getByTestId('nav-settings').click();
    await this.page.getByTestId(`settings-${section}`).click();
    await expect(this.page.getByTestId(`settings-section-${section}`)).toBeVisible();
  }
  async addType(fields: { name: string; purpose: 'Marketing' | 'Transactional'; number: string; business: string }) {
    const form = this.page.getByTestId('type-create');
    await form.getByTestId('type-name').fill(fields.name);
    await form.getByTestId('type-purpose').selectOption({ label: fields.purpose });
    await form.getByTestId('type-number').fill(fields.number);
    await form.getByTestId('type-business').fill(fields.business);
    await this.page.getByTestId('type-create-submit').click();
  }
}

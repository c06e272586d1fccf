import { expect, type Locator, type Page } from "@playwright/test";

/** /admin/subscriptions and one subscription's page: add a subscriber (secret shown once), send a test event, the delivery log. */
export class SubscriptionsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async goto() {
    await this.page.goto("/admin/subscriptions");
    await expect(this.page.getByTestId("admin-tabs")).toBeVisible();
  }

  /** Adds a subscriber for these event types; returns its id and its secret as shown, once. */
  async create(url: string, eventTypes: string[]): Promise<{ id: number; secret: string }> {
    const form = this.page.getByTestId("create-subscription-form");
    await form.getByLabel(/^Receiver URL/).fill(url);
    for (const box of await form.getByRole("checkbox").all()) {
      const name = (await box.evaluate((el) => el.parentElement?.textContent ?? "")).trim();
      if ((await box.isChecked()) !== eventTypes.some((t) => name.startsWith(t))) await box.click();
    }
    await form.getByRole("button", { name: "Add subscriber" }).click();
    const created = form.getByTestId("created-subscription");
    await expect(created).toBeVisible();
    return { id: Number(await created.getAttribute("data-id")), secret: (await created.getByTestId("new-subscription-secret").textContent())!.trim() };
  }

  row(id: number): Locator {
    return this.page.locator(`[data-testid="subscription-row"][data-id="${id}"]`);
  }

  async open(id: number) {
    await this.row(id).getByRole("link").click();
    await expect(this.page.getByTestId("subscription-details")).toBeVisible();
  }

  async sendTestEvent() {
    await this.page.getByRole("button", { name: "Send test event" }).click();
    await expect(this.page.getByRole("status").filter({ hasText: "Test event queued" })).toBeVisible();
  }

  /** Rotates the secret through its dialog; returns the new one as shown, once. */
  async rotateSecret(): Promise<string> {
    await this.page.getByRole("button", { name: "Rotate secret" }).click();
    await this.page.getByTestId("rotate-secret-dialog").getByRole("button", { name: "Rotate secret" }).click();
    const shown = this.page.getByTestId("new-subscription-secret");
    await expect(shown).toBeVisible();
    return (await shown.textContent())!.trim();
  }

  deliveries(): Locator {
    return this.page.getByTestId("delivery-row");
  }
}

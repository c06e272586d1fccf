import { expect, type Locator, type Page } from "@playwright/test";

/** /admin/webhooks (signing secrets) and /admin/events (incoming events with outcome, raw JSON and replay). */
export class IncomingEventsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  /** Generates a new secret for a source and returns it as shown, once. */
  async createSecret(source: "stripe" | "shopify" | "warehouse"): Promise<string> {
    await this.page.goto("/admin/webhooks");
    const form = this.page.getByTestId(`secret-form-${source}`);
    await form.getByRole("button").click();
    const secret = form.getByTestId("new-secret");
    await expect(secret).toBeVisible();
    return (await secret.textContent())!.trim();
  }

  async goto(query = "") {
    await this.page.goto(`/admin/events${query ? `?${query}` : ""}`);
    await expect(this.page.getByTestId("admin-tabs")).toBeVisible();
  }

  row(eventId: string): Locator {
    return this.page.locator(`[data-testid="event-row"][data-event-id="${eventId}"]`);
  }

  async expandJson(eventId: string): Promise<Locator> {
    const raw = this.row(eventId).getByTestId("raw-payload");
    await raw.locator("summary").click();
    return raw.locator("pre");
  }

  async replay(eventId: string) {
    await this.row(eventId).getByRole("button", { name: "Replay" }).click();
  }
}

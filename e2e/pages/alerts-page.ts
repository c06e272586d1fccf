import { expect, type Locator, type Page } from "@playwright/test";

/** /alerts: live alerts with age and owner, acknowledge with a note, evaluate now; /alerts/metrics. */
export class AlertsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async goto(query = "") {
    await this.page.goto(`/alerts${query ? `?${query}` : ""}`);
    await expect(this.page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  }

  /** Runs the rules now (as the worker does every minute) and waits for the page to show the result. */
  async evaluateNow() {
    await this.page.getByRole("button", { name: "Evaluate now" }).click();
    await expect(this.page.getByTestId("evaluate-summary")).toContainText("open");
  }

  rows(): Locator {
    return this.page.getByTestId("alerts-table").getByTestId("alert-row");
  }

  /** Gives a row's alerts an owner without acknowledging them. */
  async assign(row: Locator, owner: string | RegExp, note?: string) {
    await row.getByRole("button", { name: /^Assign/ }).click();
    const dialog = this.page.getByRole("dialog", { name: "Assign alert" });
    const select = dialog.getByLabel("Owner");
    const value = await select.locator("option").filter({ hasText: owner }).first().getAttribute("value");
    await select.selectOption(value!);
    if (note) await dialog.getByLabel("Note (optional)").fill(note);
    await dialog.getByRole("button", { name: "Assign", exact: true }).click();
    await expect(dialog).toBeHidden();
  }

  async acknowledge(row: Locator, note: string) {
    await row.getByRole("button", { name: /^Acknowledge/ }).click();
    const dialog = this.page.getByRole("dialog", { name: "Acknowledge alert" });
    await dialog.getByLabel("Note (required)").fill(note);
    await dialog.getByRole("button", { name: "Acknowledge", exact: true }).click();
    await expect(dialog).toBeHidden();
  }
}

import { expect, type Locator, type Page } from "@playwright/test";

/** /refunds: the approval queue, filters in the URL, totals, history and the CSV export. */
export class RefundsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async goto(query = "") {
    await this.page.goto(`/refunds${query ? `?${query}` : ""}`);
    await expect(this.page.getByRole("heading", { name: "Refunds", level: 1 })).toBeVisible();
  }

  filters(): Locator {
    return this.page.getByTestId("refund-filters");
  }

  async filter(values: { period?: string; currency?: string; status?: string; min?: string; max?: string; from?: string; to?: string; order?: string }) {
    const f = this.filters();
    if (values.period) await f.getByLabel("Period").selectOption({ label: values.period });
    if (values.currency) await f.getByLabel("Currency").selectOption({ label: values.currency });
    if (values.status) await f.getByLabel("Status").selectOption({ label: values.status });
    if (values.min !== undefined) await f.getByLabel("Min amount").fill(values.min);
    if (values.max !== undefined) await f.getByLabel("Max amount").fill(values.max);
    if (values.from !== undefined) await f.getByLabel("From (custom)").fill(values.from);
    if (values.to !== undefined) await f.getByLabel("To (custom, included)").fill(values.to);
    if (values.order !== undefined) await f.getByLabel("Order number").fill(values.order);
    await f.getByRole("button", { name: "Apply filters" }).click();
  }

  rows(): Locator {
    return this.page.getByTestId("refunds-table").getByTestId("refund-row");
  }

  /** The approval queue's own search, sort and currency (a GET form; the page reloads). */
  async searchQueue(values: { search?: string; sort?: string; currency?: string }) {
    const f = this.page.getByTestId("queue-controls");
    if (values.search !== undefined) await f.getByLabel("Order number or customer").fill(values.search);
    if (values.sort) await f.getByLabel("Sort").selectOption({ label: values.sort });
    if (values.currency) await f.getByLabel("Currency").selectOption({ label: values.currency });
    await f.getByRole("button", { name: "Show" }).click();
    await this.page.waitForURL(/[?&]q(q|sort|currency)=/);
  }

  queue(): Locator {
    return this.page.getByTestId("approval-queue").getByTestId("queued-refund");
  }

  total(currency: string): Locator {
    return this.page.locator(`[data-testid="refund-total"][data-currency="${currency}"]`);
  }

  /** A refused payout's row: its failure reason and finance's "Retry payout". */
  failedRow(orderNumber: string): Locator {
    return this.rows().filter({ hasText: orderNumber });
  }

  async retryPayout(orderNumber: string, reason: string) {
    await this.failedRow(orderNumber).getByRole("button", { name: "Retry payout" }).click();
    const dialog = this.page.getByRole("dialog", { name: /Retry the payout/ });
    await dialog.getByLabel("Reason (required)").fill(reason);
    await dialog.getByRole("button", { name: "Retry payout" }).click();
  }

  exportLink(): Locator {
    return this.page.getByTestId("export-csv");
  }
}

import { expect, type Page } from "@playwright/test";

export class OrderPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async goto(number: string) {
    await this.page.goto(`/orders/${number}`);
    await expect(this.page.getByTestId("order-number")).toHaveText(number);
  }

  timelineEntries() {
    return this.page.getByTestId("order-timeline").getByTestId("timeline-entry");
  }

  status() {
    return this.page.getByTestId("order-status");
  }

  /** One shipment's card, by its number (#id). */
  shipment(id: number) {
    return this.page.getByTestId("shipment").filter({ has: this.page.getByText(`#${id}`, { exact: true }) });
  }
}

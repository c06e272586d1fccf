import { expect, type Page } from "@playwright/test";

/** /shipments: the warehouse queue with location, ship-by and status filters in the URL. */
export class ShipmentsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  heading() {
    return this.page.getByRole("heading", { name: "Shipments", level: 1 });
  }

  rows() {
    return this.page.getByTestId("shipments-queue").getByTestId("shipment-row");
  }

  dueFilter(label: string) {
    return this.page.getByTestId("due-filter").getByRole("link", { name: label, exact: true });
  }

  async expectLoaded() {
    await expect(this.heading()).toBeVisible();
  }
}

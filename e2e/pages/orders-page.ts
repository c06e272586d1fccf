import { expect, type Page } from "@playwright/test";

export class OrdersPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async goto(query = "") {
    await this.page.goto(`/orders${query}`);
    await expect(this.page.getByRole("heading", { name: "Orders", level: 1 })).toBeVisible();
  }

  rows() {
    return this.page.getByTestId("order-row");
  }

  async filterBy(statusLabel: string) {
    await this.page.getByTestId("status-filter").getByRole("link", { name: new RegExp(`^${statusLabel}\\b`) }).click();
  }

  async openOrder(number: string) {
    await this.page.getByRole("link", { name: number, exact: true }).click();
    await expect(this.page.getByTestId("order-number")).toHaveText(number);
  }

  navLinks() {
    return this.page.getByTestId("main-nav").getByRole("link");
  }
}

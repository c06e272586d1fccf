import { expect, type Locator, type Page } from "@playwright/test";

/** /orders/preview: a cart and an address in, predicted shipments out. */
export class PreviewPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async goto() {
    await this.page.goto("/orders/preview");
    await expect(this.page.getByRole("heading", { name: "Routing preview", level: 1 })).toBeVisible();
  }

  async preview(p: { sku: string; qty: number; country: string; city?: string; postcode?: string }) {
    const form = this.page.getByTestId("preview-form");
    await form.getByLabel("SKU of line 1").fill(p.sku);
    await form.getByLabel("Quantity of line 1").fill(String(p.qty));
    await form.getByLabel("Country").fill(p.country);
    await form.getByLabel("City (optional)").fill(p.city ?? "");
    await form.getByLabel("Postcode (optional)").fill(p.postcode ?? "");
    await form.getByRole("button", { name: "Preview routing" }).click();
  }

  shipTo(): Locator {
    return this.page.getByTestId("preview-result").getByTestId("preview-ship-to");
  }

  warnings(): Locator {
    return this.page.getByTestId("preview-result").getByTestId("preview-warning");
  }
}

import { expect, type Locator, type Page } from "@playwright/test";

/** /admin/api-keys: create a key (shown once), the list, revoke. */
export class ApiKeysPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async goto() {
    await this.page.goto("/admin/api-keys");
    await expect(this.page.getByTestId("admin-tabs")).toBeVisible();
  }

  /** Creates a key with these scopes and returns it as shown, once. */
  async create(name: string, scopes: string[]): Promise<string> {
    const form = this.page.getByTestId("create-api-key-form");
    await form.getByLabel("Name (who uses it)").fill(name);
    for (const scope of ["orders:read", "orders:write", "orders:cancel"]) {
      const box = form.getByRole("checkbox", { name: new RegExp(`^${scope}`) });
      if ((await box.isChecked()) !== scopes.includes(scope)) await box.click();
    }
    await form.getByRole("button", { name: "Create key" }).click();
    const key = form.getByTestId("new-api-key");
    await expect(key).toBeVisible();
    return (await key.textContent())!.trim();
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="api-key-row"][data-name="${name}"]`);
  }

  async revoke(name: string) {
    await this.row(name).getByRole("button", { name: "Revoke" }).click();
    const dialog = this.page.getByTestId("revoke-api-key-dialog");
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(this.row(name).getByTestId("api-key-state")).toContainText("Revoked");
  }
}

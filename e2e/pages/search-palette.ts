import { expect, type Page } from "@playwright/test";

/** The Ctrl/Cmd-K order search palette, on every ops page. */
export class SearchPalette {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async openWithKeyboard() {
    // A key pressed before hydration attaches the shortcut's listener would be lost.
    await expect(this.page.getByTestId("open-search")).toHaveAttribute("data-shortcut-ready", "true");
    await this.page.keyboard.press("Control+k");
    await expect(this.dialog()).toBeVisible();
    await expect(this.input()).toBeFocused();
  }

  dialog() {
    return this.page.getByRole("dialog", { name: "Search orders" });
  }

  input() {
    return this.dialog().getByRole("combobox", { name: "Search orders" });
  }

  options() {
    return this.dialog().getByRole("option");
  }

  activeOption() {
    return this.dialog().locator('[role="option"][aria-selected="true"]');
  }

  async type(text: string) {
    await this.input().pressSequentially(text, { delay: 20 });
  }
}

import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";
import { SearchPalette } from "./pages/search-palette.ts";
import { OrdersPage } from "./pages/orders-page.ts";

test.describe("agent", () => {
  test.use({ storageState: authFile("agent") });

  test("opens the palette with Ctrl+K, finds a misspelt customer, moves with the arrows and opens the order with Enter", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto();
    const palette = new SearchPalette(page);
    await palette.openWithKeyboard();
    await palette.type("jose garcai");

    const options = palette.options();
    await expect(options.first()).toBeVisible();
    expect(await options.count()).toBeGreaterThan(1);
    await expect(options.first().getByTestId("hit-customer")).toHaveText("José García");
    await expect(options.first().getByTestId("hit-customer").locator("mark")).toHaveText(["José", "García"]);

    const input = palette.input();
    await expect(palette.activeOption()).toHaveCount(1);
    const firstId = await options.first().getAttribute("id");
    await expect(input).toHaveAttribute("aria-activedescendant", firstId!);
    await input.press("ArrowDown");
    const secondId = await options.nth(1).getAttribute("id");
    await expect(input).toHaveAttribute("aria-activedescendant", secondId!);
    await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
    const number = (await options.nth(1).getByTestId("hit-number").textContent())!.trim();

    await input.press("Enter");
    // The palette's query goes along (?from=), so the order's "← Orders" opens the list searched for it.
    await expect(page).toHaveURL(new RegExp(`/orders/${number}(\\?from=[^/]*)?$`));
    await expect(page.getByTestId("order-number")).toHaveText(number);
  });

  test("Esc closes the palette and gives focus back; an unknown name says so", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto();
    const trigger = page.getByTestId("open-search");
    await trigger.click();
    const palette = new SearchPalette(page);
    await expect(palette.input()).toBeFocused();
    await palette.type("Xylophone Quartermaine");
    await expect(page.getByTestId("search-status")).toHaveText(/No orders match/);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await palette.dialog().evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press("Escape");
    await expect(palette.dialog()).toBeHidden();
    await expect(trigger).toBeFocused();
  });

  test("the orders search box puts the query in the URL and its results replace the table", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto();
    await page.getByTestId("orders-search-input").fill("smiht");
    await expect(page).toHaveURL(/[?&]q=smiht/);
    await expect(page.getByTestId("orders-table")).toBeHidden();
    const results = page.getByTestId("search-result");
    await expect(results.first()).toBeVisible();
    await expect(results.first().locator("mark").first()).toHaveText("Smith");
    await page.reload();
    await expect(page.getByTestId("orders-search-input")).toHaveValue("smiht");
    await expect(results.first()).toBeVisible();
    await page.getByTestId("orders-search-input").fill("");
    await expect(page.getByTestId("orders-table")).toBeVisible();
  });
});

test.describe("agent pasting and filtering", () => {
  test.use({ storageState: authFile("agent") });

  test("a status chip keeps the search: the query stays in the URL and the box, and the results are filtered", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto("?status=delivered");
    const surname = (await orders.rows().first().locator("td").nth(2).textContent())!.trim().split(" ").at(-1)!;
    const box = page.getByTestId("orders-search-input");
    const param = (name: string) => new URL(page.url()).searchParams.get(name);
    await box.fill(surname);
    await expect.poll(() => param("q")).toBe(surname);
    await orders.filterBy("All");
    await expect.poll(() => param("status")).toBeNull();
    expect(param("q")).toBe(surname);
    await expect(box).toHaveValue(surname);
    await orders.filterBy("Delivered");
    await expect.poll(() => param("status")).toBe("delivered");
    expect(param("q")).toBe(surname);
    await expect(box).toHaveValue(surname);
    const statuses = page.getByTestId("search-result").getByTestId("hit-status");
    await expect(statuses.first()).toBeVisible();
    for (const text of await statuses.allTextContents()) expect(text.trim()).toBe("Delivered");
  });

  test("a pasted order number with a # or an en dash opens the order from the palette, and /orders/<digits> opens it too", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto();
    const number = (await orders.rows().first().getByRole("link").textContent())!.trim();
    const digits = number.slice(3);
    const palette = new SearchPalette(page);
    for (const pasted of [`#${digits}`, `SY–${digits}`]) {
      await palette.openWithKeyboard();
      await palette.type(pasted);
      await expect(palette.options().first().getByTestId("hit-number")).toHaveText(number);
      await page.keyboard.press("Escape");
    }
    await page.goto(`/orders/${digits}`);
    await expect(page.getByTestId("order-number")).toHaveText(number);
  });
});

test.describe("warehouse lead", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("searches by name but never receives an email or phone", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto();
    const palette = new SearchPalette(page);
    const responses: string[] = [];
    page.on("response", async (res) => {
      if (res.url().includes("/api/search")) responses.push(await res.text());
    });
    await palette.openWithKeyboard();
    await palette.type("jose garcia");
    await expect(palette.options().first()).toBeVisible();
    expect(responses.length).toBeGreaterThan(0);
    for (const body of responses) {
      expect(body).not.toMatch(/@example\./);
      expect(body).not.toMatch(/\+\d{9,}/);
    }
  });
});

import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { OrderPage } from "./pages/order-page.ts";
import { RoutingPage } from "./pages/routing-page.ts";

test.describe("malformed addresses", () => {
  test.use({ storageState: authFile("agent") });

  test("an order path that is not valid percent-encoding answers 404, not a bare 500", async ({ page }) => {
    // %25FF decodes once to "%FF", which the order page must not decode into a URIError either.
    for (const path of ["/orders/%FF", "/orders/%E0%A4%A", "/orders/SY-%C0%AF", "/orders/%", "/orders/%25FF", "/routing/decisions/%FF"]) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(404);
    }
    const res = await page.goto("/orders/%FF");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });
});

test.describe("forms keep what was typed when the server refuses it", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("receive stock: an unknown SKU is refused and every field keeps its value", async ({ page }) => {
    const routing = new RoutingPage(page);
    await routing.goto();
    const form = page.getByTestId("receive-stock");
    const location = form.getByLabel("Location");
    const options = await location.locator("option").allTextContents();
    await location.selectOption({ label: options.at(-1)! });
    await form.getByLabel("SKU").fill("NO-SUCH-SKU-42");
    await form.getByLabel("Units received").fill("7");
    await form.getByLabel("Reference (optional)").fill("PO 2024-077");
    await form.getByRole("button", { name: "Receive" }).click();

    await expect(form.getByTestId("receive-result")).toContainText("No product has SKU NO-SUCH-SKU-42");
    await expect(form.getByLabel("SKU")).toHaveValue("NO-SUCH-SKU-42");
    await expect(form.getByLabel("Units received")).toHaveValue("7");
    await expect(form.getByLabel("Reference (optional)")).toHaveValue("PO 2024-077");
    await expect(location.locator("option:checked")).toHaveText(options.at(-1)!);
  });
});

test.describe("admin forms keep what was typed when the server refuses it", () => {
  test.use({ storageState: authFile("admin") });

  test("create user: a common password is refused with why, and every field keeps its value", async ({ page }) => {
    await page.goto("/admin");
    const form = page.getByTestId("create-user-form");
    await form.getByLabel("Name").fill("Kept Input");
    await form.getByLabel("Email").fill("kept.input@switchyard.test");
    await form.getByLabel("Role").selectOption({ label: "Finance" });
    await form.getByLabel(/Password/).fill("Password1234");
    await form.getByRole("button", { name: "Create user" }).click();

    await expect(form.getByTestId("action-error")).toContainText("most common passwords");
    await expect(form.getByLabel("Name")).toHaveValue("Kept Input");
    await expect(form.getByLabel("Email")).toHaveValue("kept.input@switchyard.test");
    await expect(form.getByLabel("Role")).toHaveValue("finance");
    await expect(form.getByLabel(/Password/)).toHaveValue("Password1234");
    await expect(page.getByTestId("users-table").locator('[data-email="kept.input@switchyard.test"]')).toHaveCount(0);
  });
});

test.describe("long unbroken text", () => {
  test.use({ storageState: authFile("agent") });

  test("a note of one 5,000-character word wraps: the order page stays as wide as the window", async ({ page }) => {
    // A cancelled order: no other spec reads one, so the note cannot become another test's newest timeline entry.
    const { number } = pick<{ number: string }>("SELECT number FROM orders WHERE status = 'cancelled' ORDER BY id DESC LIMIT 1");
    const order = new OrderPage(page);
    await order.goto(number);
    const word = "Unbroken" + "x".repeat(4_992);
    await page.getByTestId("note-form").getByRole("textbox").fill(word);
    await page.getByTestId("note-form").getByRole("button", { name: "Add note" }).click();
    await expect(order.timelineEntries().filter({ hasText: "Unbroken" }).first()).toBeVisible();

    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.window);
    await page.reload();
    await expect(order.timelineEntries().filter({ hasText: "Unbroken" }).first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});

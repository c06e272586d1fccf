import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";
import { OrdersPage } from "./pages/orders-page.ts";
import { OrderPage } from "./pages/order-page.ts";

test.describe("agent", () => {
  test.use({ storageState: authFile("agent") });

  test("filters orders by status with the state in the URL, and pages through them", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto();
    await orders.filterBy("Delivered");
    await expect(page).toHaveURL(/status=delivered/);
    await expect(orders.rows().first()).toBeVisible();
    for (const badge of await orders.rows().locator("[data-status]").all()) {
      await expect(badge).toHaveAttribute("data-status", "delivered");
    }
    const firstPage = await orders.rows().first().getByRole("link").textContent();
    await page.getByTestId("page-older").click();
    await expect(page).toHaveURL(/status=delivered&after=/);
    await expect(orders.rows().first().getByRole("link")).not.toHaveText(firstPage ?? "");
    await page.getByTestId("page-newer").click();
    await expect(orders.rows().first().getByRole("link")).toHaveText(firstPage ?? "");
  });

  test("opens an order and sees its timeline, newest first, with actor and time", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto("?status=delivered");
    const number = (await orders.rows().first().getByRole("link").textContent())!.trim();
    await orders.openOrder(number);
    const order = new OrderPage(page);
    await expect(order.status()).toHaveAttribute("data-status", "delivered");
    const entries = order.timelineEntries();
    await expect(entries.first()).toContainText("delivered");
    expect(await entries.count()).toBeGreaterThanOrEqual(5);
    const times = await entries.locator("time").evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute("datetime")!)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await expect(entries.first().getByTestId("timeline-actor")).not.toBeEmpty();
    await expect(page.getByTestId("customer-email")).toContainText("@");
  });

  test("an unknown order number shows a not-found page", async ({ page }) => {
    await page.goto("/orders/SY-999999");
    await expect(page.getByTestId("order-not-found")).toBeVisible();
  });
});

test.describe("warehouse lead", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("sees the ship-to address but the page never contains the customer's email or phone", async ({ page, browser }) => {
    const order = new OrderPage(page);
    await order.goto("SY-100002");
    await expect(page.getByTestId("ship-to")).not.toBeEmpty();
    await expect(page.getByTestId("contact-hidden")).toBeVisible();
    await expect(page.getByTestId("payment-hidden")).toBeVisible();

    const agentContext = await browser.newContext({ storageState: authFile("agent") });
    const agentPage = await agentContext.newPage();
    await agentPage.goto("/orders/SY-100002");
    const email = (await agentPage.getByTestId("customer-email").textContent())!.trim();
    const phone = (await agentPage.getByTestId("customer-phone").textContent())!.trim();
    await agentContext.close();
    expect(email).toContain("@");
    expect(phone).toMatch(/^\+\d{9,}$/);

    // The raw HTML, including the serialized React payload, not just what is visible.
    const html = await (await page.request.get("/orders/SY-100002")).text();
    expect(html).not.toContain(email);
    expect(html).not.toContain(phone);
    expect(html).not.toMatch(/\+\d{9,}/); // no phone number in E.164 form anywhere
  });
});

import { test, expect, type APIRequestContext } from "@playwright/test";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { IncomingEventsPage } from "./pages/events-page.ts";
import { OrderPage } from "./pages/order-page.ts";

/** Shopify webhooks sent to the running server, signed with Shopify's own helper and the secret the admin just made. */
async function sendShopify(request: APIRequestContext, secret: string, webhookId: string, topic: string, body: unknown) {
  const payload = JSON.stringify(body);
  return request.post("/api/webhooks/shopify", {
    data: payload,
    headers: { "content-type": "application/json", "x-shopify-topic": topic, "x-shopify-hmac-sha256": getHmac(payload, secret), "x-shopify-webhook-id": webhookId, "x-shopify-shop-domain": "e2e.myshopify.com" },
  });
}

function order(id: number, sku: string) {
  const address = { first_name: "Ines", last_name: "Moreau", name: "Ines Moreau", address1: "12 rue Victor Hugo", address2: null, city: "Lyon", zip: "69002", province: null, country: "France", country_code: "FR", latitude: 45.764, longitude: 4.8357, phone: null };
  return {
    id, email: `ines.${id}@example.test`, created_at: "2026-11-28T09:12:00+01:00", currency: "EUR", presentment_currency: "EUR", financial_status: "pending", taxes_included: false, total_discounts: "0.00",
    subtotal_price: "39.98", total_tax: "0.00", total_price: "44.93", shipping_address: address, billing_address: address, customer: { id: 1, email: `ines.${id}@example.test`, first_name: "Ines", last_name: "Moreau" },
    line_items: [{ id: 1, sku, title: "E2E item", quantity: 2, price: "19.99", price_set: { shop_money: { amount: "19.99", currency_code: "EUR" } } }],
    shipping_lines: [{ id: 1, title: "Standard", price: "4.95" }], note_attributes: [],
  };
}

test.describe("incoming events", () => {
  test.use({ storageState: authFile("admin") });

  test("an admin makes a Shopify secret, events arrive signed with it, the events screen lists them with raw JSON, and a rejected one is replayed", async ({ page, request }) => {
    const events = new IncomingEventsPage(page);
    const secret = await events.createSecret("shopify");
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.reload();
    await expect(page.getByTestId("endpoint-shopify").getByTestId("secret-state")).toContainText("fingerprint");
    await expect(page.getByTestId("endpoint-shopify")).not.toContainText(secret);

    const sku = pick<{ sku: string }>("SELECT sku FROM products ORDER BY id LIMIT 1").sku;
    const placed = await sendShopify(request, secret, "e2e-create-1", "orders/create", order(9_100_001, sku));
    expect(placed.status()).toBe(200);
    const unknown = await sendShopify(request, secret, "e2e-unknown-sku", "orders/create", order(9_100_002, "NOT-A-SKU"));
    expect(unknown.status()).toBe(422);
    expect((await sendShopify(request, "wrong-secret-0123456789", "e2e-bad", "orders/create", order(9_100_003, sku))).status()).toBe(401);

    await events.goto();
    await expect(events.row("e2e-create-1").getByTestId("event-outcome")).toHaveText("applied");
    const rejected = events.row("e2e-unknown-sku");
    await expect(rejected.getByTestId("event-outcome")).toHaveText("rejected");
    await expect(rejected.getByTestId("event-reason")).toContainText("Unknown SKU: NOT-A-SKU");
    const json = await events.expandJson("e2e-unknown-sku");
    await expect(json).toBeVisible();
    await expect(json).toContainText('"sku": "NOT-A-SKU"');
    await expect(page.getByTestId("refused-counts")).toContainText("HMAC does not match");

    await events.replay("e2e-unknown-sku");
    await expect(rejected).toContainText("2 attempts");
    await expect(rejected.getByTestId("event-outcome")).toHaveText("rejected");
    await page.screenshot({ path: "e2e/artifacts/admin-events.png", fullPage: true });
  });

  test("the order placed by the event shows the event and its raw payload on the timeline", async ({ page }) => {
    const number = pick<{ number: string }>("SELECT number FROM orders WHERE external_ref = 'shopify:9100001'").number;
    const orderPage = new OrderPage(page);
    await orderPage.goto(number);
    await expect(orderPage.status()).toHaveText(/pending/i);
    const entry = orderPage.timelineEntries().and(page.locator('[data-kind="webhook"]'));
    await expect(entry).toContainText("Incoming Shopify event orders/create: applied");
    await entry.getByTestId("raw-payload").locator("summary").click();
    await expect(entry.getByTestId("raw-payload").locator("pre")).toContainText('"email": "ines.9100001@example.test"');
  });
});

test.describe("incoming events, as a warehouse lead", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("a storefront's raw payload is not shown to a role without contact and payment access", async ({ page }) => {
    const number = pick<{ number: string }>("SELECT number FROM orders WHERE external_ref = 'shopify:9100001'").number;
    const orderPage = new OrderPage(page);
    await orderPage.goto(number);
    const entry = orderPage.timelineEntries().and(page.locator('[data-kind="webhook"]'));
    await expect(entry).toContainText("Raw payload not shown to your role");
    await expect(entry.getByTestId("raw-payload")).toHaveCount(0);
    expect(await page.content()).not.toContain("ines.9100001@example.test");
  });
});

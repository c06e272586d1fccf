import { test, expect } from "@playwright/test";
import createClient from "openapi-fetch";
import type { paths } from "../clients/orders-api-v1.ts";
import { BASE_URL } from "../playwright.config.ts";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { ApiKeysPage } from "./pages/api-keys-page.ts";
import { OrderPage } from "./pages/order-page.ts";

test.describe("orders API", () => {
  test.use({ storageState: authFile("admin") });

  test("an admin makes a key (shown once); a checkout places an order twice under one Idempotency-Key, reads and cancels it with the typed client; the revoked key is refused", async ({ page }) => {
    const keys = new ApiKeysPage(page);
    await keys.goto();
    const key = await keys.create("E2E checkout", ["orders:read", "orders:write", "orders:cancel"]);
    expect(key).toMatch(/^sy_[A-Za-z0-9_-]{32}$/);
    await page.reload();
    await expect(keys.row("E2E checkout")).toContainText(key.slice(0, 10));
    await expect(page.getByTestId("api-keys-table")).not.toContainText(key);

    // As a checkout team would: openapi-fetch typed by the committed client, over HTTP to the running server.
    const api = createClient<paths>({ baseUrl: `${BASE_URL}/api/v1`, headers: { authorization: `Bearer ${key}` } });
    const sku = pick<{ sku: string }>("SELECT sku FROM products WHERE active = 1 AND currency = 'EUR' ORDER BY id LIMIT 1").sku;
    const body = {
      customer: { email: "noor@example.com", name: "Noor Haddad" },
      ship_to: { name: "Noor Haddad", line1: "Oudegracht 1", city: "Utrecht", postcode: "3511 AA", country: "NL" },
      lines: [{ sku, quantity: 1 }],
      currency: "EUR" as const,
      shipping: 495,
    };
    const header = { "Idempotency-Key": "e2e-checkout-0001" };
    const first = await api.POST("/orders", { params: { header }, body });
    expect(first.response.status).toBe(201);
    const again = await api.POST("/orders", { params: { header }, body });
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    expect(again.data).toEqual(first.data);
    const number = first.data!.number;
    expect((await api.GET("/orders/{number}", { params: { path: { number } } })).data?.status).toBe("pending");
    const cancelled = await api.POST("/orders/{number}/cancel", { params: { path: { number }, header: { "Idempotency-Key": "e2e-checkout-0002" } }, body: { reason: "customer_requested" } });
    expect(cancelled.data?.status).toBe("cancelled");

    const order = new OrderPage(page);
    await order.goto(number);
    await expect(page.getByText(/Incoming Orders API event POST \/api\/v1\/orders: applied/)).toBeVisible();

    await keys.goto();
    await expect(keys.row("E2E checkout")).not.toContainText("never");
    await keys.revoke("E2E checkout");
    const refused = await api.GET("/orders", {});
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ code: "unauthenticated" });
    await page.screenshot({ path: "e2e/artifacts/admin-api-keys.png", fullPage: true });
  });
});

test.describe("API reference", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("/api/docs renders every operation, signed out, with every file from our own origin and no Content-Security-Policy violation", async ({ page }) => {
    const foreign: string[] = [];
    const violations: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(BASE_URL) && !r.url().startsWith("data:")) foreign.push(r.url());
    });
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto("/api/docs");
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    for (const summary of ["Place an order", "List orders", "Read an order", "Cancel an order", "Record a captured payment"]) {
      await expect(page.getByText(summary, { exact: true })).toBeVisible();
    }
    await page.getByText("Place an order", { exact: true }).click();
    await expect(page.getByText("Idempotency-Key").first()).toBeVisible();
    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
    await page.screenshot({ path: "e2e/artifacts/api-docs.png", fullPage: false });
  });
});

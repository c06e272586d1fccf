import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";
import { e2eDb, pick } from "./fixtures-db.ts";

/**
 * A warehouse lead never receives email, phone or payment details: checked in the raw responses
 * (HTML with its serialized React payload, JSON), not just on screen.
 */
test.describe("warehouse lead", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("an order with a paid-out refund: its HTML has the ship-to but no email, phone, amounts or provider reference", async ({ page, browser }) => {
    const o = pick<{ number: string; email: string; phone: string; city: string; ref: string }>(`
      SELECT o.number, c.email, c.phone, a.city,
             (SELECT r.provider_ref FROM refunds r WHERE r.order_id = o.id AND r.provider_ref IS NOT NULL LIMIT 1) AS ref
      FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id
      WHERE c.phone IS NOT NULL AND EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id AND r.status = 'succeeded' AND r.provider_ref IS NOT NULL)
      ORDER BY o.id LIMIT 1`);
    const agent = await browser.newContext({ storageState: authFile("agent") });
    const agentPage = await agent.newPage();
    await agentPage.goto(`/orders/${o.number}`);
    const paid = (await agentPage.getByTestId("paid").textContent())!.trim();
    const agentHtml = await (await agentPage.request.get(`/orders/${o.number}`)).text();
    await agent.close();
    expect(agentHtml).toContain(o.email);
    expect(agentHtml).toContain(paid);

    const res = await page.request.get(`/orders/${o.number}`);
    expect(res.status()).toBe(200);
    const html = await res.text();
    expect(html).toContain(o.number);
    expect(html).toContain(o.city);
    expect(html).not.toContain(o.email);
    expect(html).not.toContain(o.phone);
    expect(html).not.toContain("sim_re_");
    expect(html).not.toContain(o.ref);
    expect(html).not.toContain(paid);
    expect(html).not.toMatch(/[€£]\d/);
  });

  test("search JSON carries no email or phone, and the refund export is refused", async ({ page }) => {
    const o = pick<{ name: string; email: string; phone: string }>("SELECT c.name, c.email, c.phone FROM customers c WHERE c.phone IS NOT NULL ORDER BY c.id LIMIT 1");
    const search = await page.request.get(`/api/search?q=${encodeURIComponent(o.name)}`);
    expect(search.status()).toBe(200);
    const json = await search.text();
    expect(json).not.toContain(o.email);
    expect(json).not.toContain(o.phone);
    const exported = await page.request.get("/api/refunds/export");
    expect(exported.status()).toBe(403);
    expect(await exported.text()).not.toMatch(/@/);
  });
});

/** An amount as a screen formats it in the seed's currencies: €12.50, £3.00, EUR 12.50 ("$1" is React's own payload syntax). */
const FORMATTED_MONEY = /(?:[€£]|\b(?:EUR|GBP)(?:\u00a0| |&nbsp;))\s?-?\d/;

function customerContacts(): { email: string; phone: string | null }[] {
  const db = e2eDb();
  try {
    return db.prepare("SELECT email, phone FROM customers").all() as { email: string; phone: string | null }[];
  } finally {
    db.close();
  }
}

function expectNoCustomerData(body: string, where: string, contacts: { email: string; phone: string | null }[]) {
  expect(body, `${where}: a formatted amount`).not.toMatch(FORMATTED_MONEY);
  const leaked = contacts.flatMap((c) => [c.email, c.phone ?? ""]).filter((v) => v && body.includes(v));
  expect(leaked, `${where}: customer email or phone`).toEqual([]);
}

test.describe("warehouse lead, every list and API", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("no page the lead can open, nor any it is refused, carries a customer's email, phone or an amount", async ({ page }) => {
    const contacts = customerContacts();
    const o = pick<{ number: string; name: string; status: string; customerId: number }>(`
      SELECT o.number, c.name, o.status, c.id AS customerId FROM orders o JOIN customers c ON c.id = o.customer_id
      WHERE EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) ORDER BY o.id LIMIT 1`);
    const decision = pick<{ id: number }>("SELECT id FROM routing_decisions ORDER BY id DESC LIMIT 1");
    const pages: [string, number][] = [
      ["/orders", 200],
      [`/orders?status=${o.status}`, 200],
      ["/orders?status=delivered", 200],
      [`/orders?q=${encodeURIComponent(o.name)}`, 200],
      [`/orders/${o.number}`, 200],
      [`/customers/${o.customerId}`, 200],
      [`/customers/${o.customerId}?from=${encodeURIComponent(`q=${o.name}`)}`, 200],
      ["/orders/preview", 200],
      ["/routing", 200],
      ["/routing?filter=split", 200],
      ["/routing?filter=backordered", 200],
      [`/routing/decisions/${decision.id}`, 200],
      ["/refunds", 403],
      ["/refunds?status=succeeded", 403],
      ["/shipments", 200],
      ["/shipments?location=all&due=overdue", 200],
      // A lead sees their location's shipment alerts (owners and notes, never contacts or money); metrics stay the manager's.
      ["/alerts", 200],
      ["/alerts?owner=none", 200],
      ["/alerts/metrics", 403],
      ["/admin", 403],
      ["/admin/settings", 403],
    ];
    for (const [path, status] of pages) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(status);
      expectNoCustomerData(await res.text(), path, contacts);
    }
    // The list as rendered in the browser too: no Total column for a role without payment details.
    await page.goto("/orders");
    await expect(page.getByTestId("order-row").first()).toBeVisible();
    await expect(page.getByTestId("orders-table").getByRole("columnheader", { name: "Total" })).toHaveCount(0);
    await expect(page.getByTestId("order-total")).toHaveCount(0);
  });

  test("no API answer to the lead carries a customer's email, phone or an amount", async ({ page }) => {
    const contacts = customerContacts();
    const c = pick<{ name: string; email: string; phone: string; number: string; city: string; sku: string }>(`
      SELECT c.name, c.email, c.phone, o.number, a.city, (SELECT sku FROM order_lines WHERE order_id = o.id LIMIT 1) AS sku
      FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id
      WHERE c.phone IS NOT NULL ORDER BY o.id LIMIT 1`);
    for (const q of [c.name, c.number, c.email, c.email.split("@")[0]!, c.phone, c.phone.slice(-4), c.city, c.sku, ""]) {
      const res = await page.request.get(`/api/search?q=${encodeURIComponent(q)}&limit=50`);
      expect(res.status()).toBe(200);
      expectNoCustomerData(await res.text(), `/api/search?q=${q}`, contacts);
    }
    const preview = await page.request.post("/api/routing/preview", { data: { lines: [{ sku: c.sku, qty: 2 }], shipTo: { country: "DE" } } });
    expect(preview.status()).toBe(200);
    expectNoCustomerData(await preview.text(), "/api/routing/preview", contacts);
    for (const [path, status] of [["/api/refunds/export", 403], ["/api/alerts/count", 200], ["/api/health", 200]] as const) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(status);
      expectNoCustomerData(await res.text(), path, contacts);
    }
  });
});

import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";

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

import { test, expect } from "@playwright/test";
import { ROLES, authFile } from "./roles.ts";
import { OrdersPage } from "./pages/orders-page.ts";
import type { Role } from "../db/schema/auth.ts";

const EXPECTED_NAV: Record<Role, string[]> = {
  agent: ["Orders"],
  warehouse_lead: ["Orders", "Shipments", "Routing", "Alerts"],
  finance: ["Orders", "Refunds"],
  manager: ["Orders", "Shipments", "Routing", "Refunds", "Alerts"],
  admin: ["Orders", "Shipments", "Routing", "Refunds", "Alerts", "Admin"],
};

for (const role of ROLES) {
  test.describe(`${role}`, () => {
    test.use({ storageState: authFile(role) });

    test(`signs in and sees exactly the ${role} navigation`, async ({ page }) => {
      const orders = new OrdersPage(page);
      await orders.goto();
      await expect(orders.navLinks()).toHaveText(EXPECTED_NAV[role]);
    });
  });
}

test.describe("a screen outside the role", () => {
  test.use({ storageState: authFile("agent") });

  test("an agent opening /admin gets a 403 page that names what was refused", async ({ page }) => {
    const res = await page.goto("/admin");
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("admin:users");
    await expect(page.getByTestId("forbidden")).toContainText("Support agent");
  });

  test("the 403 page names the permission the page itself required, not its section's", async ({ page }) => {
    const res = await page.goto("/admin/settings");
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toContainText("admin:settings");
  });
});

test.describe("what a screen asks of the server", () => {
  test.use({ storageState: authFile("admin") });

  test("opening a list asks for nothing ahead of a click (no prefetch per row); a click still navigates in place", async ({ page }) => {
    const asked: { url: string; prefetch: boolean; rsc: boolean; document: boolean }[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith("/_next/static")) return;
      const h = r.headers();
      asked.push({ url: url.pathname + url.search, prefetch: "next-router-prefetch" in h, rsc: "rsc" in h, document: r.resourceType() === "document" });
    });
    for (const path of ["/orders", "/shipments", "/routing", "/refunds", "/alerts"]) {
      asked.length = 0;
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      // Every screen is dynamic and has links in its rows (50 on a list): none of them is fetched ahead.
      expect(asked.filter((a) => a.prefetch), `${path}: prefetches`).toEqual([]);
      expect(asked.filter((a) => a.document).map((a) => a.url)).toEqual([path]);
    }
    await page.goto("/orders");
    await page.waitForLoadState("networkidle");
    asked.length = 0;
    const first = page.getByTestId("order-row").first().getByRole("link").first();
    const number = (await first.textContent())!.trim();
    await first.click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(number);
    // In place: the page came as a server-component payload, not a new document.
    expect(asked.filter((a) => a.document)).toEqual([]);
    expect(asked.some((a) => a.rsc && a.url.startsWith(`/orders/${number}`))).toBe(true);
  });
});

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

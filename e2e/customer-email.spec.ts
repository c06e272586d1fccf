import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { OrderPage } from "./pages/order-page.ts";

/** The e2e server runs without SMTP_URL: every customer notification is recorded on the timeline, and says so. */
for (const role of ["agent", "warehouse_lead"] as const) {
  test.describe(role, () => {
    test.use({ storageState: authFile(role) });

    test("each customer notification on the timeline shows its delivery state", async ({ page }) => {
      const o = pick<{ number: string; n: number; subject: string }>(`
        SELECT o.number, count(*) AS n, max(n.subject) AS subject FROM orders o JOIN notifications n ON n.order_id = o.id
        WHERE n.kind = 'shipped' GROUP BY o.id ORDER BY o.id LIMIT 1`);
      const order = new OrderPage(page);
      await order.goto(o.number);
      const notices = order.timelineEntries().and(page.locator('[data-kind="notification"]'));
      await expect(notices.filter({ hasText: o.subject }).first()).toBeVisible();
      const states = notices.getByTestId("notification-delivery");
      await expect(states).toHaveCount(await notices.count());
      for (const state of await states.all()) {
        await expect(state).toHaveAttribute("data-delivery", "recorded");
        await expect(state.getByTestId("notification-delivery-state")).toHaveText("Recorded");
      }
    });
  });
}

import { test, expect, type Locator } from "@playwright/test";
import path from "node:path";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { ShipmentsPage } from "./pages/shipments-page.ts";
import { AlertsPage } from "./pages/alerts-page.ts";
import { OrderPage } from "./pages/order-page.ts";

const shot = (name: string) => ({ path: path.resolve("e2e/artifacts", `${name}.png`), fullPage: true });

/** Counts the clicks a journey takes, so the number a person needs stays small. */
function clickCounter() {
  let n = 0;
  return {
    click: async (l: Locator) => {
      n += 1;
      await l.click();
    },
    get count() {
      return n;
    },
  };
}

test.describe("warehouse lead's day", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("today's shipments for their warehouse, move one with a reason", async ({ page }) => {
    // scripts/e2e-server.ts saved the demo lead's location and made three of its shipments due today, one movable.
    const lead = pick<{ locationId: number; code: string }>(
      "SELECT u.default_location_id AS locationId, l.code FROM users u JOIN locations l ON l.id = u.default_location_id WHERE u.email = 'warehouse@switchyard.test'",
    );
    const clicks = clickCounter();
    await page.goto("/orders");
    await clicks.click(page.getByTestId("main-nav").getByRole("link", { name: "Shipments" }));
    const queue = new ShipmentsPage(page);
    await queue.expectLoaded();
    // Their location applies without asking.
    await expect(page.getByTestId("location-filter").getByRole("link", { name: new RegExp(`^${lead.code}`) })).toHaveAttribute("aria-current", "true");
    await clicks.click(queue.dueFilter("Today"));
    await expect(page).toHaveURL(new RegExp(`[?&]location=${lead.locationId}(&|$)`));
    await expect(page).toHaveURL(/[?&]due=today/);
    // Other specs may have moved or cancelled some of them meanwhile: the queue shows what the database holds now.
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const due = pick<{ n: number }>(
      "SELECT count(*) AS n FROM shipments WHERE location_id = ? AND status IN ('pending', 'picking', 'packed') AND ship_by >= ? AND ship_by < ?",
      lead.locationId,
      day,
      day + 86_400_000,
    ).n;
    expect(due).toBeGreaterThan(0);
    await expect(queue.rows()).toHaveCount(due);
    for (const code of await queue.rows().locator("td:nth-child(3)").allTextContents()) expect(code.trim()).toBe(lead.code);
    await page.screenshot(shot("lead-shipments-today"));

    const movable = pick<{ number: string; shipmentId: number }>(
      `SELECT o.number, s.id AS shipmentId FROM shipments s JOIN orders o ON o.id = s.order_id
       WHERE s.location_id = ? AND s.status = 'pending' AND s.ship_by > ? ORDER BY s.id DESC LIMIT 1`,
      lead.locationId,
      Date.now() - 3_600_000,
    );
    const row = queue.rows().filter({ hasText: movable.number });
    await clicks.click(row.getByRole("link", { name: movable.number }));
    const order = new OrderPage(page);
    await expect(page.getByTestId("order-number")).toHaveText(movable.number);
    const card = order.shipment(movable.shipmentId);
    await clicks.click(card.getByRole("button", { name: "Split or move…" }));
    // Every pending shipment brings its own (closed) move dialog: the open one is this shipment's.
    const dialog = page.locator('[data-testid="move-dialog"][open]');
    const confirm = dialog.getByRole("button", { name: "Move units" });
    await expect(confirm).toBeDisabled(); // no reason yet
    await dialog.getByLabel("Reason (required)").fill("Picker short at this site today");
    await clicks.click(confirm);
    await expect(dialog).toHaveCount(0);

    // The new shipment keeps the customer's original date beside the new one; the move is on the timeline with its reason.
    await expect(page.getByTestId("shipment-when").filter({ hasText: "Promised" }).first()).toBeVisible();
    await expect(order.timelineEntries().filter({ hasText: "Picker short at this site today" }).first()).toBeVisible();
    expect(clicks.count).toBeLessThanOrEqual(5);
    await page.screenshot(shot("lead-moved-shipment"));
  });

  test("a lead writes a note on the order", async ({ page }) => {
    const { number } = pick<{ number: string }>("SELECT number FROM orders WHERE status = 'awaiting_fulfillment' ORDER BY id LIMIT 1");
    await new OrderPage(page).goto(number);
    await page.getByTestId("order-timeline").getByRole("textbox").fill("Pallet 4 blocked, picking after lunch");
    await page.getByTestId("order-timeline").getByRole("button", { name: /note/i }).click();
    await expect(new OrderPage(page).timelineEntries().filter({ hasText: "Pallet 4 blocked, picking after lunch" }).first()).toBeVisible();
  });
});

test.describe("manager assigns an alert", () => {
  test.use({ storageState: authFile("manager") });

  test("assigns an alert to a colleague without acknowledging it", async ({ page }) => {
    const alerts = new AlertsPage(page);
    await alerts.goto("owner=none&status=open");
    await alerts.evaluateNow();
    await page.reload();
    const row = alerts.rows().first();
    await expect(row).toBeVisible();
    const ids = await row.getAttribute("data-alert-ids");
    await expect(row.getByTestId("alert-owner")).toHaveText("unassigned");
    await alerts.assign(row, "Marek Nowak", "Marek is on site today");
    // Filtered to unassigned, the row leaves; shown for anyone, it is Marek's and still open.
    await alerts.goto("status=open");
    const owned = page.locator(`[data-testid="alert-row"][data-alert-ids="${ids}"]`);
    await expect(owned.getByTestId("alert-owner")).toHaveText("Marek Nowak");
    await expect(owned.locator('[data-status="acknowledged"]')).toHaveCount(0);
    await expect(owned.locator('[data-status="open"]').first()).toBeVisible();
    await expect(owned.getByTestId("alert-warehouse")).not.toBeEmpty();
    await page.screenshot(shot("manager-assigns-alert"));
  });
});

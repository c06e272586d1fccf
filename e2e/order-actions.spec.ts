import { test, expect, type Browser, type Page } from "@playwright/test";
import { authFile } from "./roles.ts";
import { OrderPage } from "./pages/order-page.ts";
import { pick } from "./fixtures-db.ts";

async function as(page: Page, browser: Browser, role: Parameters<typeof authFile>[0]) {
  const context = await browser.newContext({ storageState: authFile(role) });
  return { page: await context.newPage(), close: () => context.close() };
}

test.describe("agent", () => {
  test.use({ storageState: authFile("agent") });

  test("partially cancels an order and sees the refund on the timeline", async ({ page }) => {
    // A paid order whose first line has a unit still in a pending shipment.
    const { number, sku } = pick<{ number: string; sku: string }>(`
      SELECT o.number, l.sku FROM orders o
      JOIN order_lines l ON l.order_id = o.id
      JOIN shipment_lines sl ON sl.order_line_id = l.id JOIN shipments s ON s.id = sl.shipment_id AND s.status = 'pending'
      WHERE o.status = 'awaiting_fulfillment' AND o.paid > 0 AND o.refunded = 0
        AND (SELECT count(*) FROM order_lines x WHERE x.order_id = o.id) > 1
      ORDER BY o.id LIMIT 1`);
    const order = new OrderPage(page);
    await order.goto(number);
    await page.getByRole("button", { name: "Cancel items…" }).click();
    const dialog = page.getByTestId("cancel-units-dialog");
    await dialog.getByLabel(`Units of ${sku} to cancel`).fill("1");
    const preview = (await dialog.getByTestId("refund-preview").textContent())!.trim();
    expect(preview).toMatch(/[1-9]/);
    await dialog.getByLabel("Reason (required)").fill("Customer changed their mind");
    await dialog.getByRole("button", { name: "Cancel these items" }).click();
    await expect(dialog).toBeHidden();
    const timeline = order.timelineEntries();
    // Paid out by the worker after commit: the page shows it once reloaded.
    await expect(async () => {
      await page.reload();
      await expect(order.timelineEntries().filter({ hasText: "refund succeeded" }).first()).toContainText(preview, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(timeline.filter({ hasText: "lines cancelled" }).first()).toContainText(`1 × ${sku}`);
    await expect(page.getByTestId("refunded")).toHaveText(preview);
  });

  test("two dialogs opened on the same order: the first cancel wins, the stale one is refused and says why", async ({ page, browser }) => {
    const { number, sku } = pick<{ number: string; sku: string }>(`
      SELECT o.number, l.sku FROM orders o
      JOIN order_lines l ON l.order_id = o.id AND l.qty_ordered - l.qty_cancelled >= 2
      JOIN shipment_lines sl ON sl.order_line_id = l.id AND sl.qty >= 2
      JOIN shipments s ON s.id = sl.shipment_id AND s.status = 'pending'
      WHERE o.status = 'awaiting_fulfillment' AND o.paid > 0 AND o.refunded = 0
        AND NOT EXISTS (SELECT 1 FROM shipments x WHERE x.order_id = o.id AND x.status NOT IN ('pending', 'cancelled'))
      ORDER BY o.id DESC LIMIT 1`);
    const other = await as(page, browser, "agent");
    const mine = new OrderPage(page);
    const theirs = new OrderPage(other.page);
    await mine.goto(number);
    await theirs.goto(number);
    for (const p of [page, other.page]) {
      await p.getByRole("button", { name: "Cancel items…" }).click();
      const dialog = p.getByTestId("cancel-units-dialog");
      await dialog.getByLabel(`Units of ${sku} to cancel`).fill("1");
      await dialog.getByLabel("Reason (required").fill("Customer asked on the phone");
    }
    await page.getByTestId("cancel-units-dialog").getByRole("button", { name: "Cancel these items" }).click();
    await expect(page.getByTestId("action-done")).toContainText("1 unit(s) cancelled");
    const stale = other.page.getByTestId("cancel-units-dialog");
    await stale.getByRole("button", { name: "Cancel these items" }).click();
    await expect(stale.getByTestId("action-error")).toContainText("This order changed since you opened it");
    await other.close();
  });

  test("a refund over the agent limit waits, and finance approves it", async ({ page, browser }) => {
    const { number } = pick<{ number: string }>(`
      SELECT number FROM orders WHERE status = 'delivered' AND paid - refunded > 20000
        AND id NOT IN (SELECT order_id FROM refunds) ORDER BY id LIMIT 1`);
    const order = new OrderPage(page);
    await order.goto(number);
    await page.getByRole("button", { name: "Refund…" }).click();
    const dialog = page.getByTestId("refund-dialog");
    await dialog.getByLabel(/Amount/).fill("150.00");
    await expect(dialog.getByTestId("refund-consequence")).toContainText("wait for finance");
    await dialog.getByLabel("Reason (required)").fill("Item arrived damaged");
    await dialog.getByRole("button", { name: "Ask finance to approve" }).click();
    await expect(dialog).toBeHidden();
    await expect(order.timelineEntries().filter({ hasText: "refund requested" }).first()).toContainText("150.00");
    await expect(page.getByTestId("refunded")).not.toContainText("150.00");

    const finance = await as(page, browser, "finance");
    const financeOrder = new OrderPage(finance.page);
    await financeOrder.goto(number);
    const approval = finance.page.getByTestId("refund-approval");
    await expect(approval).toContainText("150.00");
    await approval.getByLabel("Decision note (required)").fill("Photos confirm the damage");
    await approval.getByRole("button", { name: "Approve and pay out" }).click();
    await expect(approval).toBeHidden();
    await expect(async () => {
      await finance.page.reload();
      await expect(financeOrder.timelineEntries().filter({ hasText: "refund succeeded" }).first()).toContainText("150.00", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(finance.page.getByTestId("refunded")).toContainText("150.00");
    await finance.close();
  });
});

test.describe("warehouse lead", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("splits a pending shipment to another warehouse that has the stock", async ({ page }) => {
    // A pending stock shipment with a line of 2+ units whose SKU another active location has available.
    const { number, shipmentId, sku } = pick<{ number: string; shipmentId: number; sku: string }>(`
      SELECT o.number, s.id AS shipmentId, l.sku FROM shipments s
      JOIN orders o ON o.id = s.order_id AND o.status = 'awaiting_fulfillment' AND o.ship_complete = 0
      JOIN shipment_lines sl ON sl.shipment_id = s.id AND sl.qty >= 2
      JOIN order_lines l ON l.id = sl.order_line_id
      WHERE s.status = 'pending' AND s.dropship = 0
        AND (SELECT count(*) FROM shipment_lines x WHERE x.shipment_id = s.id AND x.qty > 0) = 1
        AND (SELECT count(*) FROM shipments y WHERE y.order_id = o.id AND y.status = 'pending') = 1
        AND EXISTS (SELECT 1 FROM inventory i JOIN locations loc ON loc.id = i.location_id
                    WHERE i.product_id = l.product_id AND i.location_id <> s.location_id AND loc.kind <> 'dropship'
                      AND i.on_hand - i.reserved - i.safety_stock >= 1)
      ORDER BY o.id LIMIT 1`);
    const order = new OrderPage(page);
    await order.goto(number);
    const before = await page.getByTestId("shipment").count();
    const shipment = page.getByTestId("shipment").filter({ hasText: `#${shipmentId}` });
    await shipment.getByRole("button", { name: "Split or move…" }).click();
    const dialog = page.getByTestId("move-dialog");
    await expect(dialog.getByTestId("move-consequence")).toContainText(`1 × ${sku}`);
    await dialog.getByLabel("Reason (required)").fill("Stock is nearer the customer there");
    await dialog.getByRole("button", { name: "Move units" }).click();
    // The new shipment brings its own (closed) move dialog, so check that none is open rather than "the" dialog.
    await expect(page.locator('[data-testid="move-dialog"][open]')).toHaveCount(0);
    // The moved unit is a new pending shipment at the other location; the original keeps the rest.
    await expect(page.getByTestId("shipment")).toHaveCount(before + 1);
    await expect(order.timelineEntries().filter({ hasText: `Shipment #${shipmentId}: shipment split` }).first()).toContainText(`1 × ${sku} moved to`);
  });
});

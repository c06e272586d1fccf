import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { OrderPage } from "./pages/order-page.ts";
import { OrdersPage } from "./pages/orders-page.ts";
import { PreviewPage } from "./pages/preview-page.ts";
import { RoutingPage } from "./pages/routing-page.ts";

test.describe("warehouse lead", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("a ship-complete order offers no split or move, and says why", async ({ page }) => {
    const { number, shipmentId } = pick<{ number: string; shipmentId: number }>(`
      SELECT o.number, s.id AS shipmentId FROM orders o JOIN shipments s ON s.order_id = o.id AND s.status = 'pending' AND s.dropship = 0
      WHERE o.ship_complete = 1 AND o.status = 'awaiting_fulfillment' ORDER BY o.id DESC LIMIT 1`);
    const order = new OrderPage(page);
    await order.goto(number);
    const shipment = order.shipment(shipmentId);
    await expect(shipment.getByTestId("split-refusal")).toHaveText("No split or move: Ship-complete orders move whole.");
    await expect(shipment.getByRole("button", { name: "Split or move…" })).toHaveCount(0);
    await expect(shipment.getByRole("button", { name: "Backorder units…" })).toBeVisible();
  });

  test("a shipment emptied by a backorder stays on the order page with its items struck through and what became of them", async ({ page }) => {
    // An ordinary open order whose only pending stock shipment carries one line.
    const { number, shipmentId, sku, qty } = pick<{ number: string; shipmentId: number; sku: string; qty: number }>(`
      SELECT o.number, s.id AS shipmentId, l.sku, sl.qty FROM shipments s
      JOIN orders o ON o.id = s.order_id AND o.status = 'awaiting_fulfillment' AND o.ship_complete = 0
      JOIN shipment_lines sl ON sl.shipment_id = s.id AND sl.qty > 0 JOIN order_lines l ON l.id = sl.order_line_id
      WHERE s.status = 'pending' AND s.dropship = 0 AND (SELECT count(*) FROM shipment_lines x WHERE x.shipment_id = s.id AND x.qty > 0) = 1
      ORDER BY o.id DESC LIMIT 1`);
    const order = new OrderPage(page);
    await order.goto(number);
    const shipment = order.shipment(shipmentId);
    await shipment.getByRole("button", { name: "Backorder units…" }).click();
    const dialog = page.getByTestId("backorder-dialog");
    await dialog.getByLabel("Units unavailable").fill(String(qty));
    await dialog.getByLabel("Why (damaged, miscounted…)").fill("Water damage on the shelf");
    await dialog.getByRole("button", { name: "Backorder" }).click();
    await expect(page.locator('[data-testid="backorder-dialog"][open]')).toHaveCount(0);

    // Re-routed elsewhere or backordered, the units left: the shipment is cancelled and still shows them, struck through.
    await expect(shipment.locator('[data-status="cancelled"]')).toBeVisible();
    const left = shipment.getByTestId("shipment-line-left");
    await expect(left).toHaveCount(1);
    await expect(left.locator("s")).toContainText(`${qty}×${sku}`);
    await expect(left).toContainText(/moved to another shipment|backordered/);
    await expect(shipment.getByTestId("shipment-line")).toHaveCount(0);
  });

  test("receiving the same delivery reference twice is refused with when and by whom, and can be booked again on purpose", async ({ page }) => {
    const { sku } = pick<{ sku: string }>("SELECT sku FROM products WHERE id NOT IN (SELECT product_id FROM backorders WHERE status = 'pending') ORDER BY id LIMIT 1");
    const reference = `E2E-DN-${Date.now()}`;
    const routing = new RoutingPage(page);
    await routing.goto();
    const result = page.getByTestId("receive-result");
    await routing.receive({ location: "Leipzig Warehouse (LEJ)", sku, qty: 2, reference });
    await expect(result).toContainText(`Received 2 × ${sku}`);

    await routing.receive({ location: "Leipzig Warehouse (LEJ)", sku, qty: 2, reference });
    await expect(result).toContainText(`Reference ${reference} was already booked at Leipzig Warehouse for ${sku}: 2 unit(s) on`);
    await expect(result).toContainText("by Marek Nowak");
    await expect(page.getByTestId("receive-override")).toBeVisible();

    await routing.receive({ location: "Leipzig Warehouse (LEJ)", sku, qty: 2, reference, bookAgain: true });
    await expect(result).toContainText(`Received 2 × ${sku}`);
    await expect(page.getByTestId("receive-override")).toHaveCount(0);
  });
});

test.describe("agent", () => {
  test.use({ storageState: authFile("agent") });

  test("the routing preview says where it placed the address: an accentless city is found, an unknown one is approximated from the country and said so", async ({ page }) => {
    const { sku } = pick<{ sku: string }>("SELECT p.sku FROM products p JOIN inventory i ON i.product_id = p.id WHERE i.on_hand - i.reserved - i.safety_stock > 0 ORDER BY p.id LIMIT 1");
    const preview = new PreviewPage(page);
    await preview.goto();
    await preview.preview({ sku, qty: 1, country: "ES", city: "Malaga" });
    await expect(preview.shipTo()).toHaveText("Ship-to placed at Málaga, ES.");
    await expect(preview.warnings().filter({ hasText: "approximated" })).toHaveCount(0);

    await preview.preview({ sku, qty: 1, country: "ES", city: "Springfield" });
    await expect(preview.shipTo()).toHaveText("Ship-to placed at Spain (ES) (by country only).");
    await expect(preview.warnings().filter({ hasText: "approximated from the centre of Spain (ES)" })).toHaveCount(1);
  });

  test("an over-long search says the limit, and a page link we did not make says so instead of showing page one", async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto(`?q=${"x".repeat(250)}`);
    await expect(page.getByTestId("search-error")).toContainText("Search for at most 200 characters");
    await orders.goto("?after=yesterday.7");
    await expect(page.getByTestId("page-cursor-error")).toContainText("This page link is not valid");
    await expect(page.getByTestId("orders-table")).toHaveCount(0);
  });
});

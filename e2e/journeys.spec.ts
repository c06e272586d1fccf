import { test, expect, type Browser } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { OrdersPage } from "./pages/orders-page.ts";
import { OrderPage } from "./pages/order-page.ts";
import { RoutingPage } from "./pages/routing-page.ts";
import { RefundsPage } from "./pages/refunds-page.ts";
import { AlertsPage } from "./pages/alerts-page.ts";
import type { Role } from "../db/schema/auth.ts";

/** One journey per role, each ending in a screenshot under e2e/artifacts/ (git-ignored). */
const shot = (name: string) => ({ path: path.resolve("e2e/artifacts", `${name}.png`), fullPage: true });

async function as(browser: Browser, role: Role) {
  const context = await browser.newContext({ storageState: authFile(role) });
  return { page: await context.newPage(), close: () => context.close() };
}

test.describe("agent", () => {
  test.use({ storageState: authFile("agent") });

  test("searches for an order, opens it and cancels it", async ({ page }) => {
    const { number } = pick<{ number: string }>(`
      SELECT o.number FROM orders o WHERE o.status = 'awaiting_fulfillment'
        AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status NOT IN ('pending', 'cancelled'))
      ORDER BY o.id DESC LIMIT 1`);
    const orders = new OrdersPage(page);
    await orders.goto();
    await page.getByTestId("orders-search-input").fill(number);
    const hit = page.getByTestId("search-result").filter({ hasText: number }).first();
    await hit.getByRole("link").click();
    const order = new OrderPage(page);
    await expect(page.getByTestId("order-number")).toHaveText(number);

    await page.getByRole("button", { name: "Cancel order…" }).click();
    const dialog = page.getByTestId("cancel-order-dialog");
    await dialog.getByLabel("Reason (required)").fill("Customer ordered twice");
    await dialog.getByRole("button", { name: "Cancel the order" }).click();
    await expect(dialog).toBeHidden();
    await expect(order.status()).toHaveAttribute("data-status", "cancelled");
    await expect(order.timelineEntries().filter({ hasText: "Customer ordered twice" }).first()).toBeVisible();
    await page.screenshot(shot("agent-cancels-order"));
  });
});

test.describe("warehouse lead", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("reviews routing: the decisions, a decision's candidates and the backorder queue", async ({ page }) => {
    const routing = new RoutingPage(page);
    await routing.goto();
    await expect(routing.decisionRows().first()).toBeVisible();
    await page.screenshot(shot("lead-routing"));
    const decision = await routing.openDecision(routing.decisionRows().first());
    await expect(decision.explanation()).not.toBeEmpty();
    await expect(decision.candidates().first()).toBeVisible();
    await page.screenshot(shot("lead-routing-decision"));
  });
});

test.describe("finance", () => {
  test.use({ storageState: authFile("finance") });

  test("approves a refund from the queue, filters the history and downloads exactly the filtered set as CSV", async ({ page, browser }) => {
    // An agent asks for a refund over the limit: it waits in finance's queue.
    const { number } = pick<{ number: string }>(`
      SELECT number FROM orders WHERE status = 'delivered' AND paid - refunded > 20000 AND currency = 'EUR'
        AND id NOT IN (SELECT order_id FROM refunds)
        AND id NOT IN (SELECT id FROM orders WHERE status = 'delivered' ORDER BY placed_at DESC, id DESC LIMIT 5) -- the orders list's newest, other specs open them
      ORDER BY id DESC LIMIT 1`);
    const agent = await as(browser, "agent");
    await new OrderPage(agent.page).goto(number);
    await agent.page.getByRole("button", { name: "Refund…" }).click();
    const ask = agent.page.getByTestId("refund-dialog");
    await ask.getByLabel(/Amount/).fill("175.00");
    await ask.getByLabel("Reason (required)").fill("Arrived broken");
    await ask.getByRole("button", { name: "Ask finance to approve" }).click();
    await expect(ask).toBeHidden();
    await agent.close();

    const refunds = new RefundsPage(page);
    await refunds.goto();
    // The queue is long and oldest first: finance finds the new request by its order number.
    await refunds.searchQueue({ search: number });
    await expect(refunds.queue()).toHaveCount(1);
    const queued = refunds.queue().filter({ hasText: number });
    await expect(queued).toContainText("€175.00");
    await expect(queued.getByTestId("limit-standing")).toHaveAttribute("data-over", "true");
    await queued.getByRole("textbox").fill("Photos confirm the damage");
    await queued.getByRole("button", { name: "Approve and pay out" }).click();
    // Said above the queue, which outlives the row: the decided refund leaves the queue on refresh.
    await expect(refunds.page.getByTestId("queue-decisions")).toContainText(`€175.00 on ${number}: approved, being paid out.`);
    await expect(queued).toHaveCount(0);

    await refunds.filter({ status: "Succeeded", min: "100.00" });
    await expect(page).toHaveURL(/[?&]status=succeeded/);
    await expect(page).toHaveURL(/[?&]min=100\.00/);
    const rows = refunds.rows();
    await expect(rows.first()).toBeVisible();
    await expect(page.getByTestId("page-older")).toHaveCount(0); // the whole filtered set is on this page
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => ({ id: tr.getAttribute("data-refund-id")!, order: tr.querySelector("a")!.textContent!.trim() })));
    expect(shown.map((r) => r.order)).toContain(number);
    const counted = (await refunds.page.getByTestId("total-count").allTextContents()).reduce((n, t) => n + Number(t.replace(/\D/g, "")), 0);
    expect(counted).toBe(shown.length);
    await page.screenshot(shot("finance-refunds"));

    const [download] = await Promise.all([page.waitForEvent("download"), refunds.exportLink().click()]);
    expect(download.suggestedFilename()).toMatch(/^refunds_all-dates_to_\d{4}-\d{2}-\d{2}_succeeded\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^refund_id,created_at_utc,order_number,/);
    const records = lines.slice(1).map((l) => l.split(","));
    expect(records.map((r) => r[0])).toEqual(shown.map((r) => r.id));
    expect(records.map((r) => r[2])).toEqual(shown.map((r) => r.order));
    for (const r of records) expect(r).toContain("succeeded");
  });
});

test.describe("manager", () => {
  test.use({ storageState: authFile("manager") });

  test("evaluates alerts, acknowledges one with a note and opens its order", async ({ page }) => {
    const alerts = new AlertsPage(page);
    await alerts.goto();
    await alerts.evaluateNow();
    const row = alerts.rows().filter({ has: page.locator('[data-status="open"]') }).first();
    await expect(row).toBeVisible();
    const id = await row.getAttribute("data-alert-id");
    await alerts.acknowledge(row, "Called the warehouse; shipping tomorrow");
    const acked = page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
    // One row per order: every alert of the order is acknowledged with the one note.
    await expect(acked.locator('[data-status="acknowledged"]').first()).toBeVisible();
    await expect(acked.locator('[data-status="open"]')).toHaveCount(0);
    await expect(acked.getByTestId("alert-owner")).toHaveText("Daniel Weber");
    await expect(acked).toContainText("Called the warehouse; shipping tomorrow");
    await expect(page.getByTestId("alert-count")).toBeVisible();
    await page.screenshot(shot("manager-alerts"));

    const number = (await acked.getByRole("link").first().textContent())!.trim();
    await acked.getByRole("link").first().click();
    await expect(page.getByTestId("order-number")).toHaveText(number);
    await page.goto("/alerts/metrics");
    await expect(page.getByTestId("chart-orders-by-status").locator("svg").first()).toBeVisible();
    await page.screenshot(shot("manager-metrics"));
  });
});

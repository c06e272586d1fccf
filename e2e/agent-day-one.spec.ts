import { test, expect, type Page } from "@playwright/test";
import path from "node:path";
import { authFile } from "./roles.ts";
import { e2eDb, pick } from "./fixtures-db.ts";
import { OrdersPage } from "./pages/orders-page.ts";

const shot = (name: string) => ({ path: path.resolve("e2e/artifacts", `${name}.png`), fullPage: true });

/** Swaps two different letters near the middle: "garcia" -> "gacria"; the surname as a caller spells it. */
function typo(word: string): string {
  for (let i = Math.floor(word.length / 2); i < word.length; i++) {
    if (word[i] !== word[i - 1]) return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
  }
  throw new Error(`no typo to make in ${word}`);
}

type Target = { number: string; customerId: number; name: string; last: string; city: string; productWord: string; namesakes: number };

/**
 * An order the agent can cancel one item of (every shipment pending, two or more open units), whose
 * customer shares their surname with at least two other customers, and a word of its first product.
 */
function namesakeOrder(): Target {
  const db = e2eDb();
  try {
    const customers = db.prepare("SELECT id, name FROM customers").all() as { id: number; name: string }[];
    const bySurname = new Map<string, number>();
    const surname = (name: string) => name.split(" ").at(-1)!.toLowerCase();
    for (const c of customers) bySurname.set(surname(c.name), (bySurname.get(surname(c.name)) ?? 0) + 1);
    const rows = db
      .prepare(
        `SELECT o.number, c.id AS customerId, c.name, a.city,
                (SELECT l.name FROM order_lines l WHERE l.order_id = o.id ORDER BY l.id LIMIT 1) AS product
         FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id
         WHERE o.status = 'awaiting_fulfillment' AND o.ship_complete = 0
           AND EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)
           AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status NOT IN ('pending', 'cancelled'))
           AND (SELECT sum(qty_ordered - qty_cancelled) FROM order_lines l WHERE l.order_id = o.id) >= 2
         ORDER BY o.id DESC`,
      )
      .all() as { number: string; customerId: number; name: string; city: string; product: string }[];
    for (const r of rows) {
      const last = r.name.split(" ").at(-1)!;
      const productWord = r.product.split(/[\s—,]+/).find((w) => /^\p{L}{5,}$/u.test(w));
      const namesakes = bySurname.get(last.toLowerCase()) ?? 0;
      if (namesakes >= 3 && last.length >= 5 && productWord) return { number: r.number, customerId: r.customerId, name: r.name, last, city: r.city, productWord, namesakes };
    }
    throw new Error("No e2e order has a customer with namesakes");
  } finally {
    db.close();
  }
}

/** Counts what the agent does on the page: every click, fill and key press. */
function counted() {
  let n = 0;
  return {
    get actions() {
      return n;
    },
    async click(locator: ReturnType<Page["locator"]>) {
      n++;
      await locator.click();
    },
    async fill(locator: ReturnType<Page["locator"]>, text: string) {
      n++;
      await locator.fill(text);
    },
  };
}

test.describe("agent's first day", () => {
  test.use({ storageState: authFile("agent") });

  test("agent: a caller with a typo'd name (+ product) finds the right order among namesakes and cancels one item", async ({ page }) => {
    const t = namesakeOrder();
    const agent = counted();
    const orders = new OrdersPage(page);
    await orders.goto();
    const box = page.getByTestId("orders-search-input");

    // The surname alone, spelt right: the caller's namesakes are all there.
    await box.fill(t.last);
    await expect(page.getByTestId("search-result").first()).toBeVisible();
    const byName = new Set(await page.getByTestId("hit-customer").allTextContents());
    expect(byName.size).toBeGreaterThanOrEqual(2);
    const byNameCount = await page.getByTestId("search-result").count();

    // As the caller says it: a misspelt surname and the product.
    const query = `${typo(t.last)} ${t.productWord.toLowerCase()}`;
    expect(query.split(" ")[0]).not.toBe(t.last);
    await agent.fill(box, query);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(query).replace(/%20/g, "(\\+|%20)")}`));
    const target = page.getByTestId("search-result").filter({ has: page.getByTestId("hit-number").getByText(t.number, { exact: true }) });
    await expect(target).toBeVisible();
    // Every hit says who and what: email, city, total and items tell namesakes apart.
    for (const id of ["hit-email", "hit-city", "hit-total", "hit-items"]) await expect(target.getByTestId(id)).toBeVisible();
    await expect(target.getByTestId("hit-city")).toContainText(t.city);
    await expect(target.getByTestId("hit-items")).toContainText(t.productWord);
    // Fewer than the surname alone gave: the product narrowed it.
    expect(await page.getByTestId("search-result").count()).toBeLessThan(byNameCount);
    await page.screenshot(shot("agent-namesakes-search"));

    await agent.click(target.getByRole("link").first());
    await expect(page.getByTestId("order-number")).toHaveText(t.number);
    await expect(page.getByTestId("customer-orders-link")).toBeVisible();

    await agent.click(page.getByRole("button", { name: "Cancel items…" }));
    const dialog = page.getByTestId("cancel-units-dialog");
    await expect(dialog.getByTestId("cancellation-refund-rule")).toContainText("never waits for the agent refund limit");
    await page.screenshot(shot("agent-cancel-items-dialog"));
    await agent.fill(dialog.getByRole("spinbutton").first(), "1");
    await agent.fill(dialog.getByLabel("Reason (required)"), "Caller no longer wants one");
    await agent.click(dialog.getByRole("button", { name: "Cancel these items" }));
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: "1 unit(s) cancelled" })).toBeVisible();
    await page.screenshot(shot("agent-cancelled-one-item"));
    // Search, open, cancel items, one unit, a reason, confirm: nothing more.
    expect(agent.actions).toBeLessThanOrEqual(6);

    // Back returns to the search as it was.
    await page.goBack();
    await expect(box).toHaveValue(query);
    await expect(target).toBeVisible();

    // And so does "← Orders" on the order page.
    await target.getByRole("link").first().click();
    await expect(page.getByTestId("order-number")).toHaveText(t.number);
    await page.getByTestId("back-to-orders").click();
    await expect(box).toHaveValue(query);
    await expect(target).toBeVisible();
  });

  test("a customer's other orders are one click from the order page, and the way back keeps the search", async ({ page }) => {
    const t = namesakeOrder();
    await page.goto(`/orders?q=${encodeURIComponent(t.name)}`);
    await page.getByTestId("search-result").filter({ hasText: t.number }).getByRole("link").first().click();
    await expect(page.getByTestId("order-number")).toHaveText(t.number);
    await page.getByTestId("customer-orders-link").click();
    await expect(page.getByTestId("customer-page-name")).toHaveText(t.name);
    const count = pick<{ n: number }>("SELECT count(*) AS n FROM orders WHERE customer_id = ?", t.customerId).n;
    await expect(page.getByTestId("customer-order-row")).toHaveCount(count);
    await expect(page.getByTestId("customer-email")).toBeVisible();
    await page.getByTestId("back-to-orders").click();
    await expect(page.getByTestId("orders-search-input")).toHaveValue(t.name);
  });

  test("an order the warehouse has started on keeps its cancel button, disabled, with the reason", async ({ page }) => {
    const { number } = pick<{ number: string }>(`
      SELECT o.number FROM orders o WHERE o.status = 'awaiting_fulfillment'
        AND EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status IN ('picking', 'packed'))
      ORDER BY o.id DESC LIMIT 1`);
    await page.goto(`/orders/${number}`);
    const cancel = page.getByRole("button", { name: "Cancel order…" });
    await expect(cancel).toHaveAttribute("aria-disabled", "true");
    await expect(page.getByTestId("why-cancelOrder")).toContainText("the warehouse has started on it");
    await page.screenshot(shot("agent-closed-actions"));
    await expect(cancel).toBeDisabled();
    // Still focusable, so a keyboard user reaches it and hears the reason; pressing it opens nothing.
    await cancel.focus();
    await expect(cancel).toBeFocused();
    await cancel.click({ force: true });
    await expect(page.getByTestId("cancel-order-dialog")).toBeHidden();
  });
});

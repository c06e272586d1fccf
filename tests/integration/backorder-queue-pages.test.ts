// The routing page's backorder queue, one page at a time: every pending backorder exactly once, in SKU then
// FIFO order, each with its position in its SKU's queue and the queue's length counted across pages.
import { afterAll, beforeAll, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { backorderQueue, type BackorderCursor } from "../../db/queries/routing.ts";
import { createOrdersWorld, placeRoutedOrder, type OrdersWorld } from "../support/orders-world.ts";

let w: OrdersWorld;
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  // Nothing in stock: every order waits, interleaved across two SKUs.
  for (let i = 0; i < 9; i++) placeRoutedOrder(w, { lines: [{ product: i % 3 === 0 ? w.product.BLENDER : w.product.KETTLE, qty: 1 + (i % 2) }] });
});
afterAll(() => w.cleanup());

test.each([1, 2, 3, 50])("pages of %i walk the queue once, in order, with positions across pages", (limit) => {
  const expected = w.db.$client
    .prepare(
      `SELECT b.id, p.sku, row_number() OVER (PARTITION BY b.product_id ORDER BY b.created_at, b.id) AS position, count(*) OVER (PARTITION BY b.product_id) AS queued
       FROM backorders b JOIN products p ON p.id = b.product_id WHERE b.status = 'pending' ORDER BY p.sku, b.created_at, b.id`,
    )
    .all() as { id: number; sku: string; position: number; queued: number }[];
  // Queues of more than one per SKU, so positions past a page boundary are counted, not numbered.
  expect(new Set(expected.map((e) => e.sku)).size).toBe(2);
  expect(expected.filter((e) => e.position > 1).length).toBeGreaterThanOrEqual(3);
  const seen: typeof expected = [];
  let after: BackorderCursor | null = null;
  for (let i = 0; i < 20; i++) {
    const page = backorderQueue({ limit, after });
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    seen.push(...page.rows.map((r) => ({ id: r.id, sku: r.sku, position: r.position, queued: r.queued })));
    if (!page.next) break;
    after = page.next;
  }
  expect(seen).toEqual(expected);
});

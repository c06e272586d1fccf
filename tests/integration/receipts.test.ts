import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { asc } from "drizzle-orm";
import { stockReceipts } from "../../db/schema/index.ts";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { receiveStockAction } from "../../app/(ops)/routing/actions.ts";
import { backordersOf, insertProduct, stockRow, type ProductRow } from "../support/routing-world.ts";
import { createOrdersWorld, databaseSnapshot, expectOk, placeRoutedOrder, type OrdersWorld } from "../support/orders-world.ts";

let w: OrdersWorld;
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
});
afterAll(() => w.cleanup());

let n = 0;
const product = (): ProductRow => insertProduct(w.db, { sku: `RC-${++n}`, name: `Received item ${n}`, allowBackorder: true });
const receive = (o: { locationId: number; sku: string; qty: number; reference?: string; override?: boolean }) => runAs(w.users.lead, () => receiveStockAction(o));
const receipts = () => w.db.select().from(stockReceipts).orderBy(asc(stockReceipts.id)).all();

describe("stock receipts are booked once per reference, location and SKU", () => {
  test("booking the same reference at the same location again is refused with a conflict naming when and by whom, and writes nothing", async () => {
    const item = product();
    expectOk(await receive({ locationId: w.loc.RTM, sku: item.sku, qty: 5, reference: "DN-4711" }));
    expect(stockRow(w.db, w.loc.RTM, item.id)).toMatchObject({ onHand: 5 });
    const before = databaseSnapshot(w.db);

    const again = await receive({ locationId: w.loc.RTM, sku: item.sku.toLowerCase(), qty: 5, reference: " dn-4711 " });

    expect(again).toMatchObject({ ok: false, code: "conflict" });
    const message = again.ok ? "" : again.message;
    expect(message).toContain(`Reference DN-4711 was already booked at Rotterdam DC for ${item.sku}: 5 unit(s) on`);
    expect(message).toMatch(/on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by Test warehouse_lead/);
    expect(databaseSnapshot(w.db)).toEqual(before);
    expect(stockRow(w.db, w.loc.RTM, item.id)).toMatchObject({ onHand: 5 });
  });

  test("with the override a second delivery under the same reference is booked, marked as booked again, and fills backorders like any receipt", async () => {
    const item = product();
    const waiting = placeRoutedOrder(w, { lines: [{ product: item, qty: 2 }] });
    expectOk(await receive({ locationId: w.loc.LEJ, sku: item.sku, qty: 1, reference: "PO-88" }));

    const second = expectOk(await receive({ locationId: w.loc.LEJ, sku: item.sku, qty: 1, reference: "PO-88", override: true }));

    expect(second).toMatchObject({ received: 1, onHand: 2 });
    expect(receipts().filter((r) => r.productId === item.id).map((r) => [r.locationId, r.reference, r.qty, r.override, r.actorId])).toEqual([
      [w.loc.LEJ, "PO-88", 1, false, w.users.lead.id],
      [w.loc.LEJ, "PO-88", 1, true, w.users.lead.id],
    ]);
    expect(backordersOf(w.db, waiting.orderId).filter((b) => b.status === "allocated").reduce((s, b) => s + b.qty, 0)).toBe(2);
  });

  test("the same reference for another SKU or at another location is its own receipt", async () => {
    const [a, b] = [product(), product()];
    expectOk(await receive({ locationId: w.loc.RTM, sku: a.sku, qty: 3, reference: "DN-9" }));
    expectOk(await receive({ locationId: w.loc.RTM, sku: b.sku, qty: 3, reference: "DN-9" }));
    expectOk(await receive({ locationId: w.loc.LEJ, sku: a.sku, qty: 3, reference: "DN-9" }));
    // No reference, nothing to compare: booked every time.
    expectOk(await receive({ locationId: w.loc.LEJ, sku: a.sku, qty: 1 }));
    expectOk(await receive({ locationId: w.loc.LEJ, sku: a.sku, qty: 1 }));
    expect(stockRow(w.db, w.loc.RTM, a.id)!.onHand + stockRow(w.db, w.loc.LEJ, a.id)!.onHand).toBe(8);
  });
});

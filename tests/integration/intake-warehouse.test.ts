import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";
import { installSecrets, paymentIntent, routes, send, shopifyOrder, shopifyRequest, stripeEvent, stripeRequest, warehouseRequest, type Handler } from "../support/intake.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import { replayEvent } from "../../lib/intake/replay.ts";

let db: DB;
let cleanup: () => void;
let post: Record<"stripe" | "shopify" | "warehouse", Handler>;

beforeAll(async () => {
  ({ db, cleanup } = await seededAppDatabase({ orders: 120 }));
  installSecrets(db);
  post = await routes();
}, 120_000);
afterAll(() => cleanup?.());

const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
let seq = 7_000_000;
/** An order placed through Shopify, paid through Stripe and routed by the worker: one pending shipment from our stock. */
async function pendingShipment() {
  const id = ++seq;
  const sku = (db.$client.prepare("SELECT p.sku FROM products p JOIN inventory i ON i.product_id = p.id JOIN locations l ON l.id = i.location_id WHERE l.kind <> 'dropship' AND i.on_hand - i.reserved - i.safety_stock > 30 ORDER BY p.id LIMIT 1").get() as { sku: string }).sku;
  await send(post.shopify, shopifyRequest("orders/create", shopifyOrder({ id, email: `wh-${id}@example.test`, lines: [{ sku, qty: 1, price: "19.99" }] })));
  const order = one<{ id: number; number: string; total: number }>("SELECT id, number, total FROM orders WHERE external_ref = ?", `shopify:${id}`);
  await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", paymentIntent({ amount: order.total, currency: "EUR", orderNumber: order.number }))));
  routeBatch(db);
  const s = one<{ id: number; status: string }>("SELECT id, status FROM shipments WHERE order_id = ?", order.id);
  expect(s.status).toBe("pending");
  return { orderId: order.id, number: order.number, shipmentId: s.id };
}

describe("warehouse events (Standard Webhooks, signed with the standardwebhooks package)", () => {
  test("picked, packed, shipped with carrier and tracking, delivered: the shipment and the order follow", async () => {
    const s = await pendingShipment();
    const data = { shipment_id: s.shipmentId, order_number: s.number };
    expect((await send(post.warehouse, warehouseRequest("shipment.picked", data))).body.outcome).toBe("applied");
    expect((await send(post.warehouse, warehouseRequest("shipment.packed", data))).body.outcome).toBe("applied");
    expect((await send(post.warehouse, warehouseRequest("shipment.shipped", { ...data, carrier: "UPS", tracking_number: "1z999aa10123456784" }))).body.outcome).toBe("applied");
    expect(one("SELECT status, carrier, tracking_number AS tracking FROM shipments WHERE id = ?", s.shipmentId)).toEqual({ status: "shipped", carrier: "UPS", tracking: "1Z999AA10123456784" });
    expect(one("SELECT status FROM orders WHERE id = ?", s.orderId)).toEqual({ status: "fulfilled" });
    expect((await send(post.warehouse, warehouseRequest("shipment.delivered", data))).body.outcome).toBe("applied");
    expect(one("SELECT status FROM orders WHERE id = ?", s.orderId)).toEqual({ status: "delivered" });
    // A late "picked" changes nothing.
    expect((await send(post.warehouse, warehouseRequest("shipment.picked", data))).body.outcome).toBe("ignored");
  });

  test("delivered before shipped is parked with its reason, then applied when shipped lands (shipped implies picked and packed)", async () => {
    const s = await pendingShipment();
    const data = { shipment_id: s.shipmentId, order_number: s.number };
    const early = await send(post.warehouse, warehouseRequest("shipment.delivered", data));
    expect(early.body).toMatchObject({ outcome: "parked", reason: expect.stringContaining("delivered waits for shipped") });
    expect(one("SELECT status FROM shipments WHERE id = ?", s.shipmentId)).toEqual({ status: "pending" });
    expect((await send(post.warehouse, warehouseRequest("shipment.shipped", { ...data, carrier: "DHL", tracking_number: "JD0002" }))).body.outcome).toBe("applied");
    expect(one("SELECT status FROM shipments WHERE id = ?", s.shipmentId)).toEqual({ status: "delivered" });
    expect(one("SELECT status FROM orders WHERE id = ?", s.orderId)).toEqual({ status: "delivered" });
    expect(db.$client.prepare("SELECT to_status AS t FROM audit_events WHERE entity_type = 'shipment' AND entity_id = ? ORDER BY id").all(s.shipmentId)).toEqual([{ t: "picking" }, { t: "packed" }, { t: "shipped" }, { t: "delivered" }]);
  });

  test("an event refused half-way leaves nothing half-applied: shipped without a tracking number does not leave the shipment picked or packed", async () => {
    const s = await pendingShipment();
    const before = one("SELECT (SELECT status FROM shipments WHERE id = ?) AS shipment, (SELECT version FROM orders WHERE id = ?) AS version, (SELECT count(*) FROM audit_events) AS audit, (SELECT count(*) FROM outbox) AS outbox", s.shipmentId, s.orderId);
    const res = await send(post.warehouse, warehouseRequest("shipment.shipped", { shipment_id: s.shipmentId, order_number: s.number, carrier: "DHL" }));
    expect(res).toMatchObject({ status: 422, body: { outcome: "rejected", message: "Shipping needs a carrier and a tracking number." } });
    expect(one("SELECT (SELECT status FROM shipments WHERE id = ?) AS shipment, (SELECT version FROM orders WHERE id = ?) AS version, (SELECT count(*) FROM audit_events) AS audit, (SELECT count(*) FROM outbox) AS outbox", s.shipmentId, s.orderId)).toEqual(before);
  });

  test("stock received goes through restock: the oldest pending backorder of the SKU is filled first", async () => {
    const b = one<{ id: number; sku: string; qty: number } | undefined>(
      `SELECT b.id, p.sku, b.qty FROM backorders b JOIN products p ON p.id = b.product_id JOIN orders o ON o.id = b.order_id
       WHERE b.status = 'pending' AND b.customer_choice <> 'cancel' AND o.status IN ('awaiting_fulfillment', 'partially_fulfilled') AND o.ship_complete = 0
       ORDER BY b.created_at, b.id LIMIT 1`,
    );
    expect(b, "the seed has a pending backorder").toBeDefined();
    const location = one<{ code: string }>("SELECT code FROM locations WHERE kind = 'warehouse' AND active = 1 ORDER BY priority, id LIMIT 1");
    const res = await send(post.warehouse, warehouseRequest("stock.received", { location_code: location.code, sku: b!.sku, qty: b!.qty + 50, reference: "PO-4711" }));
    expect(res.body.outcome).toBe("applied");
    expect(one("SELECT status FROM backorders WHERE id = ?", b!.id)).toEqual({ status: "allocated" });
  });

  test("a wrong or stale signature is a 401 and writes nothing; an unknown shipment is a rejection an admin can replay (audited)", async () => {
    const s = await pendingShipment();
    const before = tableCounts(db);
    const wrong = `whsec_${Buffer.from("not-the-warehouse-key-at-all-00000").toString("base64")}`;
    expect((await send(post.warehouse, warehouseRequest("shipment.picked", { shipment_id: s.shipmentId, order_number: s.number }, { secret: wrong }))).status).toBe(401);
    expect((await send(post.warehouse, warehouseRequest("shipment.picked", { shipment_id: s.shipmentId, order_number: s.number }, { timestamp: new Date(Date.now() - 10 * 60_000) }))).status).toBe(401);
    expect(tableCounts(db)).toEqual(before);

    const res = await send(post.warehouse, warehouseRequest("shipment.picked", { shipment_id: 99_999_999, order_number: s.number }));
    expect(res).toMatchObject({ status: 422, body: { outcome: "rejected", message: `Shipment #99999999 is not on ${s.number}.` } });
    const row = one<{ id: number }>("SELECT id FROM webhook_events WHERE event_id = ?", res.body.eventId);
    const replayed = db.transaction((tx) => replayEvent(tx, { eventId: row.id, actor: { id: 1, label: "Admin" }, at: Date.now() }));
    expect(replayed.outcome).toBe("rejected");
    expect(one("SELECT action, to_status AS toStatus FROM audit_events WHERE entity_type = 'webhook_event' AND entity_id = ?", row.id)).toEqual({ action: "webhook_replayed", toStatus: "rejected" });
    expect(one("SELECT attempts FROM webhook_events WHERE id = ?", row.id)).toEqual({ attempts: 2 });
  });
});

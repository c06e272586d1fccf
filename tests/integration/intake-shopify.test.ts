import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";
import { installSecrets, paymentIntent, routes, send, SECRETS, shopify, shopifyOrder, shopifyRequest, stripeEvent, stripeRequest, type Handler } from "../support/intake.ts";
import { verifyShopify } from "../../lib/intake/verify/shopify.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";
import { retryParkedEvents } from "../../lib/intake/parked.ts";

let db: DB;
let cleanup: () => void;
let post: Record<"stripe" | "shopify" | "warehouse", Handler>;
let sku: string;
let other: string;
let seq = 6_000_000;

beforeAll(async () => {
  ({ db, cleanup } = await seededAppDatabase({ orders: 40 }));
  installSecrets(db);
  post = await routes();
  const skus = db.$client
    .prepare("SELECT p.sku FROM products p JOIN inventory i ON i.product_id = p.id JOIN locations l ON l.id = i.location_id WHERE l.kind <> 'dropship' GROUP BY p.id HAVING max(i.on_hand - i.reserved - i.safety_stock) > 30 ORDER BY p.id LIMIT 2")
    .all() as { sku: string }[];
  [sku, other] = [skus[0]!.sku, skus[1]!.sku];
}, 120_000);
afterAll(() => cleanup?.());

const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
const orderOf = (shopifyId: number) => one<{ id: number; number: string; status: string; total: number; customerId: number; subtotal: number } | undefined>(
  "SELECT id, number, status, total, customer_id AS customerId, subtotal FROM orders WHERE external_ref = ?",
  `shopify:${shopifyId}`,
);

describe("Shopify: verification", () => {
  test("our reading of X-Shopify-Hmac-Sha256 agrees with @shopify/shopify-api's webhooks.validate, for good and tampered bodies", async () => {
    const body = JSON.stringify(shopifyOrder({ id: ++seq, email: "agree@example.test", lines: [{ sku, qty: 1, price: "10.00" }] }));
    const good = shopifyRequest("orders/create", null, { raw: body });
    const theirs = await shopify.webhooks.validate({ rawBody: body, rawRequest: good.clone() });
    const ours = verifyShopify(new TextEncoder().encode(body), good.headers.get("x-shopify-hmac-sha256"), [SECRETS.shopify]);
    expect(theirs.valid).toBe(true);
    expect(ours.ok).toBe(true);
    const tamperedBody = body.replace('"10.00"', '"0.01"');
    const tampered = shopifyRequest("orders/create", null, { raw: tamperedBody, hmac: good.headers.get("x-shopify-hmac-sha256")! });
    expect((await shopify.webhooks.validate({ rawBody: tamperedBody, rawRequest: tampered.clone() })).valid).toBe(false);
    expect(verifyShopify(new TextEncoder().encode(tamperedBody), tampered.headers.get("x-shopify-hmac-sha256"), [SECRETS.shopify]).ok).toBe(false);
    const before = tableCounts(db);
    expect((await send(post.shopify, tampered)).status).toBe(401);
    expect(tableCounts(db)).toEqual(before);
  });
});

describe("Shopify: orders/create", () => {
  test("creates the order with its customer (found by lower-cased email), address and lines; money in exact minor units; numbered after the seed; searchable", async () => {
    const existing = one<{ id: number; email: string }>("SELECT id, email FROM customers ORDER BY id LIMIT 1");
    const maxBefore = one<{ id: number }>("SELECT max(id) AS id FROM orders").id;
    const id = ++seq;
    const body = shopifyOrder({ id, email: `  ${existing.email.toUpperCase()} `, lines: [{ sku, qty: 3, price: "19.99" }, { sku: other, qty: 1, price: "0.10", title: "Gift wrap" }], shipping: "0.20", tax: "12.00" });
    const res = await send(post.shopify, shopifyRequest("orders/create", body));
    expect(res).toMatchObject({ status: 200, body: { outcome: "applied" } });
    const order = one<Record<string, unknown>>("SELECT id, number, status, customer_id AS customerId, currency, subtotal, shipping, tax, total, paid FROM orders WHERE external_ref = ?", `shopify:${id}`);
    expect(order).toEqual({ id: maxBefore + 1, number: `SY-${100000 + maxBefore + 1}`, status: "pending", customerId: existing.id, currency: "EUR", subtotal: 5997 + 10, shipping: 20, tax: 1200, total: 5997 + 10 + 20 + 1200, paid: 0 });
    expect(db.$client.prepare("SELECT sku, qty_ordered AS qty, unit_price AS price, name FROM order_lines WHERE order_id = ? ORDER BY id").all(order.id)).toEqual([
      { sku, qty: 3, price: 1999, name: sku },
      { sku: other, qty: 1, price: 10, name: "Gift wrap" },
    ]);
    expect(one("SELECT a.line1, a.city, a.postcode, a.country FROM addresses a JOIN orders o ON o.ship_address_id = a.id WHERE o.id = ?", order.id)).toEqual({ line1: "Keizersgracht 123", city: "Amsterdam", postcode: "1015 CJ", country: "NL" });
    expect(one("SELECT count(*) AS n FROM search_fts WHERE rowid = ?", order.id)).toEqual({ n: 1 });
    expect(one("SELECT action, actor_label AS actor FROM audit_events WHERE order_id = ? ORDER BY id LIMIT 1", order.id)).toEqual({ action: "created", actor: "Shopify webhook" });

    const fresh = ++seq;
    await send(post.shopify, shopifyRequest("orders/create", shopifyOrder({ id: fresh, email: "New.Customer@Example.TEST", lines: [{ sku, qty: 1, price: "19.99" }], withCoordinates: false })));
    expect(one("SELECT c.email, c.name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.external_ref = ?", `shopify:${fresh}`)).toEqual({ email: "new.customer@example.test", name: "Jane Doe" });
  });

  test("an unknown SKU is a clear rejection that creates nothing; the same webhook id again is a 200 no-op", async () => {
    const before = tableCounts(db);
    const req = () => shopifyRequest("orders/create", shopifyOrder({ id: ++seq, email: "nosku@example.test", lines: [{ sku, qty: 1, price: "1.00" }, { sku: "IPOD2008RED", qty: 1, price: "199.00" }] }), { webhookId: "wh-unknown-sku" });
    const res = await send(post.shopify, req());
    expect(res.status).toBe(422);
    expect(res.body.message).toBe("Unknown SKU: IPOD2008RED. Nothing was created.");
    const after = tableCounts(db);
    expect({ ...after, webhook_events: before.webhook_events }).toEqual(before);
    expect(after.webhook_events).toBe(before.webhook_events! + 1);
    const again = await send(post.shopify, req());
    expect(again).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    expect(tableCounts(db)).toEqual(after);
  });

  test("a malformed price is rejected with the field named; totals that do not add up are rejected", async () => {
    const bad = shopifyOrder({ id: ++seq, email: "bad@example.test", lines: [{ sku, qty: 1, price: "19.999" }] });
    expect((await send(post.shopify, shopifyRequest("orders/create", bad))).body.message).toMatch(/line_items\[0\]\.price "19.999" has more decimals than EUR allows/);
    const off = shopifyOrder({ id: ++seq, email: "off@example.test", lines: [{ sku, qty: 1, price: "19.99" }], total: "30.00" });
    expect((await send(post.shopify, shopifyRequest("orders/create", off))).body.message).toMatch(/Totals do not add up/);
  });
});

describe("Shopify: the rest of an order's life, in any order", () => {
  test("a fulfilment that arrives before the payment waits; the payment routes the order and the fulfilment then ships it", async () => {
    const id = ++seq;
    await send(post.shopify, shopifyRequest("orders/create", shopifyOrder({ id, email: "ship@example.test", lines: [{ sku, qty: 1, price: "19.99" }] })));
    const order = orderOf(id)!;
    const fulfilment = { id: 255858046, order_id: id, status: "success", created_at: "2026-11-28T10:00:00-05:00", service: "manual", tracking_company: "DHL", tracking_number: "JJD000390007", tracking_numbers: ["JJD000390007"], line_items: [{ id: 1, sku, quantity: 1 }] };
    expect((await send(post.shopify, shopifyRequest("fulfillments/create", fulfilment))).body.outcome).toBe("parked");
    expect((await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", paymentIntent({ amount: order.total, currency: "EUR", shopifyOrderId: String(id) }))))).body.outcome).toBe("applied");
    expect(orderOf(id)!.status).toBe("paid");
    routeBatch(db);
    expect(orderOf(id)!.status).toBe("awaiting_fulfillment");
    expect(retryParkedEvents(db).applied).toBe(1);
    expect(orderOf(id)!.status).toBe("fulfilled");
    expect(one("SELECT status, carrier, tracking_number AS tracking FROM shipments WHERE order_id = ?", order.id)).toEqual({ status: "shipped", carrier: "DHL", tracking: "JJD000390007" });
  });

  test("orders/cancelled cancels a pending order; refunds/create records a refund once", async () => {
    const a = ++seq;
    await send(post.shopify, shopifyRequest("orders/create", shopifyOrder({ id: a, email: "cancel@example.test", lines: [{ sku, qty: 1, price: "19.99" }] })));
    expect((await send(post.shopify, shopifyRequest("orders/cancelled", { ...shopifyOrder({ id: a, email: "cancel@example.test", lines: [{ sku, qty: 1, price: "19.99" }] }), cancel_reason: "customer", cancelled_at: "2026-11-28T11:00:00-05:00" }))).body.outcome).toBe("applied");
    expect(orderOf(a)!.status).toBe("cancelled");

    const b = ++seq;
    await send(post.shopify, shopifyRequest("orders/create", shopifyOrder({ id: b, email: "refund@example.test", lines: [{ sku, qty: 2, price: "19.99" }] })));
    const order = orderOf(b)!;
    await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", paymentIntent({ amount: order.total, currency: "EUR", shopifyOrderId: String(b) }))));
    const refund = { id: 509562969, order_id: b, created_at: "2026-11-28T12:00:00-05:00", note: "Damaged in transit", restock: false, refund_line_items: [], transactions: [{ id: 389404469, order_id: b, kind: "refund", gateway: "bogus", status: "success", amount: "19.99", currency: "EUR" }] };
    expect((await send(post.shopify, shopifyRequest("refunds/create", refund))).body.outcome).toBe("applied");
    expect((await send(post.shopify, shopifyRequest("refunds/create", refund))).body.outcome).toBe("ignored");
    expect(db.$client.prepare("SELECT amount, provider_ref AS ref, reason FROM refunds WHERE order_id = ?").all(order.id)).toEqual([{ amount: 1999, ref: "shopify_refund_389404469", reason: "Damaged in transit" }]);
  });
});

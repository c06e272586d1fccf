import { afterAll, beforeAll, describe, expect, test } from "vitest";
import Stripe from "stripe";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";
import { installSecrets, nextId, paymentIntent, routes, send, SECRETS, shopifyOrder, shopifyRequest, stripeEvent, stripeRefund, stripeRequest, type Handler } from "../support/intake.ts";
import { setWebhookSecret } from "../../lib/intake/secrets-admin.ts";

let db: DB;
let cleanup: () => void;
let post: Record<"stripe" | "shopify" | "warehouse", Handler>;
let sku: string;
let shopifySeq = 5_000_100;

beforeAll(async () => {
  ({ db, cleanup } = await seededAppDatabase({ orders: 40 }));
  installSecrets(db);
  post = await routes();
  sku = (db.$client.prepare("SELECT p.sku FROM products p JOIN inventory i ON i.product_id = p.id WHERE i.on_hand - i.reserved - i.safety_stock > 20 ORDER BY p.id LIMIT 1").get() as { sku: string }).sku;
}, 120_000);
afterAll(() => cleanup?.());

const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;

/** A pending order placed through the Shopify route: 2 × 19.99 + 4.95 shipping = 44.93. */
async function pendingOrder() {
  const id = ++shopifySeq;
  const res = await send(post.shopify, shopifyRequest("orders/create", shopifyOrder({ id, email: `stripe-${id}@example.test`, lines: [{ sku, qty: 2, price: "19.99" }] })));
  expect(res.status).toBe(200);
  return one<{ id: number; number: string; total: number; status: string }>("SELECT id, number, total, status FROM orders WHERE external_ref = ?", `shopify:${id}`);
}

describe("Stripe: payment_intent.succeeded", () => {
  test("signed with the stripe package, it pays the order through payment_processing, keeps the payment intent and queues routing", async () => {
    const order = await pendingOrder();
    const pi = paymentIntent({ amount: order.total, currency: "EUR", orderNumber: order.number });
    const res = await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", pi)));
    expect(res).toMatchObject({ status: 200, body: { ok: true, outcome: "applied" } });
    expect(one("SELECT status, paid, payment_intent_id AS pi FROM orders WHERE id = ?", order.id)).toEqual({ status: "paid", paid: 4493, pi: pi.id });
    const path = db.$client.prepare("SELECT from_status AS f, to_status AS t FROM audit_events WHERE order_id = ? AND action = 'status_changed' ORDER BY id").all(order.id);
    expect(path).toEqual([{ f: "pending", t: "payment_processing" }, { f: "payment_processing", t: "paid" }]);
    expect(one("SELECT count(*) AS n FROM jobs WHERE kind = 'route_order' AND key = ? AND done_at IS NULL", `route:${order.id}`)).toEqual({ n: 1 });
    expect(one("SELECT outcome, order_id AS orderId FROM webhook_events WHERE source = 'stripe' AND type = 'payment_intent.succeeded' ORDER BY id DESC LIMIT 1")).toEqual({ outcome: "applied", orderId: order.id });
  });

  test("a wrong signature, a stale timestamp and a replay of the same event write nothing", async () => {
    const order = await pendingOrder();
    const event = stripeEvent("payment_intent.succeeded", paymentIntent({ amount: order.total, currency: "EUR", orderNumber: order.number }));
    const before = tableCounts(db);
    expect((await send(post.stripe, stripeRequest(event, { secret: "whsec_not_ours_at_all_0000" }))).status).toBe(401);
    expect((await send(post.stripe, stripeRequest(event, { timestamp: Math.floor(Date.now() / 1000) - 301 }))).status).toBe(401);
    const tampered = stripeRequest(event, { header: Stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: SECRETS.stripe }), body: JSON.stringify({ ...event, data: { object: { ...event.data.object, amount_received: 1 } } }) });
    expect((await send(post.stripe, tampered)).status).toBe(401);
    expect((await send(post.stripe, new Request("http://localhost/api/webhooks/stripe", { method: "POST", body: JSON.stringify(event) }))).status).toBe(401);
    expect(tableCounts(db)).toEqual(before);
    expect(one("SELECT status FROM orders WHERE id = ?", order.id)).toEqual({ status: "pending" });

    const first = await send(post.stripe, stripeRequest(event));
    expect(first.body.outcome).toBe("applied");
    const afterFirst = tableCounts(db);
    const header = Stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(event), secret: SECRETS.stripe });
    for (let i = 0; i < 2; i++) {
      const again = await send(post.stripe, stripeRequest(event, { header }));
      expect(again).toMatchObject({ status: 200, body: { ok: true, outcome: "duplicate" } });
    }
    expect(tableCounts(db)).toEqual(afterFirst);
    expect(one("SELECT duplicates FROM webhook_events WHERE source = 'stripe' AND event_id = ?", event.id)).toEqual({ duplicates: 2 });
  });

  test("during a secret rotation the old secret is accepted for the grace period, and any of several v1 values may match", async () => {
    const order = await pendingOrder();
    const rotated = "whsec_rotated_secret_fedcba9876543210";
    db.transaction((tx) => setWebhookSecret(tx, { source: "stripe", secret: rotated, actor: { id: null, label: "test" }, at: Date.now() }));
    const event = stripeEvent("payment_intent.succeeded", paymentIntent({ amount: order.total, currency: "EUR", orderNumber: order.number }));
    const payload = JSON.stringify(event);
    const t = Math.floor(Date.now() / 1000);
    const sig = (secret: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t }).split(",v1=")[1]!;
    const header = `t=${t},v1=${sig("whsec_someone_elses_secret_000000")},v1=${sig(rotated)}`;
    expect((await send(post.stripe, stripeRequest(event, { header }))).body.outcome).toBe("applied");
    const old = stripeEvent("payment_intent.payment_failed", paymentIntent({ amount: 100, currency: "EUR", orderNumber: order.number, status: "requires_payment_method" }));
    expect((await send(post.stripe, stripeRequest(old, { secret: SECRETS.stripe }))).status).toBe(200);
    db.$client.prepare("UPDATE webhook_endpoints SET previous_valid_until = ? WHERE source = 'stripe'").run(Date.now() - 1);
    expect((await send(post.stripe, stripeRequest(stripeEvent("payment_intent.payment_failed", old.data.object), { secret: SECRETS.stripe }))).status).toBe(401);
    db.transaction((tx) => setWebhookSecret(tx, { source: "stripe", secret: SECRETS.stripe, actor: { id: null, label: "test" }, at: Date.now() }));
  });
});

describe("Stripe: failures and refunds", () => {
  test("payment_intent.payment_failed is on the timeline and leaves the order payable; a later success pays it", async () => {
    const order = await pendingOrder();
    const failed = paymentIntent({ amount: order.total, currency: "EUR", orderNumber: order.number, status: "requires_payment_method" });
    expect((await send(post.stripe, stripeRequest(stripeEvent("payment_intent.payment_failed", failed)))).body.outcome).toBe("applied");
    expect(one("SELECT status FROM orders WHERE id = ?", order.id)).toEqual({ status: "pending" });
    expect(one<{ reason: string }>("SELECT reason FROM audit_events WHERE order_id = ? AND action = 'payment_failed'", order.id).reason).toContain("Your card was declined.");
    const ok = paymentIntent({ id: failed.id, amount: order.total, currency: "EUR", orderNumber: order.number });
    expect((await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", ok)))).body.outcome).toBe("applied");
    // The failure of an earlier attempt, delivered late, changes nothing.
    const late = await send(post.stripe, stripeRequest(stripeEvent("payment_intent.payment_failed", failed)));
    expect(late.body.outcome).toBe("ignored");
    expect(one("SELECT status FROM orders WHERE id = ?", order.id)).toEqual({ status: "paid" });
  });

  test("charge.refunded and refund.created for the same refund record it once, by provider refund id, matched by payment intent", async () => {
    const order = await pendingOrder();
    const pi = paymentIntent({ amount: order.total, currency: "EUR", orderNumber: order.number });
    await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", pi)));
    const refund = stripeRefund({ paymentIntent: pi.id, amount: 1000, currency: "EUR" });
    const charge = { id: nextId("ch"), object: "charge", amount: order.total, amount_refunded: 1000, currency: "eur", payment_intent: pi.id, refunded: false, refunds: { object: "list", data: [refund], has_more: false } };
    expect((await send(post.stripe, stripeRequest(stripeEvent("charge.refunded", charge)))).body.outcome).toBe("applied");
    expect((await send(post.stripe, stripeRequest(stripeEvent("refund.created", refund)))).body.outcome).toBe("ignored");
    expect(db.$client.prepare("SELECT amount, status, kind, provider_ref AS ref FROM refunds WHERE order_id = ?").all(order.id)).toEqual([{ amount: 1000, status: "succeeded", kind: "amount", ref: refund.id }]);
    expect(one("SELECT paid, refunded FROM orders WHERE id = ?", order.id)).toEqual({ paid: order.total, refunded: 1000 });
  });

  test("a refund that arrives before its payment is parked, then applied in the payment's own transaction", async () => {
    const order = await pendingOrder();
    const pi = paymentIntent({ amount: order.total, currency: "EUR", orderNumber: order.number });
    const refund = stripeRefund({ paymentIntent: pi.id, amount: 500, currency: "EUR" });
    const early = await send(post.stripe, stripeRequest(stripeEvent("refund.created", refund)));
    expect(early).toMatchObject({ status: 200, body: { outcome: "parked" } });
    expect(one("SELECT refunded FROM orders WHERE id = ?", order.id)).toEqual({ refunded: 0 });
    expect((await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", pi)))).body.outcome).toBe("applied");
    expect(one("SELECT status, refunded FROM orders WHERE id = ?", order.id)).toEqual({ status: "paid", refunded: 500 });
    expect(one("SELECT outcome, order_id AS orderId FROM webhook_events WHERE source = 'stripe' AND event_id LIKE 'evt_%' AND type = 'refund.created' AND payload LIKE ?", `%${refund.id}%`)).toEqual({ outcome: "applied", orderId: order.id });
  });

  test("a payment that does not match the order total is rejected with its reason, stored, and changes nothing", async () => {
    const order = await pendingOrder();
    const before = one("SELECT status, paid, version FROM orders WHERE id = ?", order.id);
    const res = await send(post.stripe, stripeRequest(stripeEvent("payment_intent.succeeded", paymentIntent({ amount: order.total - 1, currency: "EUR", orderNumber: order.number }))));
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/totals/);
    expect(one("SELECT status, paid, version FROM orders WHERE id = ?", order.id)).toEqual(before);
    expect(one("SELECT outcome, order_id AS orderId FROM webhook_events WHERE event_id = ?", res.body.eventId)).toEqual({ outcome: "rejected", orderId: order.id });
  });

  test("oversized bodies are refused with 413 before parsing; malformed JSON that is signed is a 400 stored with its reason", async () => {
    const before = tableCounts(db);
    const huge = "x".repeat(1024 * 1024 + 1);
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(huge)), c.close()) });
    const res = await post.stripe(new Request("http://localhost/api/webhooks/stripe", { method: "POST", body: stream, duplex: "half" } as RequestInit));
    expect(res.status).toBe(413);
    expect(tableCounts(db)).toEqual(before);
    const bad = await send(post.stripe, stripeRequest(null, { body: '{"id": "evt_broken", "type": ' }));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/Malformed JSON/);
    expect(one<{ outcome: string; error: string }>("SELECT outcome, error FROM webhook_events WHERE event_id = ?", bad.body.eventId)).toMatchObject({ outcome: "rejected" });
  });
});

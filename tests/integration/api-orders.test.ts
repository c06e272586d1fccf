import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";
import { makeApiKey, orderBody, send } from "../support/api.ts";
import { getOrderTimeline } from "../../db/queries/orders.ts";
import { settlePayouts } from "../support/payouts.ts";

let db: DB;
let cleanup: () => void;
let key: string;
let skus: string[];
let refSeq = 0;

beforeAll(async () => {
  ({ db, cleanup } = await seededAppDatabase({ orders: 120 }));
  key = makeApiKey(db, ["orders:read", "orders:write", "orders:cancel"], { name: "Checkout" }).key;
  skus = (db.$client.prepare("SELECT sku FROM products WHERE active = 1 AND currency = 'EUR' ORDER BY id LIMIT 3").all() as { sku: string }[]).map((r) => r.sku);
}, 120_000);
afterAll(() => cleanup?.());

const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
const all = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as T[];
const ref = () => `chk_${process.pid}_${++refSeq}`;

async function placed(o: Parameters<typeof orderBody>[1] = {}) {
  const res = await send("POST", "/api/v1/orders", { key, body: orderBody(skus, o) });
  expect(res.status, res.text).toBe(201);
  return res.json as { number: string; amounts: { total: number }; status: string };
}

describe("POST /api/v1/orders", () => {
  test("places an order through the intake: stored raw as an api event, pending, catalogue prices, audited as the key, on the timeline", async () => {
    const reference = ref();
    const body = orderBody(skus, { external_reference: reference, shipping: 495, tax: 120 });
    const res = await send("POST", "/api/v1/orders", { key, body });
    expect(res.status).toBe(201);
    const number = res.json.number as string;
    expect(res.headers.get("location")).toBe(`/api/v1/orders/${number}`);
    const prices = all<{ sku: string; price: number }>(`SELECT sku, price FROM products WHERE sku IN (${skus.map(() => "?").join(",")})`, ...skus);
    const subtotal = body.lines.reduce((n, l) => n + prices.find((p) => p.sku === l.sku)!.price * l.quantity, 0);
    expect(res.json).toMatchObject({ status: "pending", currency: "EUR", external_reference: reference, amounts: { subtotal, shipping: 495, tax: 120, total: subtotal + 615, paid: 0 } });

    const order = one<{ id: number; status: string; total: number; externalRef: string }>("SELECT id, status, total, external_ref AS externalRef FROM orders WHERE number = ?", number);
    expect(order).toMatchObject({ status: "pending", total: subtotal + 615, externalRef: `api:${reference}` });
    const event = one<{ source: string; type: string; payload: string; outcome: string; orderId: number }>(
      "SELECT source, type, payload, outcome, order_id AS orderId FROM webhook_events WHERE order_id = ? ORDER BY id",
      order.id,
    );
    expect(event).toEqual({ source: "api", type: "POST /api/v1/orders", payload: JSON.stringify(body), outcome: "applied", orderId: order.id });
    expect(one("SELECT action, actor_label AS actor, actor_id AS actorId FROM audit_events WHERE order_id = ? AND action = 'created'", order.id)).toEqual({
      action: "created",
      actor: expect.stringMatching(/^API key "Checkout" \(sy_/),
      actorId: null,
    });
    const timeline = getOrderTimeline({ orderId: order.id });
    expect(timeline.some((t) => t.kind === "webhook" && t.title.includes("Orders API"))).toBe(true);
  });

  test("an unknown SKU is a 422 naming the line; the event is stored as rejected and no order is created", async () => {
    const before = one<{ n: number }>("SELECT count(*) AS n FROM orders").n;
    const res = await send("POST", "/api/v1/orders", { key, body: { ...orderBody(skus), lines: [{ sku: skus[0], quantity: 1 }, { sku: "NO-SUCH-SKU", quantity: 2 }] } });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({ type: "tag:switchyard.dev,2026:problems/unprocessable", title: expect.any(String), status: 422, code: "unprocessable", errors: [{ pointer: "/lines/1/sku" }] });
    expect(one<{ n: number }>("SELECT count(*) AS n FROM orders").n).toBe(before);
    expect(one("SELECT outcome, error FROM webhook_events WHERE source = 'api' ORDER BY id DESC LIMIT 1")).toEqual({ outcome: "rejected", error: expect.stringContaining("NO-SUCH-SKU") });
  });

  test("a currency the catalogue does not sell these SKUs in is a 422 naming /currency", async () => {
    const res = await send("POST", "/api/v1/orders", { key, body: orderBody(skus, { currency: "USD" }) });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: "unprocessable", errors: [{ pointer: "/currency", detail: expect.stringContaining("sold in EUR") }] });
  });

  test("a ship-to country that cannot be placed without coordinates is a 422 naming /ship_to/country; a bad email names /customer/email", async () => {
    const body = orderBody(skus);
    const { latitude: _lat, longitude: _lng, ...noCoordinates } = body.ship_to;
    const nowhere = await send("POST", "/api/v1/orders", { key, body: { ...body, ship_to: { ...noCoordinates, country: "ZZ" } } });
    expect(nowhere.json).toMatchObject({ status: 422, errors: [{ pointer: "/ship_to/country" }] });
    const email = await send("POST", "/api/v1/orders", { key, body: orderBody(skus, { email: "not an email" }) });
    expect(email.json).toMatchObject({ status: 422, errors: [{ pointer: "/customer/email" }] });
  });

  test("a body that does not match the schema is a 400 with a JSON pointer per field, and writes nothing", async () => {
    const before = tableCounts(db);
    const res = await send("POST", "/api/v1/orders", { key, body: { ...orderBody(skus), currency: "XYZ", lines: [{ sku: skus[0], quantity: 0 }], surprise: true } });
    expect(res.status).toBe(400);
    const pointers = (res.json.errors as { pointer: string }[]).map((e) => e.pointer).sort();
    expect(pointers).toEqual(["", "/currency", "/lines/0/quantity"]);
    expect(tableCounts(db)).toEqual(before);
  });

  test("an external_reference used before is a 409 naming the first order", async () => {
    const reference = ref();
    const first = await placed({ external_reference: reference });
    const res = await send("POST", "/api/v1/orders", { key, body: orderBody(skus, { external_reference: reference }) });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: "conflict", order_number: first.number, errors: [{ pointer: "/external_reference" }] });
    expect(one("SELECT count(*) AS n FROM orders WHERE external_ref = ?", `api:${reference}`)).toEqual({ n: 1 });
  });
});

describe("GET /api/v1/orders/{number}", () => {
  test("shows status, lines, amounts, shipments with tracking, refunds and the last events", async () => {
    const o = one<{ id: number; number: string }>(
      `SELECT o.id, o.number FROM orders o WHERE EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.tracking_number IS NOT NULL)
       AND EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) ORDER BY o.id LIMIT 1`,
    );
    const res = await send("GET", `/api/v1/orders/${o.number.toLowerCase()}`, { key });
    expect(res.status).toBe(200);
    const shipments = all<{ id: number; tracking: string }>("SELECT id, tracking_number AS tracking FROM shipments WHERE order_id = ? ORDER BY id", o.id);
    expect(res.json).toMatchObject({ number: o.number, shipments: shipments.map((s) => ({ id: s.id, tracking_number: s.tracking })) });
    expect((res.json.refunds as unknown[]).length).toBe(one<{ n: number }>("SELECT count(*) AS n FROM refunds WHERE order_id = ?", o.id).n);
    const events = res.json.events as { at: string }[];
    expect(events.length).toBeGreaterThan(0);
    expect([...events].sort((a, b) => b.at.localeCompare(a.at))).toEqual(events);
  });

  test("an unknown order is a 404 problem", async () => {
    const res = await send("GET", "/api/v1/orders/SY-999999999", { key });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: "not_found", status: 404, instance: "/api/v1/orders/SY-999999999" });
  });
});

describe("GET /api/v1/orders", () => {
  test("pages newest first with a keyset cursor: orders placed while paging neither repeat nor skip a page", async () => {
    const seen: string[] = [];
    const expected = all<{ number: string }>("SELECT number FROM orders ORDER BY placed_at DESC, id DESC").map((r) => r.number);
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await send("GET", `/api/v1/orders?limit=17${cursor ? `&cursor=${cursor}` : ""}`, { key });
      expect(res.status).toBe(200);
      const page = res.json as { data: { number: string }[]; has_more: boolean; next_cursor: string | null };
      seen.push(...page.data.map((o) => o.number));
      cursor = page.next_cursor;
      expect(page.has_more).toBe(cursor !== null);
      if (pages++ === 1) await placed(); // a new order arrives mid-way
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  test("filters by status and by updated_after", async () => {
    const paid = await send("GET", "/api/v1/orders?status=delivered&limit=100", { key });
    const delivered = one<{ n: number }>("SELECT count(*) AS n FROM orders WHERE status = 'delivered'").n;
    expect((paid.json.data as { status: string }[]).every((o) => o.status === "delivered")).toBe(true);
    expect((paid.json.data as unknown[]).length).toBe(Math.min(delivered, 100));

    const since = new Date(Date.now() - 1_000).toISOString();
    const fresh = await placed();
    const changed = await send("GET", `/api/v1/orders?updated_after=${encodeURIComponent(since)}`, { key });
    expect((changed.json.data as { number: string }[]).map((o) => o.number)).toContain(fresh.number);
    expect((changed.json.data as { updated_at: string }[]).every((o) => o.updated_at > since)).toBe(true);
  });

  test("a bad parameter is a 400 naming it; a repeated one too", async () => {
    for (const q of ["limit=0", "limit=abc", "status=lost", "cursor=x", "updated_after=yesterday", "limit=5&limit=6", "colour=red"]) {
      const res = await send("GET", `/api/v1/orders?${q}`, { key });
      expect(res.status, q).toBe(400);
      expect((res.json.errors as { parameter?: string }[])[0]!.parameter, q).toBeTruthy();
    }
  });
});

describe("POST /api/v1/orders/{number}/payments", () => {
  test("records a captured payment through the intake: paid, routing queued; the same payment again changes nothing", async () => {
    const o = await placed();
    const res = await send("POST", `/api/v1/orders/${o.number}/payments`, { key, body: { amount: o.amounts.total, currency: "EUR", reference: `psp_${o.number}` } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "paid", amounts: { paid: o.amounts.total } });
    const id = one<{ id: number }>("SELECT id FROM orders WHERE number = ?", o.number).id;
    expect(one("SELECT count(*) AS n FROM jobs WHERE kind = 'route_order' AND key = ?", `route:${id}`)).toEqual({ n: 1 });
    expect(one("SELECT type, outcome FROM webhook_events WHERE source = 'api' AND order_id = ? ORDER BY id DESC LIMIT 1", id)).toEqual({ type: `POST /api/v1/orders/${o.number}/payments`, outcome: "applied" });
    const before = tableCounts(db);
    const again = await send("POST", `/api/v1/orders/${o.number}/payments`, { key, body: { amount: o.amounts.total, currency: "EUR", reference: `psp_${o.number}` } });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe("paid");
    const after = tableCounts(db);
    expect({ ...after, webhook_events: 0, idempotency_keys: 0 }).toEqual({ ...before, webhook_events: 0, idempotency_keys: 0 });
  });

  test("a wrong amount is a 422 naming /amount with the order's status; an unknown order a 404", async () => {
    const o = await placed();
    const res = await send("POST", `/api/v1/orders/${o.number}/payments`, { key, body: { amount: o.amounts.total - 1, currency: "EUR", reference: `psp_short_${o.number}` } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ errors: [{ pointer: "/amount" }], current_status: "pending" });
    expect(one("SELECT status, paid FROM orders WHERE number = ?", o.number)).toEqual({ status: "pending", paid: 0 });
    expect((await send("POST", "/api/v1/orders/SY-999999999/payments", { key, body: { amount: 100, currency: "EUR", reference: "psp_none" } })).status).toBe(404);
  });
});

describe("POST /api/v1/orders/{number}/cancel", () => {
  test("cancels through cancelOrder as the dashboard does: cancelled, shipments cancelled, reservations released, what was paid refunded", async () => {
    const o = one<{ id: number; number: string; paid: number }>(
      `SELECT id, number, paid FROM orders o WHERE status = 'awaiting_fulfillment' AND paid > 0
       AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status NOT IN ('pending', 'cancelled')) ORDER BY id LIMIT 1`,
    );
    const reserved = one<{ n: number }>("SELECT coalesce(sum(reserved), 0) AS n FROM inventory").n;
    const res = await send("POST", `/api/v1/orders/${o.number}/cancel`, { key, body: { reason: "customer_requested", note: "changed their mind" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "cancelled" });
    // The refund is paid out after commit by the worker's payments consumer; once it ran, the order says so.
    await settlePayouts(db);
    expect((await send("GET", `/api/v1/orders/${o.number}`, { key })).json).toMatchObject({ status: "cancelled", amounts: { refunded: o.paid } });
    expect(one("SELECT count(*) AS n FROM shipments WHERE order_id = ? AND status <> 'cancelled'", o.id)).toEqual({ n: 0 });
    expect(one<{ n: number }>("SELECT coalesce(sum(reserved), 0) AS n FROM inventory").n).toBeLessThan(reserved);
    expect(one("SELECT actor_label AS actor, reason FROM audit_events WHERE order_id = ? AND to_status = 'cancelled'", o.id)).toEqual({
      actor: expect.stringMatching(/^API key "Checkout"/),
      reason: "Customer asked to cancel (orders API): changed their mind",
    });
  });

  test("an order already shipped is a 409 naming the state it is in, and nothing about it changes", async () => {
    const o = one<{ id: number; number: string; status: string; version: number }>("SELECT id, number, status, version FROM orders WHERE status IN ('fulfilled', 'delivered') ORDER BY id LIMIT 1");
    const res = await send("POST", `/api/v1/orders/${o.number}/cancel`, { key, body: { reason: "customer_requested" } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ status: 409, code: "invalid_transition", current_status: o.status, order_number: o.number });
    expect(one("SELECT status, version FROM orders WHERE id = ?", o.id)).toEqual({ status: o.status, version: o.version });
  });
});

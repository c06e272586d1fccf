import { afterAll, beforeAll, expect, test } from "vitest";
import createClient from "openapi-fetch";
import type { paths } from "../../clients/orders-api-v1.ts";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase } from "../support/app-db.ts";
import { dispatch, makeApiKey } from "../support/api.ts";
import { settlePayouts } from "../support/payouts.ts";

/**
 * A checkout team's code: openapi-fetch typed by the committed clients/orders-api-v1.ts (kept equal to the
 * served document by api-contract.test.ts), so `npx tsc --noEmit` checks these calls against the contract.
 */
let db: DB;
let cleanup: () => void;
let client: ReturnType<typeof createClient<paths>>;
let sku: string;

beforeAll(async () => {
  ({ db, cleanup } = await seededAppDatabase({ orders: 20 }));
  const { key } = makeApiKey(db, ["orders:read", "orders:write", "orders:cancel"], { name: "Typed checkout" });
  client = createClient<paths>({ baseUrl: "http://localhost/api/v1", headers: { authorization: `Bearer ${key}` }, fetch: (req) => dispatch(req) });
  sku = (db.$client.prepare("SELECT sku FROM products WHERE active = 1 AND currency = 'EUR' ORDER BY id LIMIT 1").get() as { sku: string }).sku;
}, 120_000);
afterAll(() => cleanup?.());

test("a checkout places an order twice under one Idempotency-Key, reads it, pays it, lists it and cancels it with the typed client", async () => {
  const body = {
    customer: { email: "lin@example.com", name: "Lin Mei" },
    ship_to: { name: "Lin Mei", line1: "Prinsengracht 263", city: "Amsterdam", postcode: "1016 GV", country: "NL" },
    lines: [{ sku, quantity: 2 }],
    currency: "EUR" as const,
    shipping: 495,
    external_reference: `typed-${process.pid}`,
  };
  const idempotency = { "Idempotency-Key": `typed-${process.pid}-place` };
  const first = await client.POST("/orders", { params: { header: idempotency }, body });
  expect(first.response.status).toBe(201);
  const order = first.data!;
  const again = await client.POST("/orders", { params: { header: idempotency }, body });
  expect(again.response.headers.get("idempotent-replayed")).toBe("true");
  expect(again.data).toEqual(order);

  const read = await client.GET("/orders/{number}", { params: { path: { number: order.number } } });
  expect(read.data).toMatchObject({ number: order.number, status: "pending", lines: [{ sku, quantity: 2 }] });

  const paid = await client.POST("/orders/{number}/payments", {
    params: { path: { number: order.number }, header: { "Idempotency-Key": `typed-${process.pid}-pay` } },
    body: { amount: order.amounts.total, currency: "EUR", reference: `psp_typed_${process.pid}` },
  });
  expect(paid.data?.status).toBe("paid");

  const page = await client.GET("/orders", { params: { query: { status: "paid", limit: 100 } } });
  expect(page.data?.data.map((o) => o.number)).toContain(order.number);

  const cancelled = await client.POST("/orders/{number}/cancel", {
    params: { path: { number: order.number }, header: { "Idempotency-Key": `typed-${process.pid}-cancel` } },
    body: { reason: "customer_requested" },
  });
  expect(cancelled.data).toMatchObject({ status: "cancelled" });
  // Paid out after commit by the worker's payments consumer; then the order reads refunded in full.
  await settlePayouts(db);
  const after = await client.GET("/orders/{number}", { params: { path: { number: order.number } } });
  expect(after.data).toMatchObject({ status: "cancelled", amounts: { refunded: order.amounts.total } });

  const refused = await client.POST("/orders/{number}/cancel", {
    params: { path: { number: order.number }, header: { "Idempotency-Key": `typed-${process.pid}-cancel-again` } },
    body: { reason: "customer_requested" },
  });
  expect(refused.response.status).toBe(409);
  expect(refused.error).toMatchObject({ code: "invalid_transition", current_status: "cancelled" });
});

import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import type Stripe from "stripe";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { requestRefundAction } from "../../app/(ops)/orders/[id]/actions.ts";
import { retryRefundAction } from "../../app/(ops)/refunds/actions.ts";
import { paymentsConsumer } from "../../lib/payments/consumer.ts";
import { simulatedProvider, usePaymentProvider } from "../../lib/payments/provider.ts";
import { stripeProvider } from "../../lib/payments/stripe.ts";
import { deliverNext } from "../../lib/worker/outbox.ts";
import { readCursor, retryNow } from "../../lib/worker/cursors.ts";
import { listRefunds } from "../../db/queries/refunds.ts";
import { current } from "../support/current.ts";
import { auditOf, notificationsOf } from "../support/routing-world.ts";
import { settlePayouts } from "../support/payouts.ts";
import { installSecrets, routes, send, stripeEvent, stripeRequest, type Handler } from "../support/intake.ts";
import { describeStripeMock, STRIPE_MOCK_URL } from "../support/stripe-mock.ts";
import { createOrdersWorld, expectOk, orderOf, placeRoutedOrder, refundsOf, setAgentRefundLimit, stock, type OrdersWorld } from "../support/orders-world.ts";

// Refunds paid through lib/payments/stripe.ts with Stripe's official client against stripe-mock (started by
// `npm test`). stripe-mock is stateless: it validates each request against Stripe's OpenAPI spec, reflects
// what it was sent (amount, payment_intent, the Idempotency-Key header) and answers fixture data otherwise.

const requestRefund = current(requestRefundAction);
const SECRET_KEY = "sk_test_switchyard";

let w: OrdersWorld;
let stripeWebhook: Handler;
let seq = 0;
beforeAll(async () => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  stock(w, w.loc.RTM, w.product.KETTLE, 1_000);
  stock(w, w.loc.RTM, w.product.MUG, 1_000);
  setAgentRefundLimit(w.db, 50_000);
  installSecrets(w.db);
  stripeWebhook = (await routes()).stripe;
});
afterAll(() => {
  usePaymentProvider(simulatedProvider);
  w?.cleanup();
});

/** Stripe's client on stripe-mock, with every response it saw (the client's own `response` events). */
function stripeOn(apiBase = STRIPE_MOCK_URL) {
  const provider = stripeProvider({ secretKey: SECRET_KEY, apiBase, timeoutMs: 5_000 });
  const responses: Stripe.ResponseEvent[] = [];
  const requests: Stripe.RequestEvent[] = [];
  provider.client.on("response", (e: Stripe.ResponseEvent) => responses.push(e));
  provider.client.on("request", (e: Stripe.RequestEvent) => requests.push(e));
  return { provider, responses, requests };
}

let stripe: ReturnType<typeof stripeOn>;
beforeEach(async () => {
  await settlePayouts(w.db); // nothing of an earlier test left in the payments backlog
  stripe = stripeOn();
  usePaymentProvider(stripe.provider);
});

/** A paid order whose payment the intake recorded from Stripe (payment_intent.succeeded), as a Stripe checkout leaves it. */
function paidThroughStripe(o: { withPayment?: boolean } = {}) {
  const order = placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 }, { product: w.product.MUG, qty: 1 }] });
  const pi = `pi_switchyard${process.pid}x${++seq}`;
  if (o.withPayment !== false) recordPayment(order.orderId, pi);
  return { ...order, pi };
}

function recordPayment(orderId: number, pi: string) {
  w.db.$client.prepare("UPDATE orders SET payment_intent_id = ? WHERE id = ?").run(pi, orderId);
}

async function freePortWithNothingOnIt(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describeStripeMock("refunds paid through Stripe (stripe-mock)", () => {
  test("a refund paid by the payments consumer succeeds with Stripe's re_ reference, asked once with the refund's idempotency key", async () => {
    const o = paidThroughStripe();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 3_000, reason: "Late delivery" })));
    expect(stripe.responses).toEqual([]); // nothing leaves inside the request's transaction
    await settlePayouts(w.db);
    await settlePayouts(w.db); // a second pass finds nothing to pay

    // stripe-mock echoes the Idempotency-Key header it received, as Stripe does: the key reached the server.
    expect(stripe.responses).toEqual([expect.objectContaining({ method: "POST", path: "/v1/refunds", status: 200, idempotency_key: `refund-${r.refundId}` })]);
    const [refund] = refundsOf(w.db, o.orderId);
    expect(refund).toMatchObject({ status: "succeeded", providerRef: expect.stringMatching(/^re_\w+$/), failureReason: null });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 3_000 });
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "refund_succeeded", actorLabel: "payment provider", reason: `€30.00 via stripe (${refund!.providerRef})` });
    expect(notificationsOf(w.db, o.orderId).filter((n) => n.kind === "refunded")).toHaveLength(1);
  });

  test("what the adapter sends: the order's payment intent, amount and currency, reflected by stripe-mock's validated answer", async () => {
    const answer = await stripe.provider.client.refunds.create(
      { payment_intent: "pi_reflected", amount: 1_234, currency: "eur", metadata: { switchyard_refund_id: "7" } },
      { idempotencyKey: "refund-7" },
    );
    expect(answer).toMatchObject({ object: "refund", payment_intent: "pi_reflected", amount: 1_234, currency: "eur", status: "succeeded" });
    expect(answer.lastResponse.idempotencyKey).toBe("refund-7");
    // The adapter's own call, with our refund request: Stripe's answer becomes the verdict.
    const verdict = await stripe.provider.refund({ orderId: 1, refundId: 8, amount: 1_234, currency: "EUR", idempotencyKey: "refund-8", paymentRef: "pi_reflected" });
    expect(verdict).toEqual({ status: "succeeded", reference: expect.stringMatching(/^re_/) });
  });

  test("a request Stripe refuses (invalid_request_error, 400) is a failed verdict carrying Stripe's message, not a retry", async () => {
    // Our ledger only holds whole minor units; a fractional amount is a request stripe-mock's validator really refuses.
    const verdict = await stripe.provider.refund({ orderId: 1, refundId: 9, amount: 12.5, currency: "EUR", idempotencyKey: "refund-9", paymentRef: "pi_whatever" });
    expect(stripe.responses).toEqual([expect.objectContaining({ status: 400, idempotency_key: "refund-9" })]);
    expect(verdict).toMatchObject({ status: "failed", reference: "req_123" });
    expect(verdict.message).toMatch(/^Stripe refused the refund: Request validation error: .*object property 'amount' validation failed/);
  });

  test("an order with no Stripe payment fails its refund without a call, shows finance why, and finance's retry pays it once the payment is on record", async () => {
    const o = paidThroughStripe({ withPayment: false });
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 2_000, reason: "Goodwill" })));
    await settlePayouts(w.db);
    expect(stripe.requests).toEqual([]);
    const failure = `Order ${o.orderId} has no Stripe payment on record to refund (no payment intent was captured through Stripe).`;
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "failed", failureReason: failure });
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "refund_failed", toStatus: "failed", reason: `stripe: ${failure}` });
    // What finance sees on /refunds.
    expect(listRefunds({ filters: { status: "failed" } }).rows.find((x) => x.id === r.refundId)).toMatchObject({ status: "failed", failureReason: failure });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 0 });

    recordPayment(o.orderId, o.pi);
    expect(expectOk(await runAs(w.users.finance, () => retryRefundAction({ refundId: r.refundId, note: "Payment found at Stripe" })))).toMatchObject({ status: "approved" });
    await settlePayouts(w.db);
    expect(stripe.responses).toEqual([expect.objectContaining({ path: "/v1/refunds", status: 200, idempotency_key: `refund-${r.refundId}-retry-1` })]);
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "succeeded", providerRef: expect.stringMatching(/^re_/) });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 2_000 });
  });

  test("Stripe out of reach (connection refused) leaves the refund approved; the delivery is retried with the same idempotency key and then pays it", async () => {
    const down = stripeOn(`http://127.0.0.1:${await freePortWithNothingOnIt()}`);
    const consumer = paymentsConsumer(w.db, { provider: () => down.provider });
    const o = paidThroughStripe();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 1_000, reason: "Goodwill" })));
    const pass = await deliverNext(w.db, consumer);
    expect(pass).toMatchObject({ outcome: "failed", error: expect.stringMatching(/connection to Stripe/) });
    expect(down.requests).toEqual([expect.objectContaining({ idempotency_key: `refund-${r.refundId}` })]);
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "approved", providerRef: null });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 0 });
    expect(readCursor(w.db, "payments")).toMatchObject({ attempts: 1, retryAt: expect.any(Number) });

    retryNow(w.db, "payments");
    await settlePayouts(w.db); // Stripe reachable again
    expect(stripe.responses).toEqual([expect.objectContaining({ status: 200, idempotency_key: `refund-${r.refundId}` })]);
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "succeeded", providerRef: expect.stringMatching(/^re_/) });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 1_000 });
  });
});

describeStripeMock("Stripe reports back a refund we paid ourselves (webhook intake)", () => {
  /** The refund object as Stripe's webhook carries it: stripe-mock's answer for our call, with the metadata we sent. */
  async function stripeRefundFor(o: { pi: string }, refundId: number, amount: number) {
    const refund = await stripe.provider.client.refunds.create({ payment_intent: o.pi, amount, currency: "eur", metadata: { switchyard_refund_id: String(refundId) } }, { idempotencyKey: `refund-${refundId}` });
    return { ...refund, metadata: { switchyard_refund_id: String(refundId) } };
  }

  test("after our payout succeeded, charge.refunded and refund.updated for it record no second refund", async () => {
    const o = paidThroughStripe();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 2_500, reason: "Scratched" })));
    await settlePayouts(w.db);
    const ours = refundsOf(w.db, o.orderId)[0]!;
    expect(ours).toMatchObject({ status: "succeeded", providerRef: expect.stringMatching(/^re_/) });
    const refund = { ...(await stripeRefundFor(o, r.refundId, 2_500)), id: ours.providerRef! };
    const charge = { id: "ch_switchyard", object: "charge", amount: o.total, amount_refunded: 2_500, currency: "eur", payment_intent: o.pi, refunds: { object: "list", data: [refund], has_more: false } };

    expect((await send(stripeWebhook, stripeRequest(stripeEvent("charge.refunded", charge))))).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect((await send(stripeWebhook, stripeRequest(stripeEvent("refund.updated", refund))))).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect(refundsOf(w.db, o.orderId)).toHaveLength(1);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 2_500 });
    expect(notificationsOf(w.db, o.orderId).filter((n) => n.kind === "refunded")).toHaveLength(1);
  });

  test("while our payout is still approved, Stripe's refund.created (matched by metadata.switchyard_refund_id) concludes it through the same success writer, and the worker then leaves it alone", async () => {
    const o = paidThroughStripe();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 1_500, reason: "Dented" })));
    // Stripe paid it (our worker's answer not applied yet, e.g. it stopped right after the call).
    const refund = await stripeRefundFor(o, r.refundId, 1_500);
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "approved" });

    expect((await send(stripeWebhook, stripeRequest(stripeEvent("refund.created", refund))))).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect(refundsOf(w.db, o.orderId)).toEqual([expect.objectContaining({ id: r.refundId, status: "succeeded", providerRef: refund.id })]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 1_500 });
    expect(notificationsOf(w.db, o.orderId).filter((n) => n.kind === "refunded")).toHaveLength(1);
    expect(auditOf(w.db, o.orderId).filter((a) => a.action === "refund_succeeded")).toEqual([expect.objectContaining({ entityId: r.refundId, reason: `€15.00 via the provider's webhook (${refund.id})` })]);

    const before = stripe.responses.length;
    await settlePayouts(w.db);
    expect(stripe.responses).toHaveLength(before); // the payout is no longer approved: Stripe is not asked again
    expect((await send(stripeWebhook, stripeRequest(stripeEvent("refund.updated", refund))))).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect(refundsOf(w.db, o.orderId)).toHaveLength(1);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 1_500 });
  });

  test("a payout Stripe answers `pending` keeps its re_ reference and stays approved (owed) until refund.updated says succeeded", async () => {
    const o = paidThroughStripe();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 1_200, reason: "Bank transfer refund" })));
    // stripe-mock always answers `succeeded`; a bank-transfer refund at Stripe answers `pending` first.
    const reference = `re_pending${process.pid}x${r.refundId}`;
    const pending = paymentsConsumer(w.db, { provider: () => ({ name: "stripe", refund: async () => ({ status: "pending", reference }) }) });
    expect(await deliverNext(w.db, pending)).toMatchObject({ outcome: "delivered" });
    expect(refundsOf(w.db, o.orderId)).toEqual([expect.objectContaining({ status: "approved", providerRef: reference })]);
    expect(auditOf(w.db, o.orderId).at(-1)).toMatchObject({ action: "refund_pending", actorLabel: "payment provider" });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 0 });
    expect(notificationsOf(w.db, o.orderId).filter((n) => n.kind === "refunded")).toHaveLength(0);

    const settled = { id: reference, object: "refund", amount: 1_200, currency: "eur", payment_intent: o.pi, status: "succeeded", reason: null, metadata: {} };
    expect(await send(stripeWebhook, stripeRequest(stripeEvent("refund.updated", settled)))).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect(refundsOf(w.db, o.orderId)).toEqual([expect.objectContaining({ id: r.refundId, status: "succeeded", providerRef: reference })]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 1_200 });
    expect(notificationsOf(w.db, o.orderId).filter((n) => n.kind === "refunded")).toHaveLength(1);
  });

  test("a pending payout Stripe then fails (refund.failed) becomes failed with Stripe's reason; finance's retry is a new attempt that a late word about the old one cannot fail", async () => {
    const o = paidThroughStripe();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 800, reason: "Bank transfer refund" })));
    const reference = `re_pendingfail${process.pid}x${r.refundId}`;
    const pending = paymentsConsumer(w.db, { provider: () => ({ name: "stripe", refund: async () => ({ status: "pending", reference }) }) });
    expect(await deliverNext(w.db, pending)).toMatchObject({ outcome: "delivered" });

    const failedAtStripe = { id: reference, object: "refund", amount: 800, currency: "eur", payment_intent: o.pi, status: "failed", failure_reason: "lost_or_stolen_card", metadata: { switchyard_refund_id: String(r.refundId) } };
    expect(await send(stripeWebhook, stripeRequest(stripeEvent("refund.failed", failedAtStripe)))).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect(refundsOf(w.db, o.orderId)).toEqual([expect.objectContaining({ status: "failed", failureReason: `Stripe: refund ${reference} failed (lost or stolen card).` })]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 0 });

    expectOk(await runAs(w.users.finance, () => retryRefundAction({ refundId: r.refundId, note: "Customer gave a new card" })));
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "approved", providerRef: null });
    // Stripe also sends refund.updated for the same failure: it names the old attempt, not the retry.
    expect(await send(stripeWebhook, stripeRequest(stripeEvent("refund.updated", failedAtStripe)))).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "approved" });
    await settlePayouts(w.db);
    expect(stripe.responses).toEqual([expect.objectContaining({ status: 200, idempotency_key: `refund-${r.refundId}-retry-1` })]);
    expect(refundsOf(w.db, o.orderId)[0]).toMatchObject({ status: "succeeded", providerRef: expect.stringMatching(/^re_/) });
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 800 });
  });

  test("a Stripe refund naming our refund with a different amount is refused for a person to check, and writes no refund", async () => {
    const o = paidThroughStripe();
    const r = expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 1_000, reason: "Dented" })));
    const refund = await stripeRefundFor(o, r.refundId, 4_000);
    const res = await send(stripeWebhook, stripeRequest(stripeEvent("refund.created", refund)));
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain(`The provider reports €40.00 as ${refund.id} for our refund ${r.refundId} of €10.00: check it at the provider.`);
    expect(refundsOf(w.db, o.orderId)).toEqual([expect.objectContaining({ id: r.refundId, status: "approved" })]);
    expect(orderOf(w.db, o.orderId)).toMatchObject({ refunded: 0 });
  });
});

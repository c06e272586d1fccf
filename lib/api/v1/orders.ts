import type { z } from "zod";
import { apiOrderByNumber, apiOrderPage, orderNumberById } from "../../../db/queries/api-orders.ts";
import { DomainError } from "../../errors.ts";
import { cancelOrder } from "../../orders/cancel.ts";
import { applyThroughIntake, bodyErrors } from "../intake.ts";
import { jsonAnswer, problemAnswer, type ApiAnswer } from "../problem.ts";
import type { ReadContext, WriteContext } from "../operation.ts";
import { orderSummaryView, orderView } from "./order-view.ts";
import type { OPERATIONS } from "./operations.ts";

type Input<K extends keyof typeof OPERATIONS> = z.output<(typeof OPERATIONS)[K]["input"]>;

const orderPath = (number: string) => `/api/v1/orders/${encodeURIComponent(number)}`;

function orderAnswer(status: number, db: WriteContext["tx"] | ReadContext["db"], number: string, headers: Record<string, string> = {}): ApiAnswer {
  return jsonAnswer(status, orderView(db, number), headers);
}

function findOrder(db: WriteContext["tx"] | ReadContext["db"], number: string) {
  const order = apiOrderByNumber(db, number.toUpperCase());
  if (!order) throw new DomainError("not_found", `There is no order ${number}.`);
  return order;
}

export function placeOrderByApi(_input: Input<"placeOrder">, w: WriteContext): ApiAnswer {
  const answer = applyThroughIntake(w, "POST /api/v1/orders");
  const outcome = answer.body.outcome;
  const number = answer.orderId ? (orderNumberById(w.tx, answer.orderId) ?? null) : null;
  if (outcome === "applied" && number) return orderAnswer(201, w.tx, number, { location: orderPath(number) });
  if (outcome === "ignored" && number) {
    return problemAnswer("conflict", `This external_reference was already used by order ${number}; read it, or place a new order with another reference.`, {
      instance: w.instance,
      orderNumber: number,
      errors: [{ pointer: "/external_reference", detail: `Already used by ${number}.` }],
    });
  }
  if (outcome === "duplicate") {
    return problemAnswer("conflict", "This Idempotency-Key was used more than 24 hours ago; use a new key.", { instance: w.instance, ...(number ? { orderNumber: number } : {}) });
  }
  return problemAnswer("unprocessable", answer.body.message ?? answer.body.reason ?? "The order cannot be placed as sent.", { instance: w.instance, errors: bodyErrors(answer.fields) });
}

export function recordPaymentByApi(input: Input<"recordPayment">, w: WriteContext): ApiAnswer {
  const order = findOrder(w.tx, input.path.number);
  const answer = applyThroughIntake(w, `POST ${orderPath(order.number)}/payments`);
  const outcome = answer.body.outcome;
  if (outcome === "applied" || outcome === "ignored") return orderAnswer(200, w.tx, order.number);
  if (outcome === "duplicate") return problemAnswer("conflict", "This Idempotency-Key was used more than 24 hours ago; use a new key.", { instance: w.instance, orderNumber: order.number });
  const now = apiOrderByNumber(w.tx, order.number)!;
  return problemAnswer("unprocessable", answer.body.message ?? answer.body.reason ?? "The payment cannot be recorded.", {
    instance: w.instance,
    errors: bodyErrors(answer.fields),
    currentStatus: now.status,
    orderNumber: order.number,
  });
}

const REASONS: Record<Input<"cancelOrder">["body"]["reason"], string> = {
  customer_requested: "Customer asked to cancel",
  fraud_suspected: "Suspected fraud",
  payment_failed: "Payment failed",
  out_of_stock: "Out of stock",
  duplicate_order: "Duplicate order",
  other: "Cancelled",
};

/** The dashboard's cancelOrder(); a refusal names the order's current status (already shipped → 409). */
export function cancelOrderByApi(input: Input<"cancelOrder">, w: WriteContext): ApiAnswer {
  const order = findOrder(w.tx, input.path.number);
  const reason = `${REASONS[input.body.reason]} (orders API)${input.body.note ? `: ${input.body.note.trim()}` : ""}`;
  try {
    cancelOrder(w.tx, { orderId: order.id, reason, actor: w.actor, at: w.at });
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.code, error.message, { currentStatus: order.status, orderNumber: order.number });
    throw error;
  }
  return orderAnswer(200, w.tx, order.number);
}

export function readOrderByApi(input: Input<"getOrder">, r: ReadContext): ApiAnswer {
  const view = orderView(r.db, input.path.number);
  if (!view) return problemAnswer("not_found", `There is no order ${input.path.number}.`, { instance: r.instance });
  return jsonAnswer(200, view);
}

const DEFAULT_PAGE_SIZE = 25;

export function listOrdersByApi(input: Input<"listOrders">, r: ReadContext): ApiAnswer {
  const q = input.query;
  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  const [placedAt, id] = q.cursor ? q.cursor.split(".").map(Number) : [];
  const rows = apiOrderPage(r.db, {
    status: q.status,
    updatedAfter: q.updated_after ? Date.parse(q.updated_after) : undefined,
    after: placedAt !== undefined && id !== undefined ? { placedAt, id } : undefined,
    limit,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const hasMore = rows.length > limit;
  return jsonAnswer(200, { data: page.map(orderSummaryView), has_more: hasMore, next_cursor: hasMore && last ? `${last.placedAt}.${last.id}` : null });
}

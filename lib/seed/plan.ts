import type { OrderStatus } from "../../db/schema/orders.ts";
import { weightedPicker, type Rng } from "./random.ts";

/** How an order was routed, decided up front so the lines can be drawn to fit it. */
export type RouteKind = "single" | "split" | "dropship" | "backorder";

/** Phase one of the seed: each order's fate and placement time, before ids are given out. */
export type OrderSkeleton = {
  status: OrderStatus;
  /** The status an order was cancelled from (pending, payment_processing, paid, awaiting_fulfillment). */
  cancelledFrom: OrderStatus | null;
  /** Whether a refunded order was refunded after delivery or while still in transit. */
  refundedFrom: "fulfilled" | "delivered" | null;
  /** Null when the order never reached routing. */
  route: RouteKind | null;
  shipComplete: boolean;
  partialRefund: boolean;
  pendingApproval: boolean;
  partialCancel: boolean;
  placedAt: number;
  draw: number;
};

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MINUTE = 60_000;

const pickStatus = weightedPicker<OrderStatus>([
  ["delivered", 56],
  ["fulfilled", 9],
  ["partially_fulfilled", 2.5],
  ["awaiting_fulfillment", 6],
  ["paid", 1.5],
  ["payment_processing", 1.5],
  ["pending", 2.5],
  ["refunded", 5],
  ["cancelled", 7],
]);
const pickCancelledFrom = weightedPicker<OrderStatus>([
  ["pending", 35],
  ["payment_processing", 20],
  ["paid", 15],
  ["awaiting_fulfillment", 30],
]);
const pickRoute = weightedPicker<RouteKind>([
  ["single", 80],
  ["split", 13],
  ["dropship", 7],
]);
const pickOpenRoute = weightedPicker<RouteKind>([
  ["single", 62],
  ["split", 12],
  ["dropship", 6],
  ["backorder", 20],
]);

/** Time since placement, by final status: open orders are recent, finished ones spread over 90 days. */
function age(rng: Rng, s: OrderSkeleton): number {
  const between = (lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo));
  switch (s.status) {
    case "pending":
      return between(2 * MINUTE, 40 * HOUR);
    case "payment_processing":
      return between(3 * MINUTE, 4 * HOUR);
    case "paid":
      return between(2 * MINUTE, 15 * MINUTE);
    case "awaiting_fulfillment":
      return s.route === "backorder" ? between(1 * DAY, 14 * DAY) : between(30 * MINUTE, 3 * DAY);
    case "partially_fulfilled":
      return between(1 * DAY, 6 * DAY);
    case "fulfilled":
      return between(1 * DAY, 7 * DAY);
    case "delivered":
      return s.pendingApproval ? between(5 * DAY, 20 * DAY) : between(4 * DAY, 90 * DAY);
    case "refunded":
      return between(10 * DAY, 90 * DAY);
    case "cancelled":
      return between(1 * DAY, 90 * DAY);
  }
}

/** The first orders are forced so that every status and every interesting case exists even with ~50 orders. */
const FORCED: readonly Partial<OrderSkeleton>[] = [
  { status: "delivered", partialRefund: true },
  { status: "awaiting_fulfillment", route: "backorder" },
  { status: "cancelled", cancelledFrom: "awaiting_fulfillment" },
  { status: "partially_fulfilled" },
  { status: "refunded", refundedFrom: "delivered" },
  { status: "fulfilled" },
  { status: "paid" },
  { status: "payment_processing" },
  { status: "pending" },
  { status: "delivered", pendingApproval: true },
  { status: "awaiting_fulfillment", route: "dropship" },
  { status: "cancelled", cancelledFrom: "pending" },
  { status: "delivered", partialCancel: true },
  { status: "cancelled", cancelledFrom: "paid" },
  { status: "delivered", shipComplete: true },
];

const ROUTED = new Set<OrderStatus>(["awaiting_fulfillment", "partially_fulfilled", "fulfilled", "delivered", "refunded"]);

/** Draws every order's fate, then sorts by placement so ids and numbers grow with time. */
export function planOrders(rng: Rng, count: number, base: number): OrderSkeleton[] {
  const list: OrderSkeleton[] = [];
  for (let i = 0; i < count; i++) {
    const forced = FORCED[i] ?? {};
    const status = forced.status ?? pickStatus(rng);
    const cancelledFrom = status === "cancelled" ? (forced.cancelledFrom ?? pickCancelledFrom(rng)) : null;
    const refundedFrom = status === "refunded" ? (forced.refundedFrom ?? (rng.chance(0.88) ? "delivered" : "fulfilled")) : null;
    const routed = ROUTED.has(status) || cancelledFrom === "awaiting_fulfillment";
    let route: RouteKind | null = null;
    if (routed) {
      if (status === "partially_fulfilled") route = "split";
      else route = forced.route ?? (status === "awaiting_fulfillment" ? pickOpenRoute(rng) : pickRoute(rng));
    }
    // Ship-complete is the customer's choice at checkout; such an order is never split.
    const shipComplete = forced.shipComplete ?? (status !== "partially_fulfilled" && rng.chance(0.05));
    const late = status === "delivered" || status === "fulfilled" || status === "awaiting_fulfillment";
    const s: OrderSkeleton = {
      status,
      cancelledFrom,
      refundedFrom,
      route: shipComplete && route ? "single" : route,
      shipComplete,
      partialRefund: forced.partialRefund ?? (status === "delivered" && rng.chance(0.05)),
      pendingApproval: forced.pendingApproval ?? (status === "delivered" && rng.chance(0.008)),
      partialCancel: forced.partialCancel ?? (late && route !== "backorder" && rng.chance(0.02)),
      placedAt: 0,
      draw: i,
    };
    s.placedAt = base - age(rng, s);
    list.push(s);
  }
  return list.sort((a, b) => a.placedAt - b.placedAt || a.draw - b.draw);
}

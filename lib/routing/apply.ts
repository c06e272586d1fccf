import { alerts } from "../../db/schema/index.ts";
import { lineNames } from "../../db/queries/notifications.ts";
import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { appendAudit, enqueueOutbox, SYSTEM, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { releaseStock, reserveStock } from "../inventory/reserve.ts";
import { transition } from "../orders/state-machine.ts";
import { notifyCustomer } from "../notify/notify.ts";
import { planRouting } from "./plan.ts";
import { recordDecision } from "./decision.ts";
import { loadRoutingInput, type RoutingReference } from "./snapshot.ts";
import type { RoutingPlan } from "./types.ts";

const MAX_ATTEMPTS = 3;

export type RouteResult = {
  orderId: number;
  outcome: RoutingPlan["outcome"] | "skipped";
  attempts: number;
  reason?: string;
  /** Stock units reserved, for the batch's stock view once the order's savepoint is released. */
  reserved: { locationId: number; productId: number; qty: number }[];
};

/**
 * Routes one paid order inside the caller's transaction: plan from a fresh snapshot, reserve with
 * guarded updates (if another router took the units first, undo this attempt's reservations and
 * re-plan from a fresh snapshot), write shipments,
 * backorders, the decision, audit and outbox rows, and move the order to awaiting_fulfillment.
 */
export function routeOrder(tx: Tx, orderId: number, o: { now: number; actor?: Actor; reference?: RoutingReference }): RouteResult {
  const actor = o.actor ?? SYSTEM;
  for (let attempt = 1; ; attempt++) {
    const input = loadRoutingInput(tx, orderId, o.reference);
    if (!input) return { orderId, outcome: "skipped", attempts: attempt, reason: "order not found", reserved: [] };
    if (input.status !== "paid") return { orderId, outcome: "skipped", attempts: attempt, reason: `order is ${input.status}`, reserved: [] };
    const plan = planRouting(input.order, input.snapshot, { now: o.now });
    try {
      writePlan(tx, plan, { ...input, shipComplete: input.order.shipComplete, now: o.now, actor });
      const reserved = plan.shipments.filter((s) => !s.dropship).flatMap((s) => s.lines.map((l) => ({ locationId: s.locationId, productId: l.productId, qty: l.qty })));
      return { orderId, outcome: plan.outcome, attempts: attempt, reserved };
    } catch (error) {
      if (error instanceof DomainError && error.code === "insufficient_stock" && attempt < MAX_ATTEMPTS) {
        // Someone else took the units: forget what we believed about these SKUs and plan again.
        for (const l of input.order.lines) o.reference?.stock.delete(l.productId);
        continue;
      }
      throw error;
    }
  }
}

/** Reserves every stock unit of the plan before anything else is written, or none: a refusal releases what this call took. */
function reserveAll(tx: Tx, plan: RoutingPlan, at: number): void {
  const taken: { locationId: number; productId: number; qty: number; at: number }[] = [];
  try {
    for (const s of plan.shipments) {
      if (s.dropship) continue;
      for (const l of s.lines) {
        const r = { locationId: s.locationId, productId: l.productId, qty: l.qty, at };
        reserveStock(tx, r);
        taken.push(r);
      }
    }
  } catch (error) {
    for (const r of taken) releaseStock(tx, r);
    throw error;
  }
}

function writePlan(tx: Tx, plan: RoutingPlan, ctx: { shipComplete: boolean; now: number; actor: Actor }): void {
  const { now: at, actor } = ctx;
  const orderId = plan.orderId;
  const shipmentIds: number[] = [];
  const insertShipment = prepared(tx, "INSERT INTO shipments (order_id, location_id, status, dropship, ship_by, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, ?, ?)");
  const insertLine = prepared(tx, "INSERT INTO shipment_lines (shipment_id, order_line_id, qty) VALUES (?, ?, ?)");
  reserveAll(tx, plan, at);
  for (const s of plan.shipments) {
    const id = Number(insertShipment.run(orderId, s.locationId, s.dropship ? 1 : 0, s.shipBy, at, at).lastInsertRowid);
    shipmentIds.push(id);
    for (const l of s.lines) insertLine.run(id, l.orderLineId, l.qty);
  }
  if (plan.backorders.length) {
    const insertBackorder = prepared(
      tx,
      "INSERT INTO backorders (order_id, order_line_id, product_id, qty, status, reason, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 'no stock at routing', ?, ?)",
    );
    for (const b of plan.backorders) insertBackorder.run(orderId, b.orderLineId, b.productId, b.qty, at, at);
    const names = lineNames(tx, plan.backorders.map((b) => b.orderLineId));
    const items = plan.backorders.map((b) => ({ qty: b.qty, name: names.get(b.orderLineId)! }));
    notifyCustomer(tx, { orderId, notice: { kind: "backordered", items, shipComplete: ctx.shipComplete }, at });
  }
  const decisionId = recordDecision(tx, plan, at);
  appendAudit(tx, {
    entityType: "order",
    entityId: orderId,
    orderId,
    actor,
    action: plan.hold ? "routing_held" : "routed",
    reason: plan.explanation.join(" "),
    data: { decisionId, outcome: plan.outcome, shipmentIds },
    at,
  });
  enqueueOutbox(tx, { topic: "order.routed", aggregateType: "order", aggregateId: orderId, payload: { orderId, decisionId, outcome: plan.outcome, shipmentIds }, at });
  if (plan.hold) {
    tx.insert(alerts)
      .values({ rule: "routing_held", subject: `order:${orderId}`, orderId, raisedAt: at, since: at, data: { reason: plan.hold.reason } })
      .onConflictDoNothing()
      .run();
    return;
  }
  // A hold that routing now clears (stock came back) is resolved with it.
  prepared(tx, "UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE rule = 'routing_held' AND subject = ? AND status <> 'resolved'").run(at, `order:${orderId}`);
  transition(tx, { orderId, from: "paid", to: "awaiting_fulfillment", actor, reason: `Routed: ${plan.outcome}`, data: { decisionId }, at });
}

import { alerts, backorders, notifications, routingDecisions, shipmentLines, shipments } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, enqueueOutbox, SYSTEM, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { reserveStock } from "../inventory/reserve.ts";
import { transition } from "../orders/state-machine.ts";
import { planRouting } from "./plan.ts";
import { loadRoutingInput } from "./snapshot.ts";
import type { PlanLocation, RoutingPlan } from "./types.ts";

const MAX_ATTEMPTS = 3;

export type RouteResult = { orderId: number; outcome: RoutingPlan["outcome"] | "skipped"; attempts: number; reason?: string };

/**
 * Routes one paid order inside the caller's transaction: plan from a fresh snapshot, reserve with
 * guarded updates (if another router took the units first, re-plan in a savepoint), write shipments,
 * backorders, the decision, audit and outbox rows, and move the order to awaiting_fulfillment.
 */
export function routeOrder(tx: Tx, orderId: number, o: { now: number; actor?: Actor; locations?: PlanLocation[] }): RouteResult {
  const actor = o.actor ?? SYSTEM;
  for (let attempt = 1; ; attempt++) {
    const input = loadRoutingInput(tx, orderId, o.locations);
    if (!input) return { orderId, outcome: "skipped", attempts: attempt, reason: "order not found" };
    if (input.status !== "paid") return { orderId, outcome: "skipped", attempts: attempt, reason: `order is ${input.status}` };
    const plan = planRouting(input.order, input.snapshot, { now: o.now });
    try {
      tx.transaction((sp) => writePlan(sp, plan, { ...input, now: o.now, actor }));
      return { orderId, outcome: plan.outcome, attempts: attempt };
    } catch (error) {
      if (error instanceof DomainError && error.code === "insufficient_stock" && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}

function writePlan(tx: Tx, plan: RoutingPlan, ctx: { number: string; customerId: number; now: number; actor: Actor }): void {
  const { now: at, actor } = ctx;
  const orderId = plan.orderId;
  const shipmentIds: number[] = [];
  for (const s of plan.shipments) {
    if (!s.dropship) for (const l of s.lines) reserveStock(tx, { locationId: s.locationId, productId: l.productId, qty: l.qty, at });
    const row = tx
      .insert(shipments)
      .values({ orderId, locationId: s.locationId, status: "pending", dropship: s.dropship, shipBy: s.shipBy, createdAt: at, updatedAt: at })
      .returning({ id: shipments.id })
      .get();
    shipmentIds.push(row.id);
    tx.insert(shipmentLines).values(s.lines.map((l) => ({ shipmentId: row.id, orderLineId: l.orderLineId, qty: l.qty }))).run();
  }
  if (plan.backorders.length) {
    tx.insert(backorders)
      .values(plan.backorders.map((b) => ({ orderId, orderLineId: b.orderLineId, productId: b.productId, qty: b.qty, status: "pending" as const, reason: "no stock at routing", createdAt: at, updatedAt: at })))
      .run();
    const items = plan.backorders.map((b) => `${b.qty} × ${b.sku}`).join(", ");
    tx.insert(notifications)
      .values({ orderId, customerId: ctx.customerId, kind: "backordered", subject: `Part of order ${ctx.number} is backordered`, body: `${items} will ship as soon as it is back in stock. Reply to wait or cancel.`, createdAt: at })
      .run();
  }
  const decision = tx
    .insert(routingDecisions)
    .values({
      orderId,
      outcome: plan.outcome,
      split: plan.split,
      dropship: plan.shipments.some((s) => s.dropship),
      backordered: plan.backorders.length > 0,
      held: plan.hold !== null,
      shipmentCount: plan.shipments.length,
      plan,
      createdAt: at,
    })
    .returning({ id: routingDecisions.id })
    .get();
  appendAudit(tx, {
    entityType: "order",
    entityId: orderId,
    orderId,
    actor,
    action: plan.hold ? "routing_held" : "routed",
    reason: plan.explanation.join(" "),
    data: { decisionId: decision.id, outcome: plan.outcome, shipmentIds },
    at,
  });
  enqueueOutbox(tx, { topic: "order.routed", aggregateType: "order", aggregateId: orderId, payload: { orderId, decisionId: decision.id, outcome: plan.outcome, shipmentIds }, at });
  if (plan.hold) {
    tx.insert(alerts)
      .values({ rule: "routing_held", subject: `order:${orderId}`, orderId, raisedAt: at, since: at, data: { reason: plan.hold.reason } })
      .onConflictDoNothing()
      .run();
    return;
  }
  transition(tx, { orderId, from: "paid", to: "awaiting_fulfillment", actor, reason: `Routed: ${plan.outcome}`, data: { decisionId: decision.id }, at });
}

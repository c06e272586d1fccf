import type { Tx } from "../../db/client.ts";
import { json, prepared } from "../../db/raw.ts";
import type { RoutingPlan } from "./types.ts";

/** Stores a plan with its candidates and explanation, for the warehouse lead's decision page. Returns its id. */
export function recordDecision(tx: Tx, plan: RoutingPlan, at: number): number {
  return Number(
    prepared(
      tx,
      "INSERT INTO routing_decisions (order_id, outcome, split, dropship, backordered, held, shipment_count, plan, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      plan.orderId,
      plan.outcome,
      plan.split ? 1 : 0,
      plan.shipments.some((s) => s.dropship) ? 1 : 0,
      plan.backorders.length > 0 ? 1 : 0,
      plan.hold ? 1 : 0,
      plan.shipments.length,
      json(plan),
      at,
    ).lastInsertRowid,
  );
}

import type { Tx } from "../../../db/client.ts";
import type { Actor } from "../../audit.ts";
import { DomainError } from "../../errors.ts";
import { cancelOrder } from "../../orders/cancel.ts";
import { label } from "../../orders/state-machine.ts";
import { IntakeRejection, type DomainEvent, type StepResult } from "../types.ts";
import { describeRef, findOrder, refKey } from "./order-ref.ts";

type Cancelled = Extract<DomainEvent, { kind: "order_cancelled" }>;

/** The storefront cancelled the order: cancelOrder() as an agent's cancel would (shipments, reservations, refund of what was paid). */
export function applyCancellation(tx: Tx, e: Cancelled, actor: Actor, at: number): StepResult {
  const order = findOrder(tx, e.order);
  if (!order) return { outcome: "parked", orderId: null, reason: `Waiting for ${describeRef(e.order)} to be placed.`, waitingFor: refKey(e.order) };
  if (order.status === "cancelled") return { outcome: "ignored", orderId: order.id, reason: `${order.number} is already cancelled.` };
  try {
    cancelOrder(tx, { orderId: order.id, reason: e.reason, actor, at });
  } catch (error) {
    // Shipped or with the warehouse: it will not become cancellable later, so this is for a person to decide.
    if (error instanceof DomainError) throw new IntakeRejection(`${order.number} (${label(order.status)}) cannot be cancelled: ${error.message}`, order.id);
    throw error;
  }
  return { outcome: "applied", orderId: order.id };
}

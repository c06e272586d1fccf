import type { Tx } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import type { OrderStatus } from "../../../db/schema/index.ts";
import { DomainError } from "../../errors.ts";
import { IntakeRejection, type OrderRef } from "../types.ts";

export type IntakeOrder = {
  id: number;
  number: string;
  status: OrderStatus;
  currency: string;
  total: number;
  paid: number;
  refunded: number;
  paymentIntentId: string | null;
  externalRef: string | null;
  version: number;
};

const SELECT = `SELECT id, number, status, currency, total, paid, refunded, payment_intent_id AS paymentIntentId, external_ref AS externalRef, version FROM orders`;
const WHERE: Record<OrderRef["by"], string> = { number: "number = ?", external: "external_ref = ?", payment_intent: "payment_intent_id = ?" };

export function findOrder(tx: Tx, ref: OrderRef): IntakeOrder | undefined {
  return prepared(tx, `${SELECT} WHERE ${WHERE[ref.by]}`).get(ref.by === "number" ? ref.value.toUpperCase() : ref.value) as IntakeOrder | undefined;
}

export function orderById(tx: Tx, id: number): IntakeOrder | undefined {
  return prepared(tx, `${SELECT} WHERE id = ?`).get(id) as IntakeOrder | undefined;
}

/** What a parked event waits for when its order does not exist yet. */
export function refKey(ref: OrderRef): string {
  return ref.by === "number" ? `number:${ref.value.toUpperCase()}` : ref.by === "external" ? `external:${ref.value}` : `pi:${ref.value}`;
}

export const orderKey = (orderId: number) => `order:${orderId}`;

/** Every key a parked event may be waiting on that names this order. */
export function keysOf(o: IntakeOrder): string[] {
  const keys = [orderKey(o.id), `number:${o.number}`];
  if (o.externalRef) keys.push(`external:${o.externalRef}`);
  if (o.paymentIntentId) keys.push(`pi:${o.paymentIntentId}`);
  return keys;
}

export function describeRef(ref: OrderRef): string {
  return ref.by === "number" ? `order ${ref.value}` : ref.by === "external" ? `order ${ref.value}` : `the order paid by ${ref.value}`;
}

/** Runs the part of an adapter that acts on a known order: any refusal is re-thrown naming that order. */
export function onOrder<T>(orderId: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof IntakeRejection && error.orderId === null) throw new IntakeRejection(error.message, orderId, error.fields);
    if (error instanceof DomainError) throw new IntakeRejection(error.message, orderId);
    throw error;
  }
}

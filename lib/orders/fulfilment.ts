import type { OrderStatus, ShipmentStatus } from "../../db/schema/index.ts";

export type FulfilmentLine = { id: number; qtyOrdered: number; qtyCancelled: number };
export type FulfilmentShipment = { status: ShipmentStatus; lines: { orderLineId: number; qty: number }[] };

const SHIPPED: readonly ShipmentStatus[] = ["shipped", "delivered"];

/**
 * The fulfilment status an order's shipments imply (lib/DOMAIN.md): partially_fulfilled once some
 * quantity has shipped and some non-cancelled quantity has not; fulfilled when every non-cancelled
 * unit has shipped; delivered when, on top, every shipment that left has been delivered. Null when
 * nothing has shipped yet (the order stays where it is).
 */
export function derivedFulfilment(lines: FulfilmentLine[], shipments: FulfilmentShipment[]): OrderStatus | null {
  const shipped = new Map<number, number>();
  for (const s of shipments) {
    if (!SHIPPED.includes(s.status)) continue;
    for (const l of s.lines) shipped.set(l.orderLineId, (shipped.get(l.orderLineId) ?? 0) + l.qty);
  }
  const anyShipped = [...shipped.values()].some((q) => q > 0);
  if (!anyShipped) return null;
  const allShipped = lines.every((l) => (shipped.get(l.id) ?? 0) >= l.qtyOrdered - l.qtyCancelled);
  if (!allShipped) return "partially_fulfilled";
  const left = shipments.filter((s) => SHIPPED.includes(s.status));
  return left.every((s) => s.status === "delivered") ? "delivered" : "fulfilled";
}

/** Transitions to walk from the current status to the derived one, following TRANSITIONS. */
export function fulfilmentPath(current: OrderStatus, target: OrderStatus | null): OrderStatus[] {
  if (!target || target === current) return [];
  const order: OrderStatus[] = ["awaiting_fulfillment", "partially_fulfilled", "fulfilled", "delivered"];
  const from = order.indexOf(current);
  const to = order.indexOf(target);
  if (from < 0 || to <= from) return [];
  if (current === "awaiting_fulfillment" && target !== "partially_fulfilled") {
    // awaiting_fulfillment may go straight to fulfilled.
    return target === "fulfilled" ? ["fulfilled"] : ["fulfilled", "delivered"];
  }
  return order.slice(from + 1, to + 1);
}

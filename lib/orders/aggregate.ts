import { asc, eq, inArray } from "drizzle-orm";
import { backorders, orderLines, orders, shipmentLines, shipments } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { DomainError } from "../errors.ts";

/** An order with everything an action decides on, read inside the action's transaction. */
export function loadOrder(tx: Tx, orderId: number) {
  const order = tx.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order) throw new DomainError("not_found", `Order ${orderId} does not exist.`);
  const lines = tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.id)).all();
  const ships = tx.select().from(shipments).where(eq(shipments.orderId, orderId)).orderBy(asc(shipments.id)).all();
  const slines = ships.length ? tx.select().from(shipmentLines).where(inArray(shipmentLines.shipmentId, ships.map((s) => s.id))).all() : [];
  const bos = tx.select().from(backorders).where(eq(backorders.orderId, orderId)).orderBy(asc(backorders.createdAt), asc(backorders.id)).all();
  return {
    order,
    lines,
    shipments: ships.map((s) => ({ ...s, lines: slines.filter((l) => l.shipmentId === s.id) })),
    backorders: bos,
  };
}

export type OrderAggregate = ReturnType<typeof loadOrder>;

/** What the unit rules read of an order: its lines and its shipments' lines (an aggregate or the page's detail). */
type UnitsView = {
  lines: { id: number; qtyOrdered: number; qtyCancelled: number }[];
  shipments: { status: string; lines: { orderLineId: number; qty: number }[] }[];
};

/** Units of a line that are already with the warehouse (picking or later) and can no longer be cancelled. */
function committedUnits(agg: UnitsView, orderLineId: number): number {
  let n = 0;
  for (const s of agg.shipments) {
    if (s.status === "pending" || s.status === "cancelled") continue;
    for (const l of s.lines) if (l.orderLineId === orderLineId) n += l.qty;
  }
  return n;
}

/** Units of a line that may still be cancelled: not cancelled already and not with the warehouse. */
export function cancellableUnits(agg: UnitsView, orderLineId: number): number {
  const line = agg.lines.find((l) => l.id === orderLineId);
  if (!line) return 0;
  return line.qtyOrdered - line.qtyCancelled - committedUnits(agg, orderLineId);
}

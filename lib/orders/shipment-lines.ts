import { and, eq, sql } from "drizzle-orm";
import { shipmentLines, shipments } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import type { OrderAggregate } from "./aggregate.ts";

/** What became of units that left a pending shipment; each has its own history column. */
export type LeftAs = "moved" | "backordered" | "cancelled";

type Shipment = OrderAggregate["shipments"][number];
type Line = Shipment["lines"][number];

const COLUMN = { moved: shipmentLines.qtyMoved, backordered: shipmentLines.qtyBackordered, cancelled: shipmentLines.qtyCancelled } as const;
const FIELD = { moved: "qtyMoved", backordered: "qtyBackordered", cancelled: "qtyCancelled" } as const;

/** Shipment statuses whose units are still to leave: a ship-complete order has at most one such shipment. */
const LIVE_SHIPMENT_STATUSES = ["pending", "picking", "packed"] as const;

export function isLive(s: { status: string }): boolean {
  return (LIVE_SHIPMENT_STATUSES as readonly string[]).includes(s.status);
}

/** The lines that still carry units; emptied lines stay in the table as history. */
export function liveLines<L extends { qty: number }>(lines: L[]): L[] {
  return lines.filter((l) => l.qty > 0);
}

/**
 * Units leave a pending shipment's line: the live quantity drops and the matching history column
 * grows, so the line stays readable as what the shipment once held. A shipment left with no live
 * unit is cancelled (guarded on pending: a shipment picked meanwhile is a conflict). Returns whether it was.
 */
export function takeFromShipment(tx: Tx, s: Shipment, line: Line, qty: number, leftAs: LeftAs, at: number): boolean {
  const column = COLUMN[leftAs];
  const taken = tx
    .update(shipmentLines)
    .set({ qty: sql`${shipmentLines.qty} - ${qty}`, [FIELD[leftAs]]: sql`${column} + ${qty}` })
    .where(and(eq(shipmentLines.id, line.id), sql`${shipmentLines.qty} >= ${qty}`))
    .run().changes;
  if (taken === 0) throw new DomainError("conflict", `Shipment #${s.id} no longer holds ${qty} unit(s) of that line; reload.`);
  line.qty -= qty;
  line[FIELD[leftAs]] += qty;
  const emptied = s.lines.every((l) => l.qty === 0);
  const changed = tx
    .update(shipments)
    .set(emptied ? { status: "cancelled", updatedAt: at } : { updatedAt: at })
    .where(and(eq(shipments.id, s.id), eq(shipments.status, "pending")))
    .run().changes;
  if (changed === 0) throw new DomainError("conflict", `Shipment #${s.id} is no longer pending: the warehouse started on it. Reload.`);
  if (emptied) s.status = "cancelled";
  return emptied;
}

/**
 * Units join the order's pending shipment at a location (same dropship kind, not `except`), or a new
 * pending one due by `shipBy`; audited on that shipment either way. The aggregate learns of a new
 * shipment, so later placements find it.
 */
export function placeUnits(
  tx: Tx,
  agg: OrderAggregate,
  o: {
    locationId: number;
    dropship: boolean;
    shipBy: number;
    lines: { orderLineId: number; qty: number }[];
    except?: number;
    actor: Actor;
    at: number;
    reason: string;
    /** The ship-by the units were promised before they moved: kept on the shipment they join, the earliest promise winning. */
    promisedShipBy?: number;
  },
): Shipment {
  let target = agg.shipments.find((x) => x.locationId === o.locationId && x.status === "pending" && x.dropship === o.dropship && x.id !== o.except);
  const created = !target;
  if (!target) {
    const row = tx
      .insert(shipments)
      .values({ orderId: agg.order.id, locationId: o.locationId, status: "pending", dropship: o.dropship, shipBy: o.shipBy, promisedShipBy: o.promisedShipBy ?? null, createdAt: o.at, updatedAt: o.at })
      .returning()
      .get();
    target = { ...row, lines: [] };
    agg.shipments.push(target);
  } else {
    const before = target.promisedShipBy ?? target.shipBy;
    const promisedShipBy = o.promisedShipBy !== undefined && o.promisedShipBy < before ? o.promisedShipBy : target.promisedShipBy;
    tx.update(shipments).set({ updatedAt: o.at, promisedShipBy }).where(eq(shipments.id, target.id)).run();
    target.promisedShipBy = promisedShipBy;
  }
  for (const l of o.lines) addToLine(tx, target, l.orderLineId, l.qty);
  appendAudit(tx, {
    entityType: "shipment",
    entityId: target.id,
    orderId: agg.order.id,
    actor: o.actor,
    action: created ? "shipment_created" : "shipment_units_added",
    fromStatus: created ? null : "pending",
    toStatus: "pending",
    reason: o.reason,
    data: { locationId: o.locationId, dropship: o.dropship, lines: o.lines },
    at: o.at,
  });
  return target;
}

function addToLine(tx: Tx, s: Shipment, orderLineId: number, qty: number): void {
  const into = s.lines.find((l) => l.orderLineId === orderLineId);
  if (into) {
    tx.update(shipmentLines).set({ qty: sql`${shipmentLines.qty} + ${qty}` }).where(eq(shipmentLines.id, into.id)).run();
    into.qty += qty;
    return;
  }
  s.lines.push(tx.insert(shipmentLines).values({ shipmentId: s.id, orderLineId, qty }).returning().get());
}

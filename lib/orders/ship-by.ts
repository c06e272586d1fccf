/**
 * When a shipment is late: past its ship-by, or past the ship-by it was promised before a move
 * (whichever comes first). The queue's overdue flag, its "overdue" filter and the
 * shipment_past_sla alert rule all read this one definition.
 */
export function dueAt(s: { shipBy: number; promisedShipBy: number | null }): number {
  return s.promisedShipBy !== null && s.promisedShipBy < s.shipBy ? s.promisedShipBy : s.shipBy;
}

export function isOverdue(s: { status: string; shipBy: number; promisedShipBy: number | null }, now: number): boolean {
  return OPEN_SHIPMENT_STATUSES.includes(s.status as OpenShipmentStatus) && now > dueAt(s);
}

/** The same as `dueAt`, for SQL that must not load rows to decide (`alias` is the shipments table's alias). */
export const dueAtSql = (alias: string) => `min(${alias}.ship_by, coalesce(${alias}.promised_ship_by, ${alias}.ship_by))`;

/** Shipments still to leave their location: the warehouse's work queue. */
export const OPEN_SHIPMENT_STATUSES = ["pending", "picking", "packed"] as const;
export type OpenShipmentStatus = (typeof OPEN_SHIPMENT_STATUSES)[number];

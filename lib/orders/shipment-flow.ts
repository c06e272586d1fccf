import type { OrderStatus, ShipmentStatus } from "../../db/schema/index.ts";

/** A shipment's own lifecycle (lib/DOMAIN.md): pending → picking → packed → shipped → delivered. */
export const SHIPMENT_NEXT: Record<ShipmentStatus, ShipmentStatus | null> = {
  pending: "picking",
  picking: "packed",
  packed: "shipped",
  shipped: "delivered",
  delivered: null,
  cancelled: null,
};

/** Order statuses in which shipments may still move, be split or backordered. */
export const SHIPMENTS_MAY_MOVE: readonly OrderStatus[] = ["awaiting_fulfillment", "partially_fulfilled", "fulfilled"];

/** Order statuses in which single units may still be cancelled. */
export const PARTIAL_CANCEL_STATUSES: readonly OrderStatus[] = ["pending", "payment_processing", "paid", "awaiting_fulfillment", "partially_fulfilled"];

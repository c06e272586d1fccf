import { can, type SessionUser } from "../auth/permissions.ts";
import type { OrderStatus, ShipmentStatus } from "../../db/schema/index.ts";
import { canTransition } from "./state-machine.ts";
import { cancellableUnits } from "./aggregate.ts";
import { refundableNow, type Ledger } from "./ledger.ts";
import { PARTIAL_CANCEL_STATUSES, SHIPMENT_NEXT, SHIPMENTS_MAY_MOVE } from "./shipment-flow.ts";

type Detail = Ledger & {
  order: { status: OrderStatus; shipComplete?: boolean };
  shipments: { id: number; status: ShipmentStatus; dropship: boolean; lines: { orderLineId: number; qty: number }[] }[];
  backorders: { id: number; status: string }[];
};


/** Which actions the order page offers this user for this order: role and state together. */
export function orderCapabilities(d: Detail, user: Pick<SessionUser, "role">) {
  const cancellable = Object.fromEntries(d.lines.map((l) => [l.id, Math.max(0, cancellableUnits(d, l.id))]));
  const started = d.shipments.some((s) => s.status !== "pending" && s.status !== "cancelled");
  const refundable = refundableNow(d);
  const moving = SHIPMENTS_MAY_MOVE.includes(d.order.status);
  return {
    cancelOrder: can(user, "orders:cancel") && canTransition(d.order.status, "cancelled") && !started,
    cancelUnits: can(user, "orders:cancel") && PARTIAL_CANCEL_STATUSES.includes(d.order.status) && Object.values(cancellable).some((n) => n > 0),
    cancellable,
    refund: can(user, "refunds:request") && refundable > 0,
    refundable,
    approveRefunds: can(user, "refunds:approve"),
    note: can(user, "orders:note"),
    backorderChoice: can(user, "backorders:record_choice"),
    /** Why a lead sees no split or move here, for the UI; null when nothing stops it. */
    splitRefusal: d.order.shipComplete && can(user, "shipments:split") ? "Ship-complete orders move whole." : null,
    /** Per shipment: the next status a lead may move it to, and whether it can be split or backordered. */
    shipments: Object.fromEntries(
      d.shipments.map((s) => [
        s.id,
        {
          next: can(user, "shipments:advance") && moving ? SHIPMENT_NEXT[s.status] : null,
          split: can(user, "shipments:split") && moving && s.status === "pending" && !s.dropship && !d.order.shipComplete,
          backorder: can(user, "shipments:backorder") && moving && s.status === "pending",
        },
      ]),
    ),
  };
}

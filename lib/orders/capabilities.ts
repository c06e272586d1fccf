import { can, type SessionUser } from "../auth/permissions.ts";
import type { OrderStatus, ShipmentStatus } from "../../db/schema/index.ts";
import { canTransition } from "./state-machine.ts";
import { cancellableUnits } from "./aggregate.ts";
import { refundableNow, waitingTotal, type Ledger } from "./ledger.ts";
import { humanStatus } from "../format.ts";
import { PARTIAL_CANCEL_STATUSES, SHIPMENT_NEXT, SHIPMENTS_MAY_MOVE } from "./shipment-flow.ts";

type Detail = Ledger & {
  order: { status: OrderStatus; shipComplete?: boolean };
  shipments: { id: number; status: ShipmentStatus; dropship: boolean; lines: { orderLineId: number; qty: number }[] }[];
  backorders: { id: number; status: string }[];
};

const SHIPPED: readonly OrderStatus[] = ["fulfilled", "delivered", "refunded"];

/** The first shipment the warehouse has started on (picking, packed, shipped or delivered), if any. */
function startedShipment(d: Detail) {
  return d.shipments.find((s) => s.status !== "pending" && s.status !== "cancelled") ?? null;
}

function startedWords(s: { id: number; status: ShipmentStatus }): string {
  return s.status === "picking" || s.status === "packed" ? `the warehouse has started on it (shipment #${s.id} is ${s.status})` : `shipment #${s.id} has ${s.status === "delivered" ? "been delivered" : "shipped"}`;
}

/** Why the whole order may not be cancelled now, or null when it may (the role aside). */
function cancelOrderRefusal(d: Detail): string | null {
  const status = d.order.status;
  if (status === "cancelled") return "The order is already cancelled.";
  if (SHIPPED.includes(status)) return "The order has shipped: shipped units are refunded or returned, not cancelled.";
  if (status === "partially_fulfilled") return "Part of the order has shipped: cancel the items still pending instead.";
  const started = startedShipment(d);
  if (started) return `Cannot cancel the whole order: ${startedWords(started)}. Cancel the items still pending instead, or ask the warehouse to stop.`;
  if (!canTransition(status, "cancelled")) return `A ${humanStatus(status).toLowerCase()} order cannot be cancelled.`;
  return null;
}

/** Why no item may be cancelled now, or null when some may. */
function cancelUnitsRefusal(d: Detail, cancellable: Record<string, number>): string | null {
  const status = d.order.status;
  if (status === "cancelled") return "The order is already cancelled.";
  if (!PARTIAL_CANCEL_STATUSES.includes(status)) return "The order has shipped: shipped units are refunded or returned, not cancelled.";
  if (Object.values(cancellable).some((n) => n > 0)) return null;
  const started = startedShipment(d);
  return started ? `No units are still pending: ${startedWords(started)}.` : "Every unit is already cancelled.";
}

/** Why a line has no unit to cancel, for the cancel dialog; null when it has some. */
function lineRefusal(d: Detail, line: { id: number; qtyOrdered: number; qtyCancelled: number }, cancellable: number): string | null {
  if (cancellable > 0) return null;
  if (line.qtyCancelled >= line.qtyOrdered) return "all cancelled";
  const withWarehouse = d.shipments.find((s) => s.status !== "pending" && s.status !== "cancelled" && s.lines.some((l) => l.orderLineId === line.id && l.qty > 0));
  return withWarehouse ? (withWarehouse.status === "picking" || withWarehouse.status === "packed" ? `picking started` : `already ${withWarehouse.status}`) : "not cancellable";
}

/** Why nothing can be refunded now, or null when something can. */
function refundRefusal(d: Detail, refundable: number): string | null {
  if (refundable > 0) return null;
  if (d.order.paid <= 0) return "Nothing has been paid yet, so there is nothing to refund.";
  if (d.order.refunded >= d.order.paid) return "Everything paid has been refunded.";
  if (waitingTotal(d) > 0) return "What is left is waiting for finance or being paid out on earlier refund requests.";
  return "What is left is owed for cancelled items and held until finance decides a waiting request.";
}

/** Which actions the order page offers this user for this order: role and state together. */
export function orderCapabilities(d: Detail, user: Pick<SessionUser, "role">) {
  const cancellable = Object.fromEntries(d.lines.map((l) => [l.id, Math.max(0, cancellableUnits(d, l.id))]));
  const refundable = refundableNow(d);
  const moving = SHIPMENTS_MAY_MOVE.includes(d.order.status);
  const mayCancel = can(user, "orders:cancel");
  const mayRefund = can(user, "refunds:request");
  const cancelOrderWhy = mayCancel ? cancelOrderRefusal(d) : null;
  const cancelUnitsWhy = mayCancel ? cancelUnitsRefusal(d, cancellable) : null;
  const refundWhy = mayRefund ? refundRefusal(d, refundable) : null;
  return {
    cancelOrder: mayCancel && cancelOrderWhy === null,
    cancelUnits: mayCancel && cancelUnitsWhy === null,
    cancellable,
    refund: mayRefund && refundWhy === null,
    refundable,
    /**
     * Why an action this role may take is not open on this order now (shown beside the disabled button);
     * null when it is open, or when the role may not take it at all (then there is no button).
     */
    why: { cancelOrder: cancelOrderWhy, cancelUnits: cancelUnitsWhy, refund: refundWhy },
    /** Per line with nothing to cancel: why, for the cancel-items dialog. */
    lineWhy: Object.fromEntries(d.lines.map((l) => [l.id, lineRefusal(d, l, cancellable[l.id] ?? 0)])),
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

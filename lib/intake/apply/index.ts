import type { Tx } from "../../../db/client.ts";
import type { Actor } from "../../audit.ts";
import type { DomainEvent, StepResult } from "../types.ts";
import { placeOrder } from "./order-placed.ts";
import { capturePayment, recordPaymentFailure } from "./payment.ts";
import { recordProviderRefundFailure, recordProviderRefunds } from "./refund.ts";
import { applyCancellation } from "./cancel.ts";
import { progressShipments } from "./shipment.ts";
import { applyStockReceipt } from "./stock.ts";

/** One adapter per domain event: the only place the intake touches the order, payment, fulfilment and stock code. */
export function applyDomainEvent(tx: Tx, e: DomainEvent, actor: Actor, at: number): StepResult {
  switch (e.kind) {
    case "order_placed":
      return placeOrder(tx, e, actor, at);
    case "payment_captured":
      return capturePayment(tx, e, actor, at);
    case "payment_failed":
      return recordPaymentFailure(tx, e, actor, at);
    case "refund_succeeded":
      return recordProviderRefunds(tx, e, actor, at);
    case "refund_failed":
      return recordProviderRefundFailure(tx, e, at);
    case "order_cancelled":
      return applyCancellation(tx, e, actor, at);
    case "shipment_progressed":
      return progressShipments(tx, e, actor, at);
    case "stock_received":
      return applyStockReceipt(tx, e, actor, at);
  }
}

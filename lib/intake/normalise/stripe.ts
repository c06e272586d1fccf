import { SWITCHYARD_REFUND_ID } from "../../payments/provider.ts";
import { currencyOf } from "../money.ts";
import type { DomainEvent, Normalised, OrderRef } from "../types.ts";
import { IntakeRejection } from "../types.ts";
import { arr, int, obj, optStr, str, type Json } from "./read.ts";

/** Stripe events (API objects in `data.object`), read into the closed set of domain events. */
export function normaliseStripe(body: Json): Normalised {
  const type = str(body.type, "type");
  const object = obj(obj(body.data, "data").object, "data.object");
  switch (type) {
    case "payment_intent.succeeded": {
      const pi = str(object.id, "data.object.id");
      return {
        event: { kind: "payment_captured", order: orderRefOf(object, pi), paymentIntentId: pi, amount: int(object.amount_received ?? object.amount, "data.object.amount_received"), currency: currencyOf(object.currency, "data.object.currency") },
      };
    }
    case "payment_intent.payment_failed": {
      const pi = str(object.id, "data.object.id");
      const error = object.last_payment_error as Json | null | undefined;
      return { event: { kind: "payment_failed", order: orderRefOf(object, pi), paymentIntentId: pi, message: optStr(error?.message) ?? optStr(error?.code) ?? "declined" } };
    }
    case "charge.refunded": {
      const pi = str(object.payment_intent, "data.object.payment_intent");
      const list = object.refunds ? arr(obj(object.refunds, "data.object.refunds").data, "data.object.refunds.data") : null;
      // Since API version 2022-11-15 a charge no longer embeds its refunds; refund.created carries each of them then.
      if (!list) return { ignored: "charge.refunded without its refunds list; each refund is recorded from its refund.created event." };
      const refunds = list.map((r, i) => obj(r, `data.object.refunds.data[${i}]`)).filter((r) => r.status === "succeeded");
      if (refunds.length === 0) return { ignored: "No succeeded refund on this charge yet." };
      return { event: refundEvent(pi, refunds) };
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed": {
      if (object.status === "failed" || object.status === "canceled") {
        const id = str(object.id, "data.object.id");
        const why = optStr(object.failure_reason)?.replaceAll("_", " ");
        const message = `Stripe: refund ${id} ${String(object.status)}${why ? ` (${why})` : ""}.`;
        return { event: { kind: "refund_failed", order: { by: "payment_intent", value: str(object.payment_intent, "data.object.payment_intent") }, providerRefundId: id, message } };
      }
      if (object.status !== "succeeded") return { ignored: `Refund ${String(object.id)} is ${String(object.status)} at Stripe; recorded once it has succeeded.` };
      return { event: refundEvent(str(object.payment_intent, "data.object.payment_intent"), [object]) };
    }
    default:
      return { ignored: `Stripe event type ${type} is not one Switchyard acts on.` };
  }
}

function refundEvent(paymentIntentId: string, refunds: Json[]): DomainEvent {
  return {
    kind: "refund_succeeded",
    order: { by: "payment_intent", value: paymentIntentId },
    refunds: refunds.map((r, i) => ({
      providerRefundId: str(r.id, `refund[${i}].id`),
      amount: int(r.amount, `refund[${i}].amount`, 1),
      currency: currencyOf(r.currency, `refund[${i}].currency`),
      reason: optStr(r.reason)?.replaceAll("_", " ") ?? "refunded at Stripe",
      ourRefundId: ourRefundIdOf(r),
    })),
  };
}

/** The refund id our Stripe adapter puts on the refunds it creates (lib/payments/stripe.ts), when it is one of ours. */
function ourRefundIdOf(refund: Json): number | null {
  const value = optStr(((refund.metadata ?? {}) as Json)[SWITCHYARD_REFUND_ID]);
  return value && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : null;
}

/** The checkout puts the order on the payment intent's metadata: our number, or the storefront's order id. */
function orderRefOf(pi: Json, paymentIntentId: string): OrderRef {
  const metadata = (pi.metadata ?? {}) as Json;
  const number = optStr(metadata.order_number);
  if (number) return { by: "number", value: number.toUpperCase() };
  const shopify = optStr(metadata.shopify_order_id);
  if (shopify) return { by: "external", value: `shopify:${shopify}` };
  if (!paymentIntentId) throw new IntakeRejection("The payment intent names no order (metadata.order_number or metadata.shopify_order_id).");
  return { by: "payment_intent", value: paymentIntentId };
}

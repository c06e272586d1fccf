import type { IntakeSource, WebhookSource } from "../../db/schema/index.ts";

export type { IntakeSource, WebhookSource };

/** How an event names its order: our number, the id in the system it was placed in, or the payment intent. */
export type OrderRef = { by: "number"; value: string } | { by: "external"; value: string } | { by: "payment_intent"; value: string };

/** unitPrice null: the catalogue's price for the SKU, which must then be in the order's currency (the orders API sends no prices). */
export type PlacedLine = { sku: string; name: string | null; qty: number; unitPrice: number | null };
type PlacedAddress = { name: string; line1: string; line2: string | null; city: string; region: string | null; postcode: string; country: string; lat: number | null; lng: number | null };

export type ShipmentStep = "picking" | "packed" | "shipped" | "delivered";

/** The closed set of domain events every source is normalised to. */
export type DomainEvent =
  | {
      kind: "order_placed";
      /** The order's id in the system it was placed in ("shopify:820982911946154508"); null for an order placed with us (the orders API without a reference). */
      externalRef: string | null;
      customer: { email: string; name: string; phone: string | null };
      address: PlacedAddress;
      lines: PlacedLine[];
      currency: string;
      shipping: number;
      tax: number;
      /** What the sender charged, checked against lines + shipping + tax; null when the sender leaves the sum to us. */
      total: number | null;
      shipComplete: boolean;
      placedAt: number | null;
    }
  | { kind: "payment_captured"; order: OrderRef; paymentIntentId: string; amount: number; currency: string }
  | { kind: "payment_failed"; order: OrderRef; paymentIntentId: string; message: string }
  /** ourRefundId: the refund we paid out ourselves that this one is, as the provider's metadata names it (Stripe: metadata.switchyard_refund_id). */
  | { kind: "refund_succeeded"; order: OrderRef; refunds: { providerRefundId: string; amount: number; currency: string; reason: string; ourRefundId?: number | null }[] }
  /** A refund that failed at the provider; it moved no money, and matters only for a payout of ours still approved under that reference. */
  | { kind: "refund_failed"; order: OrderRef; providerRefundId: string; message: string }
  | { kind: "order_cancelled"; order: OrderRef; reason: string }
  /** A shipment by our id (the warehouse knows it), or every open shipment holding these SKUs (a storefront's fulfilment). */
  | { kind: "shipment_progressed"; order: OrderRef; shipmentId: number | null; skus: string[] | null; to: ShipmentStep; carrier: string | null; trackingNumber: string | null }
  | { kind: "stock_received"; locationCode: string; sku: string; qty: number; reference: string };

/** What one source's reader makes of a verified, parsed body. */
export type Normalised = { event: DomainEvent } | { ignored: string };

/** What applying a domain event came to; a refusal is thrown (IntakeRejection or DomainError) and rolls back. */
export type StepResult =
  | { outcome: "applied"; orderId: number | null; note?: string }
  | { outcome: "ignored"; orderId: number | null; reason: string }
  | { outcome: "parked"; orderId: number | null; reason: string; waitingFor: string };

/**
 * Which field of the domain event a rejection is about, as a JSON pointer into the event (`/lines/0/sku`,
 * `/currency`, `/address/country`, `/amount`): a source whose body mirrors the event (the orders API)
 * answers with it; webhook senders get the message only.
 */
export type RejectedField = { pointer: string; message: string };

/** A verified event that cannot be applied as sent (unknown SKU, wrong amount): stored as rejected with this reason. */
export class IntakeRejection extends Error {
  /** The order it was about, when known: the rejection then shows on that order's timeline. */
  readonly orderId: number | null;
  readonly fields: RejectedField[];
  constructor(message: string, orderId: number | null = null, fields: RejectedField[] = []) {
    super(message);
    this.name = "IntakeRejection";
    this.orderId = orderId;
    this.fields = fields;
  }
}

export const SOURCE_LABELS: Record<IntakeSource, string> = { stripe: "Stripe", shopify: "Shopify", warehouse: "Warehouse", api: "Orders API" };

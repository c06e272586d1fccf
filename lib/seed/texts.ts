import type { Carrier } from "./places.ts";
import { ALNUM, DIGITS, LETTERS, type Rng } from "./random.ts";

/** Words the seed writes into reasons, notes and customer messages. */
export const CANCEL_REASONS_CUSTOMER = [
  "Customer changed their mind",
  "Ordered the wrong size",
  "Duplicate order",
  "Delivery date too late for the customer",
  "Customer found it cheaper elsewhere",
] as const;
export const CANCEL_REASON_UNPAID = "Payment not completed within 48 hours";
export const CANCEL_REASON_PAYMENT_FAILED = ["Payment failed: card declined", "Payment failed: 3-D Secure not completed", "Payment failed: insufficient funds"] as const;
export const CANCEL_REASON_FRAUD = "Suspected fraud: billing and shipping details do not match";

export const FULL_REFUND_REASONS = [
  "Returned within 30 days",
  "Returned: does not fit",
  "Returned: not as described",
  "Parcel lost in transit",
  "Damaged on arrival",
] as const;
export const GOODWILL_REASONS = ["Goodwill: late delivery", "Goodwill: packaging damaged", "Goodwill: missing gift note"] as const;
export const BACKORDER_REASONS = ["Out of stock at every location", "Stock count short at pick", "Damaged in the warehouse"] as const;

export const NOTE_BODIES = [
  "Customer called to ask about the delivery date; explained the carrier's estimate.",
  "Address confirmed by phone.",
  "Customer asked for gift wrapping; not offered, customer informed.",
  "Customer asked to leave the parcel with a neighbour if nobody is home.",
  "Chased the warehouse about this order, promised an update tomorrow.",
  "Customer says the tracking page has not updated for two days.",
  "Email from the customer: happy to wait for the backordered item.",
  "Checked the payment with the provider: captured correctly.",
  "Customer requested an invoice with their company VAT number.",
  "Box arrived slightly dented; customer does not want a refund.",
  "Asked the carrier for a proof of delivery.",
  "Customer's name has an apostrophe; label printed correctly this time.",
] as const;

export function money(amount: number, currency: string): string {
  return `${currency === "GBP" ? "£" : "€"}${(amount / 100).toFixed(2)}`;
}

function firstName(name: string): string {
  return name.split(" ")[0] ?? name;
}

/** Carrier-shaped tracking numbers; the shipment id is folded in (scrambled: one-to-one below 10^digits) so they never collide. */
export function trackingNumber(rng: Rng, carrier: Carrier, shipmentId: number): string {
  const id = (digits: number) => String((shipmentId * 73_939_133) % 10 ** digits).padStart(digits, "0");
  switch (carrier) {
    case "UPS":
      return `1Z${rng.chars(ALNUM, 6)}03${rng.chars(DIGITS, 1)}${id(7)}`;
    case "DHL":
      return `JD0146${rng.chars(DIGITS, 6)}${id(8)}`;
    case "PostNL":
      return `3S${rng.chars(LETTERS, 4)}${rng.chars(DIGITS, 1)}${id(8)}`;
    case "Colissimo":
      return `6A${rng.chars(DIGITS, 3)}${id(8)}`;
    case "Royal Mail":
      return `${rng.chars(LETTERS, 2)}${rng.chars(DIGITS, 1)}${id(8)}GB`;
    case "DPD":
      return `0${rng.chars(DIGITS, 5)}${id(8)}`;
  }
}

export function providerRef(rng: Rng): string {
  return `re_${rng.chars(ALNUM, 24)}`;
}

export type ItemText = { qty: number; name: string };

function itemList(items: readonly ItemText[]): string {
  return items.map((i) => `${i.qty} × ${i.name}`).join(", ");
}

export const notify = {
  shipped: (number: string, name: string, items: readonly ItemText[], carrier: string, tracking: string, more: boolean) => ({
    subject: `Your order ${number} is on its way`,
    body:
      `Hi ${firstName(name)}, ${itemList(items)} left our warehouse with ${carrier} (tracking ${tracking}).` +
      (more ? " The rest of your order follows in a separate parcel; we will email you when it ships." : " That completes your order."),
  }),
  backordered: (number: string, name: string, item: ItemText) => ({
    subject: `Part of your order ${number} is on backorder`,
    body: `Hi ${firstName(name)}, ${itemList([item])} is out of stock for now. Reply to tell us whether you would like to wait for it or cancel it; the rest of your order ships as planned.`,
  }),
  cancelled: (number: string, name: string, refund: string | null) => ({
    subject: `Your order ${number} has been cancelled`,
    body: `Hi ${firstName(name)}, your order ${number} has been cancelled.` + (refund ? ` We have refunded ${refund} to your original payment method.` : " You have not been charged."),
  }),
  refunded: (number: string, name: string, amount: string) => ({
    subject: `Refund for order ${number}`,
    body: `Hi ${firstName(name)}, we have refunded ${amount} to your original payment method. It can take 5–10 working days to appear.`,
  }),
};

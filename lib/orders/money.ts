/** Pure money rules for an order; every amount is integer minor units in the order's currency. */

export type OrderMoney = { subtotal: number; shipping: number; tax: number; total: number; paid: number; refunded: number };

/**
 * What may still be refunded: paid minus refunded minus refunds already waiting for approval,
 * so two requests can never together exceed what was paid.
 */
export function refundable(order: Pick<OrderMoney, "paid" | "refunded">, pendingRefunds = 0): number {
  return Math.max(0, order.paid - order.refunded - pendingRefunds);
}

/**
 * The money that cancelling these units takes off the order: their price plus their share of tax
 * (tax is charged on subtotal + shipping, so it is apportioned by value). Cancelling the last units
 * also takes off shipping and its tax.
 */
export function cancellationAmount(
  order: Pick<OrderMoney, "subtotal" | "shipping" | "tax">,
  units: { unitPrice: number; qty: number }[],
  cancelsEverything: boolean,
): { items: number; shipping: number; tax: number; total: number } {
  const items = units.reduce((sum, u) => sum + u.unitPrice * u.qty, 0);
  if (cancelsEverything) {
    return { items: order.subtotal, shipping: order.shipping, tax: order.tax, total: order.subtotal + order.shipping + order.tax };
  }
  const base = order.subtotal + order.shipping;
  const tax = base > 0 ? Math.round((items * order.tax) / base) : 0;
  return { items, shipping: 0, tax: Math.min(tax, order.tax), total: items + Math.min(tax, order.tax) };
}

/** The order's totals after cancelling; the refund for a paid order is capped at what is refundable. */
export function afterCancellation(order: OrderMoney, cut: { items: number; shipping: number; tax: number; total: number }, pendingRefunds = 0) {
  const totals = {
    subtotal: order.subtotal - cut.items,
    shipping: order.shipping - cut.shipping,
    tax: order.tax - cut.tax,
    total: order.total - cut.total,
  };
  // Only money paid beyond the new total comes back (an unpaid order just costs less); earlier refunds
  // (goodwill, returned units) do not shrink the total, so they only cap the refund through refundable().
  const refund = Math.min(cut.total, refundable(order, pendingRefunds), Math.max(0, order.paid - totals.total));
  return { totals, refund };
}

/** Refund amount for whole units of lines (price plus tax share), for refunds "by lines". */
export function refundForLines(order: Pick<OrderMoney, "subtotal" | "shipping" | "tax">, units: { unitPrice: number; qty: number }[]): number {
  return cancellationAmount(order, units, false).total;
}

import type { DB, Tx } from "../../../db/client.ts";
import { apiLastEvents, apiOrderByNumber, apiOrderLines, apiRefunds, apiShipmentLines, apiShipments, type ApiOrderSummaryRow } from "../../../db/queries/api-orders.ts";
import type { OrderSummaryView, OrderView } from "./schemas.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
/** The caller's own reference without our "api:" prefix; other systems' references as stored ("shopify:…"). */
const reference = (externalRef: string | null) => (externalRef?.startsWith("api:") ? externalRef.slice(4) : externalRef);

/** The order as the API shows it (the Order schema); read inside a change's transaction for its response. */
export function orderView(db: DB | Tx, number: string): OrderView | null {
  const o = apiOrderByNumber(db, number.toUpperCase());
  if (!o) return null;
  const shipmentLines = apiShipmentLines(db, o.id);
  return {
    number: o.number,
    status: o.status,
    currency: o.currency,
    external_reference: reference(o.externalRef),
    customer: { name: o.customerName, email: o.email, phone: o.phone },
    ship_to: { name: o.shipName, line1: o.line1, line2: o.line2, city: o.city, region: o.region, postcode: o.postcode, country: o.country },
    lines: apiOrderLines(db, o.id).map((l) => ({ sku: l.sku, name: l.name, quantity: l.qty, quantity_cancelled: l.cancelled, unit_price: l.unitPrice })),
    amounts: { subtotal: o.subtotal, shipping: o.shipping, tax: o.tax, total: o.total, paid: o.paid, refunded: o.refunded },
    shipments: apiShipments(db, o.id).map((s) => ({
      id: s.id,
      status: s.status,
      location: s.location,
      carrier: s.carrier,
      tracking_number: s.trackingNumber,
      shipped_at: isoOrNull(s.shippedAt),
      delivered_at: isoOrNull(s.deliveredAt),
      lines: shipmentLines.filter((l) => l.shipmentId === s.id).map((l) => ({ sku: l.sku, quantity: l.qty })),
    })),
    refunds: apiRefunds(db, o.id).map((r) => ({ id: r.id, amount: r.amount, currency: r.currency, status: r.status, reason: r.reason, created_at: iso(r.createdAt), completed_at: isoOrNull(r.completedAt) })),
    events: apiLastEvents(db, o.id, 20).map((e) => ({ at: iso(e.at), action: e.action, from_status: e.fromStatus, to_status: e.toStatus, actor: e.actor, reason: e.reason })),
    placed_at: iso(o.placedAt),
    updated_at: iso(o.updatedAt),
    version: o.version,
  };
}

export function orderSummaryView(o: ApiOrderSummaryRow): OrderSummaryView {
  return {
    number: o.number,
    status: o.status,
    currency: o.currency,
    external_reference: reference(o.externalRef),
    total: o.total,
    paid: o.paid,
    refunded: o.refunded,
    placed_at: iso(o.placedAt),
    updated_at: iso(o.updatedAt),
  };
}

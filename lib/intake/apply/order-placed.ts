import type { Tx } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import { appendAudit, enqueueOutbox, type Actor } from "../../audit.ts";
import { indexOrder } from "../../search/embedded/indexer.ts";
import { IntakeRejection, type DomainEvent, type StepResult } from "../types.ts";
import { COUNTRY_CENTRES } from "./country-centres.ts";

type OrderPlaced = Extract<DomainEvent, { kind: "order_placed" }>;

/**
 * Creates an order placed elsewhere: customer found by normalised email (or created), ship-to address
 * found or created, lines by SKU at the payload's prices, status pending until its payment is captured.
 * Numbered SY-(100000 + id) like the seed, so the sequence continues without a gap or a clash.
 */
export function placeOrder(tx: Tx, e: OrderPlaced, actor: Actor, at: number): StepResult {
  const existing = e.externalRef === null ? undefined : (prepared(tx, "SELECT id, number FROM orders WHERE external_ref = ?").get(e.externalRef) as { id: number; number: string } | undefined);
  if (existing) return { outcome: "ignored", orderId: existing.id, reason: `Already placed as ${existing.number}.` };

  const skus = [...new Set(e.lines.map((l) => l.sku))];
  const products = prepared(tx, `SELECT id, sku, name, active, price, currency FROM products WHERE sku IN (${skus.map(() => "?").join(", ")})`).all(...skus) as {
    id: number;
    sku: string;
    name: string;
    active: number;
    price: number;
    currency: string;
  }[];
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const linesWhere = (test: (sku: string) => boolean, message: (sku: string) => string) =>
    e.lines.flatMap((l, i) => (test(l.sku) ? [{ pointer: `/lines/${i}/sku`, message: message(l.sku) }] : []));
  const unknown = skus.filter((s) => !bySku.has(s));
  if (unknown.length) {
    throw new IntakeRejection(`Unknown SKU${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Nothing was created.`, null, linesWhere((s) => !bySku.has(s), (s) => `Unknown SKU ${s}.`));
  }
  const inactive = skus.filter((s) => !bySku.get(s)!.active);
  if (inactive.length) {
    throw new IntakeRejection(`SKU${inactive.length > 1 ? "s" : ""} no longer sold: ${inactive.join(", ")}. Nothing was created.`, null, linesWhere((s) => inactive.includes(s), (s) => `${s} is no longer sold.`));
  }
  // A line without a price takes the catalogue's, which is in one currency: an order in another cannot use it.
  const otherCurrency = e.lines.filter((l) => l.unitPrice === null && bySku.get(l.sku)!.currency !== e.currency).map((l) => bySku.get(l.sku)!);
  if (otherCurrency.length) {
    const message = `${otherCurrency.map((p) => `${p.sku} is sold in ${p.currency}`).join(", ")}, not ${e.currency}. Nothing was created.`;
    throw new IntakeRejection(message, null, [{ pointer: "/currency", message }]);
  }
  const unitPrices = e.lines.map((l) => l.unitPrice ?? bySku.get(l.sku)!.price);

  const subtotal = e.lines.reduce((n, l, i) => n + unitPrices[i]! * l.qty, 0);
  const total = subtotal + e.shipping + e.tax;
  if (e.total !== null && total !== e.total) {
    throw new IntakeRejection(`Totals do not add up: lines ${subtotal} + shipping ${e.shipping} + tax ${e.tax} ≠ total ${e.total} (minor units, ${e.currency}).`, null, [
      { pointer: "/total", message: `Lines, shipping and tax come to ${total}, not ${e.total}.` },
    ]);
  }

  const customerId = findOrCreateCustomer(tx, e.customer, at);
  const addressId = findOrCreateAddress(tx, customerId, e.address);
  const next = (prepared(tx, "SELECT coalesce(max(id), 0) + 1 AS id FROM orders").get() as { id: number }).id;
  const number = `SY-${100000 + next}`;
  const placedAt = e.placedAt ?? at;
  prepared(
    tx,
    `INSERT INTO orders (id, number, customer_id, ship_address_id, status, ship_complete, currency, subtotal, shipping, tax, total, paid, refunded, placed_at, status_changed_at, updated_at, external_ref)
     VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)`,
  ).run(next, number, customerId, addressId, e.shipComplete ? 1 : 0, e.currency, subtotal, e.shipping, e.tax, total, placedAt, at, at, e.externalRef);
  const insertLine = prepared(tx, "INSERT INTO order_lines (order_id, product_id, sku, name, qty_ordered, unit_price) VALUES (?, ?, ?, ?, ?, ?)");
  for (const [i, l] of e.lines.entries()) {
    const p = bySku.get(l.sku)!;
    insertLine.run(next, p.id, p.sku, l.name?.trim() || p.name, l.qty, unitPrices[i]);
  }
  appendAudit(tx, {
    entityType: "order",
    entityId: next,
    orderId: next,
    actor,
    action: "created",
    toStatus: "pending",
    reason: e.externalRef === null ? `Placed by ${actor.label}` : `Placed in ${e.externalRef.split(":")[0]} as ${e.externalRef.split(":").slice(1).join(":")}`,
    data: { number, externalRef: e.externalRef, total, currency: e.currency, lines: e.lines.length },
    at,
  });
  enqueueOutbox(tx, { topic: "order.created", aggregateType: "order", aggregateId: next, payload: { orderId: next, number, externalRef: e.externalRef }, at });
  indexOrder(tx, next);
  return { outcome: "applied", orderId: next, note: `Created ${number}` };
}

function findOrCreateCustomer(tx: Tx, c: OrderPlaced["customer"], at: number): number {
  const found = prepared(tx, "SELECT id FROM customers WHERE email = ? ORDER BY id LIMIT 1").get(c.email) as { id: number } | undefined;
  if (found) return found.id;
  return (prepared(tx, "INSERT INTO customers (name, email, phone, created_at) VALUES (?, ?, ?, ?) RETURNING id").get(c.name, c.email, c.phone, at) as { id: number }).id;
}

function findOrCreateAddress(tx: Tx, customerId: number, a: OrderPlaced["address"]): number {
  const found = prepared(tx, "SELECT id FROM addresses WHERE customer_id = ? AND line1 = ? AND postcode = ? AND country = ? AND coalesce(line2, '') = ? ORDER BY id LIMIT 1").get(
    customerId,
    a.line1,
    a.postcode,
    a.country,
    a.line2 ?? "",
  ) as { id: number } | undefined;
  if (found) return found.id;
  const point = a.lat !== null && a.lng !== null ? { lat: a.lat, lng: a.lng } : COUNTRY_CENTRES[a.country];
  if (!point) {
    const message = `The ship-to address has no coordinates and ${a.country} is not a country we can place on the map.`;
    throw new IntakeRejection(message, null, [{ pointer: "/address/country", message }]);
  }
  return (
    prepared(tx, "INSERT INTO addresses (customer_id, name, line1, line2, city, region, postcode, country, lat, lng) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id").get(
      customerId,
      a.name,
      a.line1,
      a.line2,
      a.city,
      a.region,
      a.postcode,
      a.country,
      point.lat,
      point.lng,
    ) as { id: number }
  ).id;
}

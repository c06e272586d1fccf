import { currencyOf, decimalToMinor } from "../money.ts";
import type { Normalised, PlacedLine } from "../types.ts";
import { IntakeRejection } from "../types.ts";
import { arr, emailOf, int, num, obj, optStr, str, type Json } from "./read.ts";

/** Shopify webhooks by topic (X-Shopify-Topic), read into the closed set of domain events. */
export function normaliseShopify(topic: string, body: Json): Normalised {
  switch (topic) {
    case "orders/create":
      return { event: orderPlaced(body) };
    case "orders/cancelled":
      return { event: { kind: "order_cancelled", order: external(body.id, "id"), reason: `Cancelled in Shopify${optStr(body.cancel_reason) ? ` (${optStr(body.cancel_reason)})` : ""}` } };
    case "fulfillments/create": {
      const items = body.line_items ? arr(body.line_items, "line_items").map((l, i) => str(obj(l, `line_items[${i}]`).sku, `line_items[${i}].sku`).toUpperCase()) : null;
      return {
        event: {
          kind: "shipment_progressed",
          order: external(body.order_id, "order_id"),
          shipmentId: null,
          skus: items,
          to: "shipped",
          carrier: optStr(body.tracking_company) ?? "Unknown carrier",
          trackingNumber: optStr(body.tracking_number) ?? optStr((body.tracking_numbers as unknown[] | undefined)?.[0]) ?? str(body.id, "id"),
        },
      };
    }
    case "refunds/create": {
      const transactions = arr(body.transactions ?? [], "transactions")
        .map((t, i) => obj(t, `transactions[${i}]`))
        .filter((t) => t.kind === "refund" && t.status === "success");
      if (transactions.length === 0) return { ignored: "No successful refund transaction in this refund." };
      return {
        event: {
          kind: "refund_succeeded",
          order: external(body.order_id, "order_id"),
          refunds: transactions.map((t, i) => {
            const currency = currencyOf(t.currency, `transactions[${i}].currency`);
            return { providerRefundId: `shopify_refund_${str(t.id ?? body.id, `transactions[${i}].id`)}`, amount: decimalToMinor(t.amount, currency, `transactions[${i}].amount`), currency, reason: optStr(body.note) ?? "refunded in Shopify" };
          }),
        },
      };
    }
    default:
      return { ignored: `Shopify topic ${topic} is not one Switchyard acts on.` };
  }
}

const external = (id: unknown, field: string) => ({ by: "external" as const, value: `shopify:${str(id, field)}` });

function orderPlaced(o: Json) {
  const currency = currencyOf(o.currency, "currency");
  if (o.presentment_currency !== undefined && currencyOf(o.presentment_currency, "presentment_currency") !== currency) {
    throw new IntakeRejection(`Presentment currency ${String(o.presentment_currency)} differs from the shop currency ${currency}; Switchyard keeps one currency per order.`);
  }
  if (o.taxes_included === true) throw new IntakeRejection("Prices with tax included are not supported: Switchyard keeps tax on top of the subtotal.");
  if (decimalToMinor(o.total_discounts ?? "0", currency, "total_discounts") !== 0) throw new IntakeRejection("Order-level discounts are not supported yet: total_discounts must be 0.00.");
  const customer = (o.customer ?? {}) as Json;
  const email = emailOf(o.email ?? o.contact_email ?? customer.email, "email");
  const ship = obj(o.shipping_address, "shipping_address");
  const fullName = (a: Json) => optStr(a.name) ?? [optStr(a.first_name), optStr(a.last_name)].filter(Boolean).join(" ");
  const lines: PlacedLine[] = arr(o.line_items, "line_items").map((raw, i) => {
    const l = obj(raw, `line_items[${i}]`);
    const unitPrice = decimalToMinor(l.price, currency, `line_items[${i}].price`);
    const shop = (l.price_set as Json | undefined)?.shop_money as Json | undefined;
    if (shop?.currency_code !== undefined && currencyOf(shop.currency_code, `line_items[${i}].price_set.shop_money.currency_code`) !== currency) {
      throw new IntakeRejection(`line_items[${i}] is priced in ${String(shop.currency_code)}, not ${currency}.`);
    }
    return { sku: str(l.sku, `line_items[${i}].sku`).toUpperCase(), name: optStr(l.title) ?? optStr(l.name), qty: int(l.quantity, `line_items[${i}].quantity`, 1), unitPrice };
  });
  if (lines.length === 0) throw new IntakeRejection("line_items is empty.");
  const shipping = arr(o.shipping_lines ?? [], "shipping_lines").reduce<number>((n, s, i) => n + decimalToMinor(obj(s, `shipping_lines[${i}]`).price, currency, `shipping_lines[${i}].price`), 0);
  const flag = arr(o.note_attributes ?? [], "note_attributes").some((a) => (a as Json)?.name === "ship_complete" && String((a as Json).value) === "true");
  const country = str(ship.country_code, "shipping_address.country_code").toUpperCase();
  const placedAt = Date.parse(String(o.created_at ?? ""));
  return {
    kind: "order_placed" as const,
    externalRef: `shopify:${str(o.id, "id")}`,
    customer: { email, name: fullName(customer) || fullName(ship) || email, phone: optStr(o.phone) ?? optStr(customer.phone) ?? optStr(ship.phone) },
    address: {
      name: fullName(ship) || fullName(customer) || email,
      line1: str(ship.address1, "shipping_address.address1"),
      line2: optStr(ship.address2),
      city: str(ship.city, "shipping_address.city"),
      region: optStr(ship.province),
      postcode: str(ship.zip, "shipping_address.zip"),
      country,
      lat: num(ship.latitude),
      lng: num(ship.longitude),
    },
    lines,
    currency,
    shipping,
    tax: decimalToMinor(o.total_tax ?? "0", currency, "total_tax"),
    total: decimalToMinor(o.total_price, currency, "total_price"),
    shipComplete: flag,
    placedAt: Number.isFinite(placedAt) ? placedAt : null,
  };
}

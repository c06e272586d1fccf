import type { z } from "zod";
import { PlaceOrderRequest, RecordPaymentRequest } from "../../api/v1/schemas.ts";
import { IntakeRejection, type DomainEvent, type Normalised } from "../types.ts";
import { emailOf, type Json } from "./read.ts";

/**
 * Orders API requests, stored with their request line as the type ("POST /api/v1/orders"), read into the
 * closed set of domain events. The body was validated by the same schema before it was stored; reading it
 * again here keeps a replay from /admin/events on the same rules.
 */
const PLACE = /^POST \/api\/v1\/orders$/;
const PAY = /^POST \/api\/v1\/orders\/([^/]+)\/payments$/;

export function normaliseApi(type: string, json: Json): Normalised {
  if (PLACE.test(type)) return { event: orderPlaced(json) };
  const pay = PAY.exec(type);
  if (pay) return { event: paymentCaptured(decodeURIComponent(pay[1]!), json) };
  return { ignored: `${type} is not a request the intake applies.` };
}

function parsed<S extends z.ZodType>(schema: S, json: Json): z.output<S> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ pointer: i.path.map((p) => `/${String(p)}`).join(""), message: i.message }));
  throw new IntakeRejection(`The body does not match the API: ${fields.map((f) => `${f.pointer || "/"} ${f.message}`).join("; ")}`, null, fields);
}

/** A name or address part: trimmed, and not blank. */
function filled(value: string, pointer: string): string {
  const t = value.trim();
  if (!t) throw new IntakeRejection(`${pointer} is blank.`, null, [{ pointer, message: "Blank." }]);
  return t;
}

const optional = (value: string | null | undefined) => value?.trim() || null;

function orderPlaced(json: Json): Extract<DomainEvent, { kind: "order_placed" }> {
  const b = parsed(PlaceOrderRequest, json);
  const s = b.ship_to;
  return {
    kind: "order_placed",
    externalRef: b.external_reference === undefined ? null : `api:${filled(b.external_reference, "/external_reference")}`,
    customer: { email: emailOf(b.customer.email, "customer.email", "/customer/email"), name: filled(b.customer.name, "/customer/name"), phone: optional(b.customer.phone) },
    // Pointers under /address: the event's name for ship_to (lib/api/intake.ts maps them back).
    address: {
      name: filled(s.name, "/address/name"),
      line1: filled(s.line1, "/address/line1"),
      line2: optional(s.line2),
      city: filled(s.city, "/address/city"),
      region: optional(s.region),
      postcode: filled(s.postcode, "/address/postcode"),
      country: s.country,
      lat: s.latitude ?? null,
      lng: s.longitude ?? null,
    },
    lines: b.lines.map((l, i) => ({ sku: filled(l.sku, `/lines/${i}/sku`).toUpperCase(), name: null, qty: l.quantity, unitPrice: null })),
    currency: b.currency,
    shipping: b.shipping ?? 0,
    tax: b.tax ?? 0,
    total: null,
    shipComplete: b.ship_complete ?? false,
    placedAt: null,
  };
}

function paymentCaptured(number: string, json: Json): Extract<DomainEvent, { kind: "payment_captured" }> {
  const b = parsed(RecordPaymentRequest, json);
  return { kind: "payment_captured", order: { by: "number", value: number }, paymentIntentId: filled(b.reference, "/reference"), amount: b.amount, currency: b.currency };
}

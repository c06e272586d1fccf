import { z } from "zod";
import { ORDER_STATUSES, SHIPMENT_STATUSES, REFUND_STATUSES } from "../../../db/schema/index.ts";
import { CURRENCY_CODES } from "../../currency.ts";
import { ERROR_CODES } from "../../errors.ts";

/**
 * The orders API's request and response shapes: the handlers validate with these and the OpenAPI document
 * is generated from them (lib/api/v1/openapi.ts), so the two cannot drift. Only constraints JSON Schema can
 * say live here; what needs the catalogue or an order (unknown SKU, currency mismatch) is the intake's 422.
 */

/** Strings measured in code points, as JSON Schema's minLength/maxLength count them (zod's own .max counts UTF-16 units). */
export function text(min: number, max: number) {
  return z
    .string()
    .refine((s) => {
      const n = [...s].length;
      return n >= min && n <= max;
    }, `Between ${min} and ${max} characters.`)
    .meta({ minLength: min, maxLength: max });
}

/** Money is integer minor units (cents) next to a currency, as everywhere in Switchyard. */
const minor = (max: number) => z.int().min(0).max(max);
const currency = z.enum(CURRENCY_CODES).meta({ id: "Currency", description: "ISO 4217 code, upper case.", examples: ["EUR"] });
const dateTime = z.iso.datetime({ offset: true });

const CustomerInput = z
  .strictObject({
    email: text(3, 254).meta({ description: "Checked to be an email address (422 otherwise).", examples: ["ada@example.com"] }),
    name: text(1, 200),
    phone: text(1, 50).nullable().optional(),
  })
  .meta({ id: "CustomerInput" });

const ShipToInput = z
  .strictObject({
    name: text(1, 200),
    line1: text(1, 200),
    line2: text(1, 200).nullable().optional(),
    city: text(1, 100),
    region: text(1, 100).nullable().optional(),
    postcode: text(1, 20),
    country: z.string().regex(/^[A-Z]{2}$/).meta({ description: "ISO 3166-1 alpha-2, upper case.", examples: ["DE"] }),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .meta({ id: "ShipToInput", description: "Without coordinates the order is placed at the country's centre for routing; a country we cannot place is a 422." });

export const PlaceOrderRequest = z
  .strictObject({
    customer: CustomerInput,
    ship_to: ShipToInput,
    lines: z
      .array(z.strictObject({ sku: text(1, 64), quantity: z.int().min(1).max(1000) }))
      .min(1)
      .max(100)
      .meta({ description: "Priced from the catalogue: an unknown SKU, or one sold in another currency, is a 422 naming the line." }),
    currency,
    shipping: minor(100_000_000).optional().meta({ description: "Minor units; default 0." }),
    tax: minor(100_000_000).optional().meta({ description: "Minor units, on top of the lines; default 0." }),
    external_reference: text(1, 100)
      .optional()
      .meta({ description: "Your id for the order (a checkout id). Unique: placing a second order with it is a 409 naming the first." }),
    ship_complete: z.boolean().optional().meta({ description: "Never split into several shipments." }),
  })
  .meta({ id: "PlaceOrderRequest" });

const CANCEL_REASONS = ["customer_requested", "fraud_suspected", "payment_failed", "out_of_stock", "duplicate_order", "other"] as const;

export const CancelOrderRequest = z
  .strictObject({ reason: z.enum(CANCEL_REASONS), note: text(1, 500).optional() })
  .meta({ id: "CancelOrderRequest" });

export const RecordPaymentRequest = z
  .strictObject({
    amount: z.int().min(1).max(100_000_000_000).meta({ description: "Minor units; must equal the order's total." }),
    currency,
    reference: text(1, 100).meta({ description: "The payment provider's id for the captured payment; recording it again is answered with the order unchanged." }),
  })
  .meta({ id: "RecordPaymentRequest" });

export const OrderNumberPath = z.strictObject({ number: text(1, 40).meta({ description: "Order number, e.g. SY-110001.", examples: ["SY-100001"] }) });

export const ListOrdersQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  updated_after: dateTime.optional().meta({ description: "Only orders changed after this time (RFC 3339)." }),
  cursor: z
    .string()
    .regex(/^[0-9]{1,15}\.[0-9]{1,12}$/)
    .optional()
    .meta({ description: "next_cursor of the previous page." }),
  limit: z.int().min(1).max(100).optional().meta({ description: "Page size, default 25." }),
});

const Amounts = z
  .strictObject({ subtotal: z.int(), shipping: z.int(), tax: z.int(), total: z.int(), paid: z.int(), refunded: z.int() })
  .meta({ id: "Amounts", description: "Minor units in the order's currency." });

export const Order = z
  .strictObject({
    number: z.string(),
    status: z.enum(ORDER_STATUSES),
    currency: z.string(),
    external_reference: z.string().nullable(),
    customer: z.strictObject({ name: z.string(), email: z.string(), phone: z.string().nullable() }),
    ship_to: z.strictObject({ name: z.string(), line1: z.string(), line2: z.string().nullable(), city: z.string(), region: z.string().nullable(), postcode: z.string(), country: z.string() }),
    lines: z.array(z.strictObject({ sku: z.string(), name: z.string(), quantity: z.int(), quantity_cancelled: z.int(), unit_price: z.int() })),
    amounts: Amounts,
    shipments: z.array(
      z.strictObject({
        id: z.int(),
        status: z.enum(SHIPMENT_STATUSES),
        location: z.string(),
        carrier: z.string().nullable(),
        tracking_number: z.string().nullable(),
        shipped_at: dateTime.nullable(),
        delivered_at: dateTime.nullable(),
        lines: z.array(z.strictObject({ sku: z.string(), quantity: z.int() })),
      }),
    ),
    refunds: z.array(z.strictObject({ id: z.int(), amount: z.int(), currency: z.string(), status: z.enum(REFUND_STATUSES), reason: z.string(), created_at: dateTime, completed_at: dateTime.nullable() })),
    events: z
      .array(z.strictObject({ at: dateTime, action: z.string(), from_status: z.string().nullable(), to_status: z.string().nullable(), actor: z.string(), reason: z.string().nullable() }))
      .meta({ description: "The order's last 20 audit entries, newest first." }),
    placed_at: dateTime,
    updated_at: dateTime,
    version: z.int().meta({ description: "Bumped by every change to the order." }),
  })
  .meta({ id: "Order" });

const OrderSummary = z
  .strictObject({
    number: z.string(),
    status: z.enum(ORDER_STATUSES),
    currency: z.string(),
    external_reference: z.string().nullable(),
    total: z.int(),
    paid: z.int(),
    refunded: z.int(),
    placed_at: dateTime,
    updated_at: dateTime,
  })
  .meta({ id: "OrderSummary" });

export const OrderList = z
  .strictObject({
    data: z.array(OrderSummary),
    has_more: z.boolean(),
    next_cursor: z.string().nullable().meta({ description: "Pass as cursor for the next (older) page; null on the last." }),
  })
  .meta({ id: "OrderList", description: "Newest placed first, keyset-paginated on (placed_at, id): orders placed while you page never shift or repeat a page." });

export const Problem = z
  .strictObject({
    type: z.string().meta({ description: "A URI naming the problem type (tag:switchyard.dev,2026:problems/<code>)." }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().meta({ description: "The request path." }),
    code: z.enum(ERROR_CODES),
    errors: z
      .array(
        z.strictObject({
          detail: z.string(),
          pointer: z.string().optional().meta({ description: "RFC 6901 pointer into the request body." }),
          parameter: z.string().optional().meta({ description: "A path or query parameter." }),
          header: z.string().optional(),
        }),
      )
      .optional(),
    current_status: z.enum(ORDER_STATUSES).optional().meta({ description: "The order's status when it refused a change." }),
    order_number: z.string().optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });

export type OrderView = z.output<typeof Order>;
export type OrderSummaryView = z.output<typeof OrderSummary>;
export type ProblemView = z.output<typeof Problem>;

import Stripe from "stripe";
import { Webhook } from "standardwebhooks";
import "@shopify/shopify-api/adapters/web-api";
import { shopifyApi, ApiVersion, LogSeverity } from "@shopify/shopify-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import type { DB } from "../../db/client.ts";
import { setWebhookSecret } from "../../lib/intake/secrets-admin.ts";
import type { WebhookSource } from "../../lib/intake/types.ts";

/**
 * Senders for the intake tests, signing exactly as the real ones do, with their own packages: Stripe's
 * generateTestHeaderString, Shopify's getHmac (validated by @shopify/shopify-api's webhooks.validate),
 * and the Standard Webhooks reference signer. Requests go to the real route handlers.
 */
export type Handler = (req: Request) => Promise<Response>;
export type Secrets = Record<WebhookSource, string>;

export const SECRETS: Secrets = {
  stripe: "whsec_test_stripe_0123456789abcdef",
  shopify: "shpss_test_0123456789abcdef0123456789",
  warehouse: `whsec_${Buffer.from("warehouse-test-key-0123456789abcdef").toString("base64")}`,
};

export function installSecrets(db: DB, secrets: Secrets = SECRETS): void {
  for (const source of Object.keys(secrets) as WebhookSource[]) {
    db.transaction((tx) => setWebhookSecret(tx, { source, secret: secrets[source], actor: { id: null, label: "test" }, at: Date.now() }));
  }
}

export async function routes(): Promise<Record<WebhookSource, Handler>> {
  return {
    stripe: (await import("../../app/api/webhooks/stripe/route.ts")).POST,
    shopify: (await import("../../app/api/webhooks/shopify/route.ts")).POST,
    warehouse: (await import("../../app/api/webhooks/warehouse/route.ts")).POST,
  };
}

let seq = 0;
export const nextId = (prefix: string) => `${prefix}_${process.pid}_${++seq}`;

/** A Stripe event envelope (https://docs.stripe.com/api/events/object) around an API object. */
export function stripeEvent(type: string, object: Record<string, unknown>, id = nextId("evt")) {
  return { id, object: "event", api_version: "2025-06-30.basil", created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } };
}

export function stripeRequest(event: unknown, o: { secret?: string; timestamp?: number; header?: string; body?: string } = {}): Request {
  const payload = o.body ?? JSON.stringify(event);
  const header = o.header ?? Stripe.webhooks.generateTestHeaderString({ payload, secret: o.secret ?? SECRETS.stripe, timestamp: o.timestamp });
  return new Request("http://localhost/api/webhooks/stripe", { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": header } });
}

export function paymentIntent(o: { id?: string; amount: number; currency: string; orderNumber?: string; shopifyOrderId?: string; status?: string }) {
  return {
    id: o.id ?? nextId("pi"),
    object: "payment_intent",
    amount: o.amount,
    amount_received: o.status === "requires_payment_method" ? 0 : o.amount,
    currency: o.currency.toLowerCase(),
    status: o.status ?? "succeeded",
    metadata: { ...(o.orderNumber ? { order_number: o.orderNumber } : {}), ...(o.shopifyOrderId ? { shopify_order_id: o.shopifyOrderId } : {}) },
    last_payment_error: o.status === "requires_payment_method" ? { code: "card_declined", message: "Your card was declined." } : null,
  };
}

export function stripeRefund(o: { id?: string; paymentIntent: string; amount: number; currency: string; status?: string }) {
  return { id: o.id ?? nextId("re"), object: "refund", amount: o.amount, currency: o.currency.toLowerCase(), payment_intent: o.paymentIntent, status: o.status ?? "succeeded", reason: "requested_by_customer" };
}

export const shopify = shopifyApi({ apiKey: "switchyard-test", apiSecretKey: SECRETS.shopify, hostName: "localhost", apiVersion: ApiVersion.October25, isEmbeddedApp: false, logger: { level: LogSeverity.Error } });

export function shopifyRequest(topic: string, body: unknown, o: { webhookId?: string; secret?: string; raw?: string; hmac?: string } = {}): Request {
  const payload = o.raw ?? JSON.stringify(body);
  return new Request("http://localhost/api/webhooks/shopify", {
    method: "POST",
    body: payload,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-hmac-sha256": o.hmac ?? getHmac(payload, o.secret ?? SECRETS.shopify),
      "x-shopify-shop-domain": "switchyard-test.myshopify.com",
      "x-shopify-api-version": "2025-10",
      "x-shopify-webhook-id": o.webhookId ?? nextId("wh"),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
}

/** An orders/create body shaped like Shopify's documented example (REST Order resource), with our SKUs. */
export function shopifyOrder(o: { id: number; email: string; lines: { sku: string; qty: number; price: string; title?: string }[]; shipping?: string; tax?: string; total?: string; currency?: string; country?: string; shipComplete?: boolean; withCoordinates?: boolean }) {
  const currency = o.currency ?? "EUR";
  const cents = (s: string) => Math.round(Number(s) * 100);
  const subtotal = o.lines.reduce((n, l) => n + cents(l.price) * l.qty, 0);
  const shipping = o.shipping ?? "4.95";
  const tax = o.tax ?? "0.00";
  const total = o.total ?? ((subtotal + cents(shipping) + cents(tax)) / 100).toFixed(2);
  const address = {
    first_name: "Jane", address1: "Keizersgracht 123", phone: "+31 20 555 0100", city: "Amsterdam", zip: "1015 CJ", province: "North Holland", country: "Netherlands",
    last_name: "Doe", address2: "3rd floor", company: null, latitude: o.withCoordinates === false ? null : 52.3676, longitude: o.withCoordinates === false ? null : 4.9041,
    name: "Jane Doe", country_code: o.country ?? "NL", province_code: "NH",
  };
  return {
    id: o.id, admin_graphql_api_id: `gid://shopify/Order/${o.id}`, app_id: null, browser_ip: "203.0.113.7", buyer_accepts_marketing: false, cancel_reason: null, cancelled_at: null,
    cart_token: null, checkout_id: 901414060, checkout_token: "bd5a8aa1ecd019dd3520ff791ee3a24c", confirmed: true, contact_email: o.email, created_at: "2026-11-28T09:12:00-05:00",
    currency, current_subtotal_price: (subtotal / 100).toFixed(2), current_total_price: total, customer_locale: "en", email: o.email, financial_status: "pending", fulfillment_status: null,
    name: `#${o.id % 10000}`, note: null, note_attributes: o.shipComplete ? [{ name: "ship_complete", value: "true" }] : [], number: o.id % 10000, order_number: 1000 + (o.id % 10000),
    phone: null, presentment_currency: currency, processed_at: "2026-11-28T09:12:00-05:00", source_name: "web", subtotal_price: (subtotal / 100).toFixed(2), tags: "", taxes_included: false, test: true,
    total_discounts: "0.00", total_line_items_price: (subtotal / 100).toFixed(2), total_price: total, total_tax: tax, total_weight: 0,
    billing_address: address, shipping_address: address,
    customer: { id: 115310627314723950, email: o.email, created_at: null, updated_at: null, first_name: "Jane", last_name: "Doe", state: "disabled", note: null, verified_email: true, phone: null, currency },
    line_items: o.lines.map((l, i) => ({
      id: 866550311766439000 + i, admin_graphql_api_id: `gid://shopify/LineItem/${866550311766439000 + i}`, fulfillable_quantity: l.qty, fulfillment_service: "manual", fulfillment_status: null,
      gift_card: false, grams: 200, name: l.title ?? l.sku, price: l.price, price_set: { shop_money: { amount: l.price, currency_code: currency }, presentment_money: { amount: l.price, currency_code: currency } },
      product_exists: true, product_id: 632910392, properties: [], quantity: l.qty, requires_shipping: true, sku: l.sku, taxable: true, title: l.title ?? l.sku, total_discount: "0.00",
      variant_id: 808950810, variant_title: null, vendor: null, tax_lines: [], discount_allocations: [],
    })),
    shipping_lines: [{ id: 271878346596884000, carrier_identifier: null, code: "Standard", discounted_price: shipping, price: shipping, source: "shopify", title: "Standard", tax_lines: [], discount_allocations: [] }],
  };
}

export function warehouseRequest(type: string, data: Record<string, unknown>, o: { secret?: string; id?: string; timestamp?: Date; signature?: string } = {}): Request {
  const id = o.id ?? nextId("msg");
  const timestamp = o.timestamp ?? new Date();
  const payload = JSON.stringify({ type, timestamp: timestamp.toISOString(), data });
  const signature = o.signature ?? new Webhook(o.secret ?? SECRETS.warehouse).sign(id, timestamp, payload);
  return new Request("http://localhost/api/webhooks/warehouse", {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)), "webhook-signature": signature },
  });
}

export async function send(handler: Handler, req: Request): Promise<{ status: number; body: { ok: boolean; outcome?: string; reason?: string; message?: string; eventId?: string } }> {
  const res = await handler(req);
  return { status: res.status, body: (await res.json()) as never };
}

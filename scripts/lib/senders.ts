// Signs and sends webhooks the way the real senders do, with their own packages' signing helpers
// (Stripe's generateTestHeaderString, Shopify's getHmac, the Standard Webhooks reference signer).
// Used by `npm run simulate` and `npm run bench -- intake`; devDependencies, never imported by the app.
import Stripe from "stripe";
import { Webhook } from "standardwebhooks";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import Database from "better-sqlite3";

export type SenderSecrets = { stripe: string; shopify: string; warehouse: string };
export type Signed = { path: string; body: string; headers: Record<string, string> };

export function signStripe(event: { id: string } & Record<string, unknown>, secret: string, timestamp?: number): Signed {
  const body = JSON.stringify(event);
  return { path: "/api/webhooks/stripe", body, headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }) } };
}

export function signShopify(topic: string, payload: unknown, webhookId: string, secret: string): Signed {
  const body = JSON.stringify(payload);
  return {
    path: "/api/webhooks/shopify",
    body,
    headers: { "content-type": "application/json", "x-shopify-topic": topic, "x-shopify-hmac-sha256": getHmac(body, secret), "x-shopify-webhook-id": webhookId, "x-shopify-shop-domain": "switchyard-demo.myshopify.com", "x-shopify-api-version": "2025-10" },
  };
}

export function signWarehouse(type: string, data: Record<string, unknown>, id: string, secret: string): Signed {
  const now = new Date();
  const body = JSON.stringify({ type, timestamp: now.toISOString(), data });
  return {
    path: "/api/webhooks/warehouse",
    body,
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": new Webhook(secret).sign(id, now, body) },
  };
}

export async function post(base: string, s: Signed): Promise<{ status: number; outcome: string | null; ms: number }> {
  const started = performance.now();
  const res = await fetch(base + s.path, { method: "POST", body: s.body, headers: s.headers });
  const json = (await res.json().catch(() => ({}))) as { outcome?: string };
  return { status: res.status, outcome: json.outcome ?? null, ms: performance.now() - started };
}

/**
 * The secrets to sign with: STRIPE_WEBHOOK_SECRET / SHOPIFY_WEBHOOK_SECRET / WAREHOUSE_WEBHOOK_SECRET when set
 * (the app uses the same variables while an admin has set none), else the ones an admin created, read from the database.
 */
export function senderSecrets(databasePath: string): SenderSecrets {
  const fromDb: Partial<SenderSecrets> = {};
  try {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    for (const r of db.prepare("SELECT source, secret FROM webhook_endpoints").all() as { source: keyof SenderSecrets; secret: string }[]) fromDb[r.source] = r.secret;
    db.close();
  } catch {
    // No database yet: only the environment can help.
  }
  const pick = (source: keyof SenderSecrets, variable: string) => {
    const v = fromDb[source] ?? process.env[variable];
    if (!v) throw new Error(`No ${source} signing secret: set ${variable} for both \`npm start\` and this command, or create one under /admin/webhooks.`);
    return v;
  };
  return { stripe: pick("stripe", "STRIPE_WEBHOOK_SECRET"), shopify: pick("shopify", "SHOPIFY_WEBHOOK_SECRET"), warehouse: pick("warehouse", "WAREHOUSE_WEBHOOK_SECRET") };
}

/** A Shopify orders/create body (REST Order shape) for the demo and the benchmark. */
export function shopifyOrderPayload(o: { id: number; email: string; name: [string, string]; address: { line1: string; city: string; zip: string; country: string; lat: number; lng: number }; lines: { sku: string; title: string; qty: number; price: string }[]; shipping: string }) {
  const cents = (s: string) => Math.round(Number(s) * 100);
  const subtotal = o.lines.reduce((n, l) => n + cents(l.price) * l.qty, 0);
  const total = ((subtotal + cents(o.shipping)) / 100).toFixed(2);
  const address = { first_name: o.name[0], last_name: o.name[1], name: o.name.join(" "), address1: o.address.line1, address2: null, city: o.address.city, zip: o.address.zip, province: null, country_code: o.address.country, latitude: o.address.lat, longitude: o.address.lng, phone: null };
  return {
    id: o.id, admin_graphql_api_id: `gid://shopify/Order/${o.id}`, email: o.email, created_at: new Date().toISOString(), currency: "EUR", presentment_currency: "EUR", financial_status: "pending",
    taxes_included: false, total_discounts: "0.00", subtotal_price: (subtotal / 100).toFixed(2), total_tax: "0.00", total_price: total, name: `#${o.id}`, note_attributes: [],
    customer: { id: o.id, email: o.email, first_name: o.name[0], last_name: o.name[1] }, shipping_address: address, billing_address: address,
    line_items: o.lines.map((l, i) => ({ id: o.id * 10 + i, sku: l.sku, title: l.title, quantity: l.qty, price: l.price, price_set: { shop_money: { amount: l.price, currency_code: "EUR" } } })),
    shipping_lines: [{ id: o.id, title: "Standard", price: o.shipping }],
  };
}

export function stripePaymentEvent(id: string, type: "payment_intent.succeeded" | "payment_intent.payment_failed", o: { paymentIntentId: string; amount: number; shopifyOrderId?: number; orderNumber?: string }) {
  const failed = type === "payment_intent.payment_failed";
  return {
    id, object: "event", type, created: Math.floor(Date.now() / 1000), livemode: false, api_version: "2025-06-30.basil",
    data: {
      object: {
        id: o.paymentIntentId, object: "payment_intent", amount: o.amount, amount_received: failed ? 0 : o.amount, currency: "eur", status: failed ? "requires_payment_method" : "succeeded",
        metadata: o.orderNumber ? { order_number: o.orderNumber } : { shopify_order_id: String(o.shopifyOrderId) },
        last_payment_error: failed ? { code: "card_declined", message: "Your card was declined." } : null,
      },
    },
  };
}

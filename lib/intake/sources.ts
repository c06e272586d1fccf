import { createHash } from "node:crypto";
import type { Actor } from "../audit.ts";
import type { IntakeSource, Normalised, WebhookSource } from "./types.ts";
import { verifyStripe } from "./verify/stripe.ts";
import { verifyShopify } from "./verify/shopify.ts";
import { verifyStandardWebhook } from "./verify/standard-webhooks.ts";
import type { Verdict } from "./verify/hmac.ts";
import { normaliseStripe } from "./normalise/stripe.ts";
import { normaliseShopify } from "./normalise/shopify.ts";
import { normaliseWarehouse } from "./normalise/warehouse.ts";
import { normaliseApi } from "./normalise/api.ts";
import type { Json } from "./normalise/read.ts";

/** What differs between sources once a body is accepted: who is audited, how the stored body is read. */
export type SourceSpec = {
  actor: Actor;
  normalise: (type: string, json: Json) => Normalised;
};

/** What differs between webhook senders before that: how they sign, where their event id and type are. */
export type SenderSpec = {
  verify: (body: Uint8Array, headers: Headers, secrets: string[], nowMs: number) => Verdict;
  /** The sender's id for this event (dedupe key) and its type; `json` is null when the body did not parse. */
  envelope: (headers: Headers, json: Json | null, body: Uint8Array) => { eventId: string; type: string };
};

const bodyHash = (body: Uint8Array) => `sha256:${createHash("sha256").update(body).digest("hex").slice(0, 32)}`;
const field = (json: Json | null, key: string) => (json && typeof json[key] === "string" ? (json[key] as string) : null);

export const SOURCES: Record<IntakeSource, SourceSpec> = {
  stripe: { actor: { id: null, label: "Stripe webhook" }, normalise: (_type, json) => normaliseStripe(json) },
  shopify: { actor: { id: null, label: "Shopify webhook" }, normalise: (type, json) => normaliseShopify(type, json) },
  warehouse: { actor: { id: null, label: "Warehouse webhook" }, normalise: (_type, json) => normaliseWarehouse(json) },
  // Authenticated by an API key, not a signature; the type is the request line ("POST /api/v1/orders"), see lib/api/intake.ts.
  api: { actor: { id: null, label: "Orders API" }, normalise: (type, json) => normaliseApi(type, json) },
};

export const SENDERS: Record<WebhookSource, SenderSpec> = {
  stripe: {
    verify: (body, headers, secrets, now) => verifyStripe(body, headers.get("stripe-signature"), secrets, now),
    envelope: (_headers, json, body) => ({ eventId: field(json, "id") ?? bodyHash(body), type: field(json, "type") ?? "unreadable" }),
  },
  shopify: {
    verify: (body, headers, secrets) => verifyShopify(body, headers.get("x-shopify-hmac-sha256"), secrets),
    envelope: (headers, _json, body) => ({ eventId: headers.get("x-shopify-webhook-id") ?? bodyHash(body), type: headers.get("x-shopify-topic") ?? "unknown" }),
  },
  warehouse: {
    verify: (body, headers, secrets, now) => verifyStandardWebhook(body, headers, secrets, now),
    envelope: (headers, json, body) => ({ eventId: headers.get("webhook-id") ?? bodyHash(body), type: field(json, "type") ?? "unreadable" }),
  },
};

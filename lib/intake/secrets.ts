import { randomBytes } from "node:crypto";
import type { DB, Tx } from "../../db/client.ts";
import { endpointSecrets } from "../../db/queries/webhook-events.ts";
import { env } from "../env.ts";
import type { WebhookSource } from "./types.ts";

/** How long a rotated-out secret is still accepted, so senders can be switched over without losing events. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

const ENV: Record<WebhookSource, "STRIPE_WEBHOOK_SECRET" | "SHOPIFY_WEBHOOK_SECRET" | "WAREHOUSE_WEBHOOK_SECRET"> = { stripe: "STRIPE_WEBHOOK_SECRET", shopify: "SHOPIFY_WEBHOOK_SECRET", warehouse: "WAREHOUSE_WEBHOOK_SECRET" };

/** The secrets a signature may match now: the admin's (and the previous one within its grace), else the environment's. */
export function secretsFor(db: DB | Tx, source: WebhookSource, now: number): string[] {
  const row = endpointSecrets(db, source);
  if (row) return row.previousSecret && (row.previousValidUntil ?? 0) > now ? [row.secret, row.previousSecret] : [row.secret];
  const fromEnv = env()[ENV[source]]?.trim();
  return fromEnv ? [fromEnv] : [];
}

export function envVariableFor(source: WebhookSource): string {
  return ENV[source];
}

/** A new secret in the shape the sender's tooling expects (Standard Webhooks and Stripe: whsec_ + base64 key). */
export function generateSecret(source: WebhookSource): string {
  const key = randomBytes(32);
  return source === "shopify" ? key.toString("hex") : `whsec_${key.toString("base64")}`;
}

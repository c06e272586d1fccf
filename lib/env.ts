import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().min(1).default("data/switchyard.db"),
  PORT: z.coerce.number().int().positive().default(3000),
  NEXTAUTH_URL: z.url().optional(),
  /** Signs session cookies. Generated into data/.auth-secret for local use when unset. */
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  ELASTICSEARCH_URL: z.url().optional(),
  /** The alias orders are searched and indexed under; each reindex builds `<alias>-<time>` behind it. */
  ELASTICSEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "ELASTICSEARCH_INDEX must be lower-case letters, digits, - or _").default("orders"),
  /** The longest a search waits for Elasticsearch before answering from the embedded index. */
  ELASTICSEARCH_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  /** Failed searches in a row after which search stops asking Elasticsearch for a cool-down. */
  ELASTICSEARCH_BREAKER_FAILURES: z.coerce.number().int().positive().default(3),
  ELASTICSEARCH_BREAKER_COOLDOWN_MS: z.coerce.number().int().positive().default(5000),
  WORKER_POLL_MS: z.coerce.number().int().positive().default(250),
  /** Signing secrets for incoming webhooks, used while an admin has not set one under /admin/webhooks (lib/intake/secrets.ts reads them). */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Set: refunds are paid out through Stripe (lib/payments/stripe.ts); unset: the simulated provider. */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, "STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…)").optional(),
  /** Where the Stripe client connects instead of api.stripe.com (stripe-mock in tests): protocol://host:port. */
  STRIPE_API_BASE: z.url().optional(),
  SHOPIFY_WEBHOOK_SECRET: z.string().min(1).optional(),
  WAREHOUSE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Customer email over SMTP (smtp://user:pass@host:587, or smtps:// for TLS from the start). Unset: notifications are only recorded on the timeline. */
  SMTP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^smtps?$/, error: "SMTP_URL must be smtp://user:pass@host:port or smtps://…" }).optional()),
  /** The sender of customer email: an address, optionally with a name ("Switchyard <orders@example.com>"). */
  MAIL_FROM: z.string().regex(/^(?:[^<>@]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, "MAIL_FROM must be an address, e.g. Switchyard <orders@example.com>").default("Switchyard <no-reply@switchyard.local>"),
  /**
   * Reverse proxies in front of the app. 0 (default): X-Forwarded-* are ignored, since any client can send
   * them. N: the client address is read N entries from the right of X-Forwarded-For, and
   * X-Forwarded-Proto says whether the visitor came over HTTPS.
   */
  TRUST_PROXY: z.preprocess(
    (v) => (v === "true" ? "1" : v === "false" || v === "" ? "0" : v),
    z.coerce.number({ error: "TRUST_PROXY must be the number of proxy hops (0, 1, 2 …)" }).int().min(0).max(10).default(0),
  ),
});

export type Env = z.infer<typeof schema> & { AUTH_SECRET: string; NEXTAUTH_URL: string };

let cached: Env | undefined;

/** Every environment variable the app reads, parsed once. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse({ ...process.env, AUTH_SECRET: process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const e = parsed.data;
  cached = {
    ...e,
    AUTH_SECRET: e.AUTH_SECRET ?? localAuthSecret(e.DATABASE_PATH),
    NEXTAUTH_URL: e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`,
  };
  return cached;
}

/** A secret kept beside the database (git-ignored), made on first use so local runs need no set-up. */
function localAuthSecret(databasePath: string): string {
  const file = path.join(path.dirname(path.resolve(databasePath)), ".auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process made it first: use theirs so both sign with the same key.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
}

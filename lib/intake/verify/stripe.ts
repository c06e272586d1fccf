import { hmacSha256, prefixed, sameBytes, type Verdict } from "./hmac.ts";

/** Stripe's default: a signature older (or newer) than five minutes is refused, so a captured request cannot be replayed later. */
const STRIPE_TOLERANCE_SECONDS = 300;

/**
 * `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`: HMAC-SHA256 over "<t>.<raw body>" with the endpoint secret.
 * While a secret is rolled Stripe signs with each active secret, so any v1 matching any of ours is enough.
 */
export function verifyStripe(body: Uint8Array, header: string | null, secrets: string[], nowMs: number): Verdict {
  if (!header) return { ok: false, reason: "missing Stripe-Signature header" };
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, "hex"));
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: "Stripe-Signature has no timestamp or no v1 signature" };
  if (Math.abs(nowMs / 1000 - timestamp) > STRIPE_TOLERANCE_SECONDS) return { ok: false, reason: "stale timestamp (outside the 300 s tolerance)" };
  const signed = prefixed(`${timestamp}.`, body);
  for (const secret of secrets) {
    const expected = hmacSha256(secret, signed);
    if (signatures.some((s) => sameBytes(s, expected))) return { ok: true };
  }
  return { ok: false, reason: "no v1 signature matches" };
}

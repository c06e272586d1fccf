import { hmacSha256, prefixed, sameBytes, type Verdict } from "./hmac.ts";

/** The Standard Webhooks spec's tolerance for webhook-timestamp. */
const STANDARD_TOLERANCE_SECONDS = 300;

/** A Standard Webhooks secret is "whsec_" + base64 key bytes; the HMAC key is the decoded bytes. */
function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
}

/** The v1 signature of one message with one secret: HMAC-SHA256 of "<id>.<timestamp>.<body>" (what we check, and what we send out). */
export function standardSignature(secret: string, id: string, timestamp: string, body: Uint8Array): Buffer {
  return hmacSha256(standardKey(secret), prefixed(`${id}.${timestamp}.`, body));
}

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature: v1,<base64> [v1,<base64>…]` over
 * "<webhook-id>.<webhook-timestamp>.<raw body>"; several signatures are sent while a secret is rotated.
 */
export function verifyStandardWebhook(body: Uint8Array, headers: Headers, secrets: string[], nowMs: number): Verdict {
  const id = headers.get("webhook-id");
  const ts = headers.get("webhook-timestamp");
  const sig = headers.get("webhook-signature");
  if (!id || !ts || !sig) return { ok: false, reason: "missing webhook-id, webhook-timestamp or webhook-signature header" };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: "webhook-timestamp is not a unix time" };
  if (Math.abs(nowMs / 1000 - Number(ts)) > STANDARD_TOLERANCE_SECONDS) return { ok: false, reason: "stale timestamp (outside the 300 s tolerance)" };
  const given = sig
    .split(" ")
    .filter((s) => s.startsWith("v1,"))
    .map((s) => Buffer.from(s.slice(3), "base64"));
  if (given.length === 0) return { ok: false, reason: "webhook-signature has no v1 signature" };
  for (const secret of secrets) {
    const expected = standardSignature(secret, id, ts, body);
    if (given.some((g) => sameBytes(g, expected))) return { ok: true };
  }
  return { ok: false, reason: "no v1 signature matches" };
}

import { hmacSha256, sameBytes, type Verdict } from "./hmac.ts";

/** `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body with the app's secret. */
export function verifyShopify(body: Uint8Array, header: string | null, secrets: string[]): Verdict {
  if (!header) return { ok: false, reason: "missing X-Shopify-Hmac-Sha256 header" };
  const given = Buffer.from(header.trim(), "base64");
  if (given.length !== 32) return { ok: false, reason: "X-Shopify-Hmac-Sha256 is not a base64 SHA-256 HMAC" };
  for (const secret of secrets) if (sameBytes(given, hmacSha256(secret, body))) return { ok: true };
  return { ok: false, reason: "HMAC does not match" };
}

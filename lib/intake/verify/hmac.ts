import { createHmac, timingSafeEqual } from "node:crypto";

export type Verdict = { ok: true } | { ok: false; reason: string };

export function hmacSha256(key: string | Buffer, message: Uint8Array | string): Buffer {
  return createHmac("sha256", key).update(message).digest();
}

/** Constant-time comparison of two byte strings (different lengths are simply unequal). */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Concatenates a text prefix and the raw body without decoding the body: signatures cover the exact bytes. */
export function prefixed(prefix: string, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(prefix, "utf8"), body]);
}

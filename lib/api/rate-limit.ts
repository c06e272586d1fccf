/**
 * Per-key rate limit: a token bucket per API key holding a minute's allowance, refilled continuously, so a
 * key may burst up to its limit and then sustain limit/60 a second. Kept in this process, on globalThis so
 * every route bundle shares it: with several server processes (`npm start` runs one per core,
 * scripts/serve.ts; several machines) each holds a key's whole allowance, so a key spread over N processes
 * may reach N times its limit, and a client on one keep-alive connection (one process) gets exactly it.
 */
type Bucket = { tokens: number; at: number };
const buckets = ((globalThis as unknown as { switchyardApiBuckets?: Map<number, Bucket> }).switchyardApiBuckets ??= new Map());

export type RateVerdict = { ok: true; limit: number; remaining: number } | { ok: false; limit: number; retryAfterSeconds: number };

export function takeToken(keyId: number, perMinute: number, now = Date.now()): RateVerdict {
  const perMs = perMinute / 60_000;
  const b = buckets.get(keyId) ?? { tokens: perMinute, at: now };
  b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
  b.at = now;
  buckets.set(keyId, b);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return { ok: true, limit: perMinute, remaining: Math.floor(b.tokens) };
  }
  return { ok: false, limit: perMinute, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
}

/** For tests: forget every bucket. */
export function resetRateLimits(): void {
  buckets.clear();
}

import type { WebhookSource } from "./types.ts";

/**
 * Requests refused before anything was stored (unsigned, wrong or stale signature, oversized): only counted,
 * so a flood of them cannot fill the database. Per process, since start; kept on globalThis so the route
 * handlers and the admin page (separate bundles in Next) share one count.
 */
type Counts = Map<string, { source: WebhookSource; reason: string; count: number; lastAt: number }>;
const store = globalThis as unknown as { switchyardIntakeRefusals?: Counts };

export function countRefusal(source: WebhookSource, reason: string, at = Date.now()): void {
  const counts = (store.switchyardIntakeRefusals ??= new Map());
  const key = `${source}\u0000${reason}`;
  const c = counts.get(key);
  if (c) {
    c.count += 1;
    c.lastAt = at;
  } else counts.set(key, { source, reason, count: 1, lastAt: at });
}

export function refusalCounts(): { source: WebhookSource; reason: string; count: number; lastAt: number }[] {
  return [...(store.switchyardIntakeRefusals?.values() ?? [])].sort((a, b) => b.lastAt - a.lastAt);
}

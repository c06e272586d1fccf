// The degraded-mode column of `npm run bench -- search`: Elasticsearch configured but down, so every search
// goes through the degrading backend (lib/search/degrading.ts) and is answered by the embedded index. The
// main figures are for a node that refuses connections (stopped); `frozen` measures a node that accepts
// connections and never answers (as under SIGSTOP): the first searches wait out the timeout until the
// breaker opens, then answer at once.
import { createServer, type Server, type Socket } from "node:net";
import type { SessionUser } from "../lib/auth/permissions.ts";
import { CircuitBreaker } from "../lib/search/breaker.ts";
import { degradingBackend } from "../lib/search/degrading.ts";
import { elasticBackend } from "../lib/search/elastic/backend.ts";
import { ordersIndex } from "../lib/search/elastic/client.ts";
import { embeddedBackend } from "../lib/search/embedded/backend.ts";
import { searchOrders } from "../lib/search/search.ts";
import type { BackendColumn, ColumnContext } from "./search.ts";

const AGENT: SessionUser = { id: 1, email: "agent@switchyard.test", name: "Sofia Jansen", role: "agent" };
const TIMEOUT_MS = 1_500;
const FROZEN_QUERIES = 20;

/** A TCP server that takes connections and never answers: a frozen node. */
async function blackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const close = () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve())));
  return { url: `http://127.0.0.1:${port}`, close };
}

/** A port nothing listens on: a stopped node. */
async function refusedUrl(): Promise<string> {
  const hole = await blackHole();
  const url = hole.url;
  await hole.close();
  return url;
}

const degrading = (url: string) =>
  degradingBackend({
    primary: elasticBackend(() => ordersIndex({ url, alias: "orders" }), { timeoutMs: () => TIMEOUT_MS }),
    fallback: embeddedBackend,
    breaker: new CircuitBreaker({ failures: 3, coolDownMs: 5_000 }),
    timeoutMs: TIMEOUT_MS,
  });

export async function degradedColumn(ctx: ColumnContext): Promise<BackendColumn> {
  const refused = await refusedUrl();
  ctx.log(`Degraded mode: Elasticsearch configured at ${refused} (nothing listening); frozen node: ${FROZEN_QUERIES} searches against a black hole…`);
  const hole = await blackHole();
  const frozen = degrading(hole.url);
  const waits: number[] = [];
  for (const q of ctx.queries.slice(0, FROZEN_QUERIES)) {
    const started = performance.now();
    const r = await searchOrders({ q: q.q, user: AGENT, limit: 10, db: ctx.db, backend: frozen });
    waits.push(Math.round(performance.now() - started));
    if (!r.degraded) throw new Error("A search against a frozen node was not marked degraded.");
  }
  await hole.close();
  const slow = waits.filter((w) => w >= TIMEOUT_MS).length;
  ctx.log(`  frozen: ${slow} search(es) waited out the ${TIMEOUT_MS} ms timeout, then the breaker opened; the rest took ${median(waits.slice(slow))} ms (median)`);
  return {
    backend: degrading(refused),
    app: { url: refused, alias: "orders" },
    extra: { timeoutMs: TIMEOUT_MS, frozen: { searches: waits.length, waitedOutTimeout: slow, waitsMs: waits } },
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1] ?? 0;
}

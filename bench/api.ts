// `npm run bench -- api [--url URL] [--seconds N] [--connections N]`: the orders API over HTTP against a running
// `npm start` (seeded database, DATABASE_PATH shared with this command): autocannon clients placing orders under
// fresh Idempotency-Keys, replaying used keys, reading orders and listing pages. Reports requests/s, p50/p95/p99
// and 5xx per endpoint, checks no order was placed twice, writes bench/results/api.json.
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { env } from "../lib/env.ts";
import { getDb } from "../db/client.ts";
import { createApiKey } from "../lib/api/keys-admin.ts";
import { arg, rng, table, writeResult } from "./lib.ts";

type Scenario = { name: string; endpoint: string; rps: number; p50: number; p95: number; p99: number; requests: number; statuses: Record<string, number>; errors5xx: number; socketErrors: number };

const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0);
const round = (n: number) => Math.round(n * 10) / 10;

export async function main(args: string[]): Promise<void> {
  const seconds = arg(args, "seconds", 15);
  const connections = arg(args, "connections", 16);
  const { DATABASE_PATH, PORT } = env();
  const urlAt = args.indexOf("--url");
  const base = urlAt >= 0 ? args[urlAt + 1]! : `http://localhost:${PORT}`;
  if (!(await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false))) throw new Error(`Nothing answers ${base}/api/health: start the app first (npm start with the same DATABASE_PATH and PORT).`);

  const { id: keyId, key } = getDb(DATABASE_PATH).transaction(
    (tx) => createApiKey(tx, { name: `bench ${new Date().toISOString()}`, scopes: ["orders:read", "orders:write"], rateLimitPerMinute: 1_000_000, actor: { id: null, label: "bench" }, at: Date.now() }),
    { behavior: "immediate" },
  );
  const db = new Database(DATABASE_PATH, { readonly: true, fileMustExist: true });
  const skus = (db.prepare("SELECT sku FROM products WHERE active = 1 AND currency = 'EUR' ORDER BY id LIMIT 200").all() as { sku: string }[]).map((r) => r.sku);
  const numbers = (db.prepare("SELECT number FROM orders ORDER BY id LIMIT 10000").all() as { number: string }[]).map((r) => r.number);
  const ordersBefore = (db.prepare("SELECT count(*) AS n FROM orders").get() as { n: number }).n;
  const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const run = Date.now().toString(36);
  const random = rng(42);
  const bodyFor = (n: number) =>
    JSON.stringify({
      customer: { email: `bench-${run}-${n % 500}@example.test`, name: `Bench Customer ${n % 500}` },
      ship_to: { name: `Bench Customer ${n % 500}`, line1: `Benchstraße ${n % 500}`, city: "Leipzig", postcode: "04109", country: "DE", latitude: 51.34, longitude: 12.37 },
      lines: [{ sku: skus[n % skus.length], quantity: 1 + (n % 3) }, ...(n % 4 === 0 ? [{ sku: skus[(n * 7 + 1) % skus.length], quantity: 1 }] : [])],
      currency: "EUR",
      shipping: 495,
    });

  async function scenario(name: string, endpoint: string, request: (n: number) => { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string }): Promise<Scenario> {
    let n = 0;
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let done!: (r: autocannon.Result) => void;
    let failed!: (e: unknown) => void;
    const finished = new Promise<autocannon.Result>((resolve, reject) => ((done = resolve), (failed = reject)));
    const instance = autocannon({
      url: base,
      connections,
      duration: seconds,
      requests: [
        {
          setupRequest: (req) => {
            const r = request(n++);
            return { ...req, method: r.method, path: r.path, headers: { ...auth, ...r.headers }, body: r.body };
          },
        },
      ],
    }, (error, result) => (error ? failed(error) : done(result)));
    instance.on("response", (_client, statusCode, _bytes, ms) => {
      latencies.push(ms);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
    const result = await finished;
    latencies.sort((a, b) => a - b);
    const s = { name, endpoint, rps: Math.round(latencies.length / seconds), p50: round(pct(latencies, 50)), p95: round(pct(latencies, 95)), p99: round(pct(latencies, 99)), requests: latencies.length, statuses, errors5xx: Object.entries(statuses).filter(([c]) => c.startsWith("5")).reduce((t, [, v]) => t + v, 0), socketErrors: result.errors + result.timeouts };
    console.log(`${name}: ${s.rps}/s, p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms, answers ${JSON.stringify(statuses)}`);
    return s;
  }

  // The framework's own ceiling on this machine right now: Next answering its cheapest route (no key, one count).
  const baseline = await scenario("baseline: Next answering GET /api/health", "GET /api/health (baseline)", () => ({ method: "GET", path: "/api/health" }));
  const ordersNow = () => (db.prepare("SELECT count(*) AS n FROM orders").get() as { n: number }).n;
  // Orders this key placed, per Idempotency-Key, from the intake's stored events (one event id per key).
  const placedBy = () =>
    db.prepare("SELECT count(*) AS events, count(DISTINCT event_id) AS keys, count(DISTINCT order_id) AS keyOrders FROM webhook_events WHERE source = 'api' AND event_id LIKE ? AND outcome = 'applied'").get(`key-${keyId}:bench-${run}-%`) as {
      events: number;
      keys: number;
      keyOrders: number;
    };
  let used = 0;
  const place = await scenario("place orders (fresh Idempotency-Key)", "POST /api/v1/orders", (n) => {
    used = n + 1;
    return { method: "POST", path: "/api/v1/orders", headers: { "idempotency-key": `bench-${run}-${n}` }, body: bodyFor(n) };
  });
  await new Promise((r) => setTimeout(r, 1_000)); // requests still in flight when the clock stopped land
  const afterPlace = { orders: ordersNow(), ...placedBy() };
  const replay = await scenario("replay a used Idempotency-Key", "POST /api/v1/orders (replay)", () => {
    // Keys whose first request was answered: the last `connections` may still have been in flight.
    const n = Math.floor(random() * Math.max(1, used - connections));
    return { method: "POST", path: "/api/v1/orders", headers: { "idempotency-key": `bench-${run}-${n}` }, body: bodyFor(n) };
  });
  await new Promise((r) => setTimeout(r, 1_000));
  const afterReplay = { orders: ordersNow(), ...placedBy() };
  const read = await scenario("read an order", "GET /api/v1/orders/{number}", () => ({ method: "GET", path: `/api/v1/orders/${numbers[Math.floor(random() * numbers.length)]}` }));
  const cursors = [null, ...Array.from({ length: 40 }, () => numbers[Math.floor(random() * numbers.length)])];
  const cursorOf = db.prepare("SELECT placed_at AS placedAt, id FROM orders WHERE number = ?");
  const list = await scenario("list a page of 25", "GET /api/v1/orders?limit=25", (n) => {
    const at = cursors[n % cursors.length];
    const c = at ? (cursorOf.get(at) as { placedAt: number; id: number }) : null;
    const status = n % 3 === 0 ? "&status=delivered" : "";
    return { method: "GET", path: `/api/v1/orders?limit=25${status}${c ? `&cursor=${c.placedAt}.${c.id}` : ""}` };
  });

  // No key placed two orders, no order came from two keys, replays placed nothing, and every order placed is one of the keys'.
  const duplicates = Math.abs(afterPlace.orders - ordersBefore - afterPlace.keys) + (afterPlace.keys - afterPlace.keyOrders) + (afterReplay.orders - afterPlace.orders) + (afterReplay.keys - afterPlace.keys);
  const scenarios = [place, replay, read, list];
  const loadAverage = (await import("node:os")).loadavg().map((l) => Math.round(l * 100) / 100);
  const errors = scenarios.reduce((n, s) => n + s.errors5xx + s.socketErrors, 0);
  const result = {
    when: new Date().toISOString(),
    target: base,
    connections,
    secondsPerScenario: seconds,
    ordersInDatabase: ordersBefore,
    machine: { cpus: (await import("node:os")).cpus().length, loadAverageAtEnd: loadAverage },
    baseline,
    scenarios,
    invariant: {
      freshKeysAnswered201: place.statuses["201"] ?? 0,
      keysSent: used,
      ordersPlaced: afterPlace.orders - ordersBefore,
      keysWithAnOrder: afterPlace.keys,
      replaysSent: replay.requests,
      replaysAnswered201: replay.statuses["201"] ?? 0,
      ordersPlacedByReplays: afterReplay.orders - afterPlace.orders,
      duplicateOrders: duplicates,
      errors,
    },
    goal: { placePerSecond: 500, placeP99Ms: 100, replayAndReadPerSecond: 2000, errors: 0, duplicateOrders: 0 },
  };
  table([...scenarios, baseline].map((s) => ({ endpoint: s.endpoint, "req/s": s.rps, "p50 ms": s.p50, "p95 ms": s.p95, "p99 ms": s.p99, requests: s.requests, "5xx": s.errors5xx })));
  console.log(`orders placed ${result.invariant.ordersPlaced} for ${used} fresh keys (${result.invariant.freshKeysAnswered201} answered 201 before the clock stopped); replays placed ${result.invariant.ordersPlacedByReplays}; duplicates ${duplicates}; errors ${errors}`);
  console.log(`wrote ${writeResult("api", result)}`);
  db.close();
  if (duplicates !== 0 || errors !== 0) process.exitCode = 1;
}

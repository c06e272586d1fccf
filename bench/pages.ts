// `npm run bench -- pages [--orders N] [--seconds N] [--connections N] [--before DIR]`: the screens over HTTP on a
// production build (`next start`) against a database of N seeded orders (default 1,000,000, made once and cached
// under .cache/bench): signs in as every demo role through next-auth, then drives `connections` concurrent users
// (default 20, each request carrying the session of a role allowed on the page, the roles taking turns) at each
// page with autocannon, back to back and then paced at one request a second per user. Reports p50/p95/p99 and req/s per page, flags any p95 over 100 ms, writes
// bench/results/pages.json. `--before DIR` also measures /orders, a status filter and /alerts/metrics on the build in DIR (another checkout,
// built) against the same database, for a before/after in one run.
import autocannon from "autocannon";
import Database from "better-sqlite3";
import os from "node:os";
import { ROLES, type Role } from "../db/schema/auth.ts";
import { can, type Permission } from "../lib/auth/permissions.ts";
import { buildIfNeeded } from "../scripts/lib/build.ts";
import { openDatabase } from "../db/client.ts";
import { evaluateAndStoreAlerts } from "../lib/alerts/evaluate.ts";
import { signIn, startNext } from "./app-server.ts";
import { arg, table, writeResult } from "./lib.ts";
import { cachedSeededDb } from "./seeded-db.ts";

const GOAL_P95_MS = 100;

type Page = { name: string; path: string; permission: Permission };
type Measured = { page: string; path: string; rps: number; p50: number; p95: number; p99: number; requests: number; statuses: Record<string, number>; non2xx: number; errors: number; overGoal: boolean };

const round = (n: number) => Math.round(n * 10) / 10;

function pages(db: Database.Database): Page[] {
  // An order with a full history (shipments, refunds or notes on its timeline), picked the same way every run.
  const order = db.prepare("SELECT number FROM orders WHERE status = 'delivered' ORDER BY id DESC LIMIT 1 OFFSET 1000").get() as { number: string };
  const customer = db.prepare("SELECT c.name FROM customers c ORDER BY c.id LIMIT 1 OFFSET 4242").get() as { name: string };
  return [
    { name: "orders", path: "/orders", permission: "orders:read" },
    { name: "orders by status", path: "/orders?status=awaiting_fulfillment", permission: "orders:read" },
    { name: "orders by rare status", path: "/orders?status=payment_processing", permission: "orders:read" },
    { name: "order page", path: `/orders/${order.number}`, permission: "orders:read" },
    { name: "refunds", path: "/refunds", permission: "refunds:read" },
    { name: "alerts", path: "/alerts", permission: "alerts:read" },
    { name: "metrics", path: "/alerts/metrics", permission: "metrics:read" },
    { name: "routing", path: "/routing", permission: "routing:read" },
    { name: "search", path: `/api/search?${new URLSearchParams({ q: customer.name.split(" ").at(-1)! })}`, permission: "orders:read" },
  ];
}

async function measure(url: string, page: Page, sessions: Map<Role, string>, o: { seconds: number; connections: number; perUserRate?: number }): Promise<Measured> {
  const allowed = ROLES.filter((role) => can({ role }, page.permission));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  // One short warm-up so the first compile of a route's server code is not timed.
  for (const role of allowed) {
    await fetch(url + page.path, { headers: { cookie: sessions.get(role)! }, signal: AbortSignal.timeout(60_000) }).then(
      (r) => r.arrayBuffer(),
      (error: unknown) => console.log(`${page.name}: warm-up request failed (${String(error)})`),
    );
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: o.connections,
        duration: o.seconds,
        // Paced: each user asks once per 1/rate s (a person reading between clicks); otherwise back to back.
        ...(o.perUserRate ? { overallRate: o.perUserRate * o.connections } : {}),
        requests: allowed.map((role) => ({ method: "GET" as const, path: page.path, headers: { cookie: sessions.get(role)! } })),
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on("response", (_client, statusCode, _bytes, ms) => {
      latencies.push(ms);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => round(latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! : 0);
  const non2xx = Object.entries(statuses).filter(([c]) => !c.startsWith("2")).reduce((t, [, v]) => t + v, 0);
  const m = { page: page.name, path: page.path, rps: round(latencies.length / o.seconds), p50: pct(50), p95: pct(95), p99: pct(99), requests: latencies.length, statuses, non2xx, errors: result.errors + result.timeouts, overGoal: false };
  m.overGoal = m.p95 > GOAL_P95_MS || non2xx > 0 || m.errors > 0;
  console.log(`${o.perUserRate ? "paced " : ""}${m.page}: ${m.rps}/s, p50 ${m.p50} ms, p95 ${m.p95} ms, p99 ${m.p99} ms, answers ${JSON.stringify(statuses)}${m.overGoal ? "  <-- over the goal" : ""}`);
  return m;
}

async function run(o: { databasePath: string; appDir?: string; list: Page[]; seconds: number; connections: number; paced?: boolean }): Promise<{ saturated: Measured[]; paced: Measured[] }> {
  const app = await startNext({ databasePath: o.databasePath, appDir: o.appDir });
  try {
    const sessions = new Map<Role, string>();
    for (const role of ROLES) sessions.set(role, await signIn(app.url, role));
    const saturated: Measured[] = [];
    const paced: Measured[] = [];
    for (const page of o.list) {
      saturated.push(await measure(app.url, page, sessions, o));
      if (o.paced) paced.push(await measure(app.url, page, sessions, { ...o, perUserRate: 1 }));
    }
    return { saturated, paced };
  } finally {
    await app.stop();
  }
}

export async function main(args: string[]): Promise<void> {
  const orders = arg(args, "orders", 1_000_000);
  const seconds = arg(args, "seconds", 10);
  const connections = arg(args, "connections", 20);
  const beforeAt = args.indexOf("--before");
  const beforeDir = beforeAt >= 0 ? args[beforeAt + 1] : undefined;

  const seedStarted = performance.now();
  const { file, seededSeconds } = await cachedSeededDb(orders);
  const preparedSeconds = (performance.now() - seedStarted) / 1000;
  // What the worker does every minute, once, so /alerts and the badge show what a running system holds.
  const writer = openDatabase(file);
  const evaluated = evaluateAndStoreAlerts(writer);
  writer.$client.close();
  buildIfNeeded();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const list = pages(db);
  const ordersInDatabase = (db.prepare("SELECT count(*) AS n FROM orders").get() as { n: number }).n;
  const liveAlerts = (db.prepare("SELECT count(*) AS n FROM alerts WHERE status <> 'resolved'").get() as { n: number }).n;
  db.close();

  console.log(`${ordersInDatabase.toLocaleString("en-US")} orders and ${liveAlerts.toLocaleString("en-US")} live alerts in ${file}; ${connections} concurrent signed-in users, ${seconds} s per page`);
  const measured = await run({ databasePath: file, list, seconds, connections, paced: true });
  const after = measured.saturated;
  let before: Measured[] | null = null;
  if (beforeDir) {
    console.log(`\nthe same pages on the build in ${beforeDir}:`);
    // The pages the issue measured before: the list and its status filter, then the metrics page (slowest, last).
    const compared = list.filter((p) => p.name === "orders" || p.name === "orders by status" || p.name === "metrics");
    before = (await run({ databasePath: file, appDir: beforeDir, list: compared, seconds, connections })).saturated;
  }

  table(
    after.map((m) => {
      const b = before?.find((x) => x.page === m.page);
      return {
        page: m.path.length > 40 ? `${m.path.slice(0, 37)}...` : m.path,
        "req/s": m.rps,
        "p50 ms": m.p50,
        "p95 ms": m.p95,
        "p99 ms": m.p99,
        "paced p95": measured.paced.find((x) => x.page === m.page)?.p95 ?? "-",
        // A page that answered nothing within autocannon's 10 s timeout has no percentiles: said so, not shown as 0.
        ...(before ? { "before p50": b ? (b.requests ? b.p50 : "none in 10 s") : "-", "before p95": b ? (b.requests ? b.p95 : "none in 10 s") : "-", "p95 ×faster": b?.requests && m.p95 ? round(b.p95 / m.p95) : "-" } : {}),
        goal: m.overGoal ? "OVER" : "ok",
      };
    }),
  );
  const over = after.filter((m) => m.overGoal);
  const result = {
    when: new Date().toISOString(),
    command: `npm run bench -- pages ${args.join(" ")}`.trim(),
    ordersInDatabase,
    liveAlerts,
    alertEvaluation: evaluated,
    database: { file: file.replace(process.cwd() + "/", ""), seededSeconds, preparedSeconds: round(preparedSeconds) },
    connections,
    secondsPerPage: seconds,
    machine: { cpus: os.cpus().length, loadAverageAtEnd: os.loadavg().map((l) => round(l)) },
    goal: { p95Ms: GOAL_P95_MS, non2xx: 0 },
    /** Every user asking back to back (autocannon's closed loop): the throughput ceiling. */
    pages: after,
    /** Every user asking once a second (20 requests/s in all). */
    paced: measured.paced,
    /** The build in --before DIR, back to back, same database. */
    before,
    overGoal: over.map((m) => m.page),
  };
  console.log(over.length ? `p95 over ${GOAL_P95_MS} ms (or errors): ${over.map((m) => m.page).join(", ")}` : `every page p95 ≤ ${GOAL_P95_MS} ms`);
  console.log(`wrote ${writeResult("pages", result)}`);
  if (over.length) process.exitCode = 1;
}

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type * as OrderActions from "../../app/(ops)/orders/[id]/actions.ts";
import type * as AdminActions from "../../app/(ops)/admin/actions.ts";
import type * as Queue from "../../lib/refunds/queue.ts";
import type { DB } from "../../db/client.ts";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { seededAppDatabase } from "../support/app-db.ts";

let db: DB;
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let orders: typeof OrderActions;
let admin: typeof AdminActions;
let queue: typeof Queue;
let limits: () => Record<string, number>;

const one = <T>(sqlText: string, ...params: unknown[]) => db.$client.prepare(sqlText).get(...params) as T;
const freshOrder = (currency: string) =>
  one<{ id: number; number: string; version: number }>(
    `SELECT id, number, version FROM orders WHERE status = 'delivered' AND currency = ? AND paid - refunded > 30000 AND id NOT IN (SELECT order_id FROM refunds) ORDER BY id LIMIT 1`,
    currency,
  );
const version = (id: number) => one<{ version: number }>("SELECT version FROM orders WHERE id = ?", id).version;

beforeAll(async () => {
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 400, buildElasticsearch: false }));
  orders = await import("../../app/(ops)/orders/[id]/actions.ts");
  admin = await import("../../app/(ops)/admin/actions.ts");
  queue = await import("../../lib/refunds/queue.ts");
  const ledger = await import("../../db/queries/ledger.ts");
  limits = () => ledger.readRefundLimits(db);
}, 180_000);
afterAll(() => cleanup?.());

const ask = async (orderId: number, amount: number, reason = "Arrived broken") => {
  const res = await runAs(users.agent, () => orders.requestRefundAction({ orderId, expectedVersion: version(orderId), amount, reason }));
  expect(res).toMatchObject({ ok: true });
};
const load = (q: Partial<Queue.QueueQuery> = {}) => queue.loadApprovalQueue({ sort: "oldest", page: 1, ...q }, limits());

describe("the approval queue", () => {
  test("each request is placed against its own currency's limit, counting what agents already refunded on the order; a raised limit moves old requests to 'within'", async () => {
    // Limits as seeded: EUR 100.00, GBP 85.00.
    expect(await runAs(users.admin, () => admin.setRefundLimitAction({ amount: 10_000, currency: "EUR" }))).toMatchObject({ ok: true });
    const eur = freshOrder("EUR");
    const gbp = freshOrder("GBP");
    const cumulative = one<{ id: number }>(
      `SELECT id FROM orders WHERE status = 'delivered' AND currency = 'EUR' AND paid - refunded > 30000 AND id NOT IN (SELECT order_id FROM refunds) AND id <> ? ORDER BY id LIMIT 1`,
      eur.id,
    );
    await ask(eur.id, 12_095); // €120.95 over today's €100 limit: waits
    await ask(gbp.id, 9_000); // £90.00 over the £85 limit (under €100, but the euro limit is not its limit)
    await ask(cumulative.id, 6_000); // €60 paid out without finance …
    await ask(cumulative.id, 6_000); // … so a second €60 takes the order to €120: waits
    expect(one<{ n: number }>("SELECT count(*) AS n FROM refunds WHERE order_id = ? AND status = 'pending_approval'", cumulative.id).n).toBe(1);

    let q = load({ search: eur.number });
    expect(q.rows.map((r) => [r.currency, r.amount, r.standing.over, r.standing.limit])).toEqual([["EUR", 12_095, true, 10_000]]);
    q = load({ search: gbp.number });
    expect(q.rows.map((r) => [r.currency, r.amount, r.standing.over, r.standing.limit])).toEqual([["GBP", 9_000, true, 8_500]]);
    q = load({ search: one<{ number: string }>("SELECT number FROM orders WHERE id = ?", cumulative.id).number });
    expect(q.rows[0]!.standing).toEqual({ limit: 10_000, byAgents: 6_000, withRequest: 12_000, over: true });

    // The admin raises the euro limit to €150: €120.95 is no longer "over €150"; the pound request is untouched.
    expect(await runAs(users.admin, () => admin.setRefundLimitAction({ amount: 15_000, currency: "EUR" }))).toMatchObject({ ok: true });
    q = load({ search: eur.number });
    expect(q.rows[0]!.standing).toMatchObject({ over: false, limit: 15_000 });
    const all = load();
    const eurSummary = all.summaries.find((s) => s.currency === "EUR")!;
    const gbpSummary = all.summaries.find((s) => s.currency === "GBP")!;
    expect(eurSummary.limit).toBe(15_000);
    expect(gbpSummary.limit).toBe(8_500);
    expect(eurSummary.over + eurSummary.within).toBe(eurSummary.waiting);
    expect(eurSummary.within).toBeGreaterThanOrEqual(2); // €120.95 and the €120 cumulative one at least
    expect(all.totalWaiting).toBe(one<{ n: number }>("SELECT count(*) AS n FROM refunds WHERE status = 'pending_approval'").n);
    // Every request counted "over" really would take agents past today's limit for its own currency.
    const pages = Array.from({ length: all.pages }, (_, i) => load({ page: i + 1 }).rows).flat();
    expect(pages).toHaveLength(all.totalWaiting);
    for (const r of pages) expect(r.standing.over).toBe(r.standing.withRequest > (r.currency === "EUR" ? 15_000 : 8_500));
  });

  test("the standings are recomputed after a change to refunds made by any process, and only then", async () => {
    const before = load();
    const eur = freshOrder("EUR");
    await ask(eur.id, 20_000); // over the limit: one more waiting, in this process
    const asked = load();
    expect(asked.totalWaiting).toBe(before.totalWaiting + 1);
    // Another process (a second connection to the same file) decides a request: seen on the next load.
    const other = new Database(db.$client.name);
    try {
      const r = other.prepare("SELECT id FROM refunds WHERE status = 'pending_approval' ORDER BY id LIMIT 1").get() as { id: number };
      other.prepare("UPDATE refunds SET status = 'rejected', decided_at = ? WHERE id = ?").run(Date.now(), r.id);
    } finally {
      other.close();
    }
    const decided = load();
    expect(decided.totalWaiting).toBe(asked.totalWaiting - 1);
    expect(decided.totalWaiting).toBe(one<{ n: number }>("SELECT count(*) AS n FROM refunds WHERE status = 'pending_approval'").n);
    // Nothing changed: the same standings object is served again (no recomputation).
    expect(load().summaries).toBe(load().summaries);
  });

  test("refund totals are read again after a change to refunds made by any process, and only then", async () => {
    const { refundTotals } = await import("../../db/queries/refunds.ts");
    const recount = () =>
      db.$client
        .prepare(
          `SELECT currency, count(*) AS count, sum(amount) AS amount, coalesce(sum(CASE WHEN status = 'succeeded' THEN amount END), 0) AS paidOut,
                  coalesce(sum(CASE WHEN status = 'pending_approval' THEN amount END), 0) AS waiting
           FROM refunds GROUP BY currency ORDER BY currency`,
        )
        .all();
    const first = refundTotals({ filters: {} });
    expect(first).toEqual(recount());
    const over = (min: number) => db.$client.prepare("SELECT currency, count(*) AS count FROM refunds WHERE amount >= ? GROUP BY currency ORDER BY currency").all(min);
    const overCounts = () => refundTotals({ filters: { min: 20_000 } }).map((t) => ({ currency: t.currency, count: t.count }));
    expect(overCounts()).toEqual(over(20_000));
    // Nothing changed: the same totals, not summed again.
    expect(refundTotals({ filters: {} })).toBe(first);
    // A request in this process: counted at once.
    const eur = freshOrder("EUR");
    await ask(eur.id, 21_000);
    const asked = refundTotals({ filters: {} });
    expect(asked).not.toBe(first);
    expect(asked).toEqual(recount());
    // Another process (a second connection to the same file) decides that request: counted on the next read.
    const other = new Database(db.$client.name);
    try {
      const r = other.prepare("SELECT id FROM refunds WHERE status = 'pending_approval' AND order_id = ?").get(eur.id) as { id: number };
      other.prepare("UPDATE refunds SET status = 'rejected', decided_at = ? WHERE id = ?").run(Date.now(), r.id);
    } finally {
      other.close();
    }
    expect(overCounts()).toEqual(over(20_000)); // a filter the rollup cannot answer: re-read too
    const decided = refundTotals({ filters: { status: "pending_approval" } });
    expect(refundTotals({ filters: {} })).toEqual(recount());
    expect(decided.reduce((n, t) => n + t.count, 0)).toBe(one<{ n: number }>("SELECT count(*) AS n FROM refunds WHERE status = 'pending_approval'").n);
    // What is handed out cannot be changed by a caller and so poison the next reader.
    expect(() => ((refundTotals({ filters: {} })[0] as { count: number }).count = 0)).toThrow(TypeError);
  });

  test("sorts oldest, newest and largest first; searches by order number and customer; filters by currency; pages without overlap", async () => {
    const oldest = load().rows;
    const newest = load({ sort: "newest" }).rows;
    const largest = load({ sort: "largest" }).rows;
    expect(oldest.map((r) => r.createdAt)).toEqual([...oldest.map((r) => r.createdAt)].sort((a, b) => a - b));
    expect(newest.map((r) => r.createdAt)).toEqual([...newest.map((r) => r.createdAt)].sort((a, b) => b - a));
    expect(largest.map((r) => r.amount)).toEqual([...largest.map((r) => r.amount)].sort((a, b) => b - a));
    const someone = oldest[0]!;
    const byCustomer = load({ search: someone.customerName.split(" ")[0]!.toLowerCase() });
    expect(byCustomer.rows.map((r) => r.id)).toContain(someone.id);
    for (const r of byCustomer.rows) expect(r.customerName.toLowerCase()).toContain(someone.customerName.split(" ")[0]!.toLowerCase());
    const gbpOnly = load({ currency: "GBP" });
    expect(gbpOnly.rows.length).toBeGreaterThan(0);
    for (const r of gbpOnly.rows) expect(r.currency).toBe("GBP");
    expect(load({ search: "100%_" }).matching).toBe(0); // LIKE wildcards are text
    const all = load();
    if (all.pages > 1) {
      const first = new Set(load({ page: 1 }).rows.map((r) => r.id));
      for (const r of load({ page: 2 }).rows) expect(first.has(r.id)).toBe(false);
    }
  });

  test("queue URL keys are read safely: unknown sorts, bad pages and currencies fall back", () => {
    expect(queue.parseQueueQuery({ qsort: "DROP", qpage: "-3", qcurrency: "xx", qq: "  SY-1 " })).toEqual({ search: "SY-1", currency: undefined, sort: "oldest", page: 1 });
    expect(queue.parseQueueQuery({ qsort: "largest", qpage: "2", qcurrency: "gbp" })).toEqual({ search: undefined, currency: "GBP", sort: "largest", page: 2 });
  });
});

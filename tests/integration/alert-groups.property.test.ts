// The alerts screen's one-row-per-order pages are found by walking live alerts oldest first and stopping
// early (db/queries/alerts.ts). Checked here against the plain GROUP BY they replace, on random alerts with
// many ties on `since`, orderless alerts, every filter, and keyset pages of random sizes.
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { listAlertGroups } from "../../db/queries/alerts.ts";
import { insertUser } from "../support/fixtures.ts";
import { createOrdersWorld, placeRoutedOrder, stock, type OrdersWorld } from "../support/orders-world.ts";

let w: OrdersWorld;
let orderIds: number[];
let owners: number[];
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  stock(w, w.loc.RTM, w.product.KETTLE, 100);
  orderIds = Array.from({ length: 8 }, () => placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 1 }] }).orderId);
  owners = [insertUser(w.db, "manager", "one@switchyard.test").id, insertUser(w.db, "manager", "two@switchyard.test").id];
});
afterAll(() => w.cleanup());

const RULES = ["awaiting_fulfillment_stale", "shipment_past_sla", "backorder_aged"] as const;
const alertArb = fc.record({
  order: fc.option(fc.nat({ max: 7 }), { freq: 3 }),
  rule: fc.constantFrom(...RULES),
  status: fc.constantFrom("open", "acknowledged", "resolved"),
  since: fc.integer({ min: 1, max: 6 }),
  owner: fc.option(fc.nat({ max: 1 })),
});
// Mostly unfiltered, so pages hold many groups tied on `since`.
const sometimes = <T, N>(arb: fc.Arbitrary<T>, nil: N) => fc.oneof({ arbitrary: fc.constant(nil), weight: 3 }, { arbitrary: arb, weight: 1 });
const filterArb = fc.record({
  rule: sometimes(fc.constantFrom(...RULES), undefined),
  status: sometimes(fc.constantFrom("open" as const, "acknowledged" as const), undefined),
  owner: sometimes(fc.oneof(fc.constant("none" as const), fc.nat({ max: 1 })), undefined),
  scopeRules: sometimes(fc.subarray([...RULES], { minLength: 1 }), null),
  limit: fc.integer({ min: 1, max: 4 }),
});

test("pages of groups found by the early-stopping walk equal the GROUP BY, page after page", () => {
  fc.assert(
    fc.property(fc.array(alertArb, { maxLength: 40 }), filterArb, (alerts, f) => {
      const c = w.db.$client;
      c.prepare("DELETE FROM alerts").run();
      const insert = c.prepare("INSERT INTO alerts (rule, subject, order_id, status, raised_at, since, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
      alerts.forEach((a, i) => insert.run(a.rule, `t:${i}`, a.order === null ? null : orderIds[a.order]!, a.status, 1000, a.since * 60_000, a.owner === null ? null : owners[a.owner]!));
      const owner = f.owner === undefined || f.owner === "none" ? f.owner : owners[f.owner]!;

      const where = ["status <> 'resolved'"];
      const params: (string | number)[] = [];
      const add = (clause: string, ...values: (string | number)[]) => {
        where.push(clause);
        params.push(...values);
      };
      if (f.rule) add("rule = ?", f.rule);
      if (f.status) add("status = ?", f.status);
      if (owner === "none") add("owner_id IS NULL");
      else if (owner !== undefined) add("owner_id = ?", owner);
      if (f.scopeRules) add(`rule IN (${f.scopeRules.map(() => "?").join(", ")})`, ...f.scopeRules);
      const expected = c
        .prepare(`SELECT coalesce(order_id, -id) AS key, min(since) AS since FROM alerts WHERE ${where.join(" AND ")} GROUP BY key ORDER BY since, key`)
        .all(...params) as { key: number; since: number }[];

      const seen: { key: number; since: number; alerts: number }[] = [];
      let after: { since: number; key: number } | null = null;
      for (let pages = 0; pages <= expected.length + 1; pages++) {
        const page = listAlertGroups({ rule: f.rule, status: f.status, owner, scope: { rules: f.scopeRules, locationId: null }, after, limit: f.limit });
        expect(page.groups.length).toBeLessThanOrEqual(f.limit);
        seen.push(...page.groups.map((g) => ({ key: g.key, since: g.since, alerts: g.alerts.length })));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen.map(({ key, since }) => ({ key, since }))).toEqual(expected);
      // Each group lists exactly its alerts that pass the filter.
      for (const g of seen) {
        const n = c.prepare(`SELECT count(*) AS n FROM alerts WHERE ${where.join(" AND ")} AND coalesce(order_id, -id) = ?`).get(...params, g.key) as { n: number };
        expect(g.alerts).toBe(n.n);
      }
    }),
    { numRuns: 300 },
  );
});


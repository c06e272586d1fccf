import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSearchQueries } from "../../bench/search-queries.ts";
import { seedDatabase } from "../../lib/seed/index.ts";
import type { SearchBackend } from "../../lib/search/backend.ts";
import { elasticBackend } from "../../lib/search/elastic/backend.ts";
import { embeddedBackend } from "../../lib/search/embedded/backend.ts";
import { searchOrders } from "../../lib/search/search.ts";
import type { SearchFilters } from "../../lib/search/types.ts";
import type { DB } from "../../db/client.ts";
import { tempDatabase } from "../support/db.ts";
import { describeElasticsearch, dropIndex, testIndex } from "../support/elastic.ts";
import { EMAIL_NEIGHBOURS, USERS, seedEmailNeighbours } from "../support/search-fixtures.ts";

type Query = { q: string; filters?: SearchFilters };

/** The ranked order ids each backend answers, for every query; the queries on which they differ. */
async function disagreements(db: DB, es: SearchBackend, queries: Query[]): Promise<{ q: string; embedded: number[]; elasticsearch: number[] }[]> {
  const out: { q: string; embedded: number[]; elasticsearch: number[] }[] = [];
  for (const { q, filters } of queries) {
    const run = async (backend: SearchBackend) => (await searchOrders({ q, filters, user: USERS.agent, limit: 20, db, backend })).hits.map((h) => h.orderId);
    const [a, b] = [await run(embeddedBackend), await run(es)];
    if (a.join() !== b.join()) out.push({ q: filters?.status ? `${q} [${filters.status.join()}]` : q, embedded: a, elasticsearch: b });
  }
  return out;
}

/** What agents paste for an order, a customer and a city, made from the data. */
function pastedForms(db: DB, count: number): Query[] {
  const rows = db.$client
    .prepare(
      `SELECT o.number, c.email, c.name, c.phone, a.city FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id
       ORDER BY o.id DESC LIMIT ?`,
    )
    .all(count) as { number: string; email: string; name: string; phone: string | null; city: string }[];
  const out: Query[] = [];
  for (const r of rows) {
    const digits = r.number.slice(3);
    out.push(...[`#${digits}`, `SY–${digits}`, `SY_${digits}`, `${r.number}.`, `order ${r.number}`].map((q) => ({ q })));
    out.push({ q: `mailto:${r.email}` }, { q: `${r.name} <${r.email}>` });
    if (r.phone?.startsWith("+")) out.push({ q: r.phone.replace(/^(\+\d{2})/, "$1 (0)") });
    if (r.city.includes(" ")) out.push({ q: r.city.replace(/\s+/g, "").toLowerCase() });
  }
  return out;
}

/** Swaps two middle letters: the typo a caller's spelling gives. */
function typo(word: string): string {
  if (word.length < 5) return word;
  const i = Math.floor(word.length / 2);
  return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
}

/** Names with a product or a city word, as a caller gives them: "garsia jacket", "jose garcia sevilla", "sevilla mug garcia". */
function mixedForms(db: DB, count: number): Query[] {
  const rows = db.$client
    .prepare(
      `SELECT c.name, a.city, (SELECT l.name FROM order_lines l WHERE l.order_id = o.id ORDER BY l.id LIMIT 1) AS product
       FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id ORDER BY o.id DESC LIMIT ?`,
    )
    .all(count) as { name: string; city: string; product: string | null }[];
  const out: Query[] = [];
  for (const r of rows) {
    const [first = "", ...rest] = r.name.split(" ");
    const last = rest.at(-1) ?? first;
    const productWord = (r.product ?? "").split(/[\s—,]+/).find((w) => w.length >= 4) ?? "";
    out.push({ q: `${typo(last)} ${productWord}` }, { q: `${first} ${last} ${r.city}` }, { q: `${typo(last)} ${productWord.slice(0, 3)}` });
    out.push({ q: `${r.city} ${productWord.toLowerCase()} ${last}` }, { q: `${first} ${typo(productWord)}`, filters: { status: ["delivered", "awaiting_fulfillment"] } });
  }
  return out;
}

describeElasticsearch("the two backends agree", () => {
  describe("on a generated query set over seeded orders", () => {
    const t = tempDatabase();
    const target = testIndex("agree");
    const es = elasticBackend(() => target);

    beforeAll(async () => {
      await seedDatabase(t.db, { orders: 2_000, seed: 7 });
      await es.prepare!(t.db);
    }, 120_000);
    afterAll(async () => {
      await dropIndex(target);
      t.cleanup();
    });

    it("answers every generated query (names with mistakes, emails, phones, SKUs, tracking numbers…) with the same orders in the same order", { timeout: 120_000 }, async () => {
      const generated = generateSearchQueries(t.db.$client, { scale: 0.5 }).map(({ q }) => ({ q }));
      expect(generated.length).toBeGreaterThan(400);
      expect(await disagreements(t.db, es, generated)).toEqual([]);
    });

    it("answers pasted order numbers, emails, phones and run-together cities alike, with and without a status filter", { timeout: 60_000 }, async () => {
      const pasted = pastedForms(t.db, 30);
      const filtered = pasted.slice(0, 60).map((p) => ({ ...p, filters: { status: ["pending", "delivered"] } }) as Query);
      expect(await disagreements(t.db, es, [...pasted, ...filtered])).toEqual([]);
    });

    it("answers a name with a product or a city word (every word matching some field) with the same orders in the same order", { timeout: 120_000 }, async () => {
      const mixed = mixedForms(t.db, 40);
      expect(mixed.length).toBe(200);
      // Not an agreement on nothing: most of them find their order.
      let found = 0;
      for (const { q, filters } of mixed) if ((await searchOrders({ q, filters, user: USERS.agent, limit: 1, db: t.db, backend: embeddedBackend })).hits.length) found++;
      expect(found).toBeGreaterThan(150);
      expect(await disagreements(t.db, es, mixed)).toEqual([]);
    });
  });

  describe("on exact and mistyped emails with close neighbours", () => {
    const t = tempDatabase();
    const target = testIndex("agree-email");
    const es = elasticBackend(() => target);

    beforeAll(async () => {
      seedEmailNeighbours(t.db);
      await es.prepare!(t.db);
    });
    afterAll(async () => {
      await dropIndex(target);
      t.cleanup();
    });

    it("answers each address, exact or one or two typos off, with the same orders", async () => {
      const n = EMAIL_NEIGHBOURS;
      const exact = [n.sofia, ...n.oneAway, n.twoAway, n.anna, "p7.hansen@example.com"];
      const typos = ["sofia.martim7@example.net", "sofai.martin7@example.net", "sofia.martinez8@example.net", "anan.jansen@example.com", "anna.jansne@example.com", "p7.hansne@exmaple.com"];
      expect(await disagreements(t.db, es, [...exact, ...typos].map((q) => ({ q })))).toEqual([]);
    });
  });
});

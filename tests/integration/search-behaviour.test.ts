import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchBackend } from "../../lib/search/backend.ts";
import { embeddedBackend } from "../../lib/search/embedded/backend.ts";
import { searchOrders } from "../../lib/search/search.ts";
import type { SearchFilters, SearchResult } from "../../lib/search/types.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { tempDatabase } from "../support/db.ts";
import { EMAIL_NEIGHBOURS, ORDERS, PEOPLE, USERS, orderId, seedEmailNeighbours, seedSearchFixture } from "../support/search-fixtures.ts";

/**
 * One behaviour, every backend: the embedded index always, and Elasticsearch when ELASTICSEARCH_URL
 * is set (imported only then). Each backend gets the same hand-made data through prepare().
 */
async function backends(): Promise<{ backend: SearchBackend; cleanup: () => Promise<void> }[]> {
  const list: { backend: SearchBackend; cleanup: () => Promise<void> }[] = [{ backend: embeddedBackend, cleanup: async () => {} }];
  if (process.env.ELASTICSEARCH_URL) {
    const { elasticBackend } = await import("../../lib/search/elastic/backend.ts");
    const { testIndex, dropIndex } = await import("../support/elastic.ts");
    const target = testIndex("behaviour");
    list.push({ backend: elasticBackend(() => target), cleanup: () => dropIndex(target) });
  }
  return list;
}

const numbers = (r: SearchResult) => r.hits.map((h) => h.number);
const customers = (r: SearchResult) => r.hits.map((h) => h.customerName);
const ordersOf = (...who: (keyof typeof PEOPLE)[]) => ORDERS.filter((o) => who.includes(o.who)).map((o) => o.number);

for (const { backend, cleanup } of await backends()) {
  describe(`search (${backend.name} backend)`, () => {
    const t = tempDatabase();
    const search = (q: string, o: { user?: SessionUser; filters?: SearchFilters; cursor?: string | null; limit?: number } = {}) =>
      searchOrders({ q, user: o.user ?? USERS.agent, filters: o.filters, cursor: o.cursor, limit: o.limit ?? 20, db: t.db, backend });

    beforeAll(async () => {
      seedSearchFixture(t.db);
      await backend.prepare?.(t.db);
    });
    afterAll(async () => {
      await cleanup();
      t.cleanup();
    });

    it("finds José García's orders for 'Jose Garcia', without accents or capitals", async () => {
      for (const q of ["Jose Garcia", "JOSE GARCIA", "garcia jose", "José García"]) {
        const r = await search(q);
        expect(r.backend).toBe(backend.name);
        expect(numbers(r).slice(0, 3).sort(), q).toEqual(ordersOf("jose").sort());
        expect(r.hits[0]!.matched.some((m) => m.field === "name" && m.value === "José García" && m.ranges.length === 2)).toBe(true);
      }
    });

    it("finds John Smith first for 'jhon smiht', ahead of the farther Jon Smyth", async () => {
      const r = await search("jhon smiht");
      expect(customers(r)[0]).toBe("John Smith");
      const smyth = customers(r).indexOf("Jon Smyth");
      if (smyth >= 0) expect(smyth).toBeGreaterThan(customers(r).lastIndexOf("John Smith"));
    });

    it("finds J. García's orders for 'García J', and not Lucía García's", async () => {
      const r = await search("García J");
      expect(new Set(numbers(r))).toEqual(new Set(ordersOf("jose", "javier")));
    });

    it("matches a city with a surname: 'Madrid Garcia' is José and Lucía in Madrid, not Javier in Sevilla", async () => {
      const r = await search("Madrid Garcia");
      expect(new Set(numbers(r))).toEqual(new Set(ordersOf("jose", "lucia")));
    });

    it("narrows a mistyped name by a product or a city word: every word matches the name, the city or one of the order's products", async () => {
      expect(numbers(await search("garsia skillet")).sort()).toEqual(["SY-100004", "SY-100011"]);
      expect(numbers(await search("jose garsia mug"))).toEqual(["SY-100007"]);
      expect(numbers(await search("garsia sevilla skillet"))).toEqual(["SY-100004"]);
      expect(numbers(await search("garcia sevilla"))).toEqual(["SY-100004"]);
      // No García bought a jacket: a name and a product must meet in one order.
      expect(numbers(await search("garsia jacket"))).toEqual([]);
      // The exact name first, the one a typo away after it.
      expect(numbers(await search("mug smith"))).toEqual(["SY-100002", "SY-100006"]);
      const hit = (await search("garsia skillet")).hits[0]!;
      expect(hit.matched.map((m) => m.field)).toEqual(expect.arrayContaining(["name", "product"]));
    });

    it("finds Zoë O'Brien however the apostrophe and diaeresis are typed", async () => {
      for (const q of ["zoe obrien", "Zoë O'Brien", "zoe o'brien", "Zoe O Brien"]) {
        expect(new Set(numbers(await search(q))), q).toEqual(new Set(ordersOf("zoe")));
      }
    });

    it("'8812' finds orders whose phone or order number ends in it, phone endings newest first", async () => {
      const r = await search("8812");
      expect(new Set(numbers(r))).toEqual(new Set(["SY-108812", ...ordersOf("zoe", "emma")]));
      expect(numbers(r).filter((n) => n !== "SY-108812")).toEqual(["SY-100010", "SY-100009", "SY-100003"]);
      const zoe = r.hits.find((h) => h.number === "SY-100010")!;
      expect(zoe.matched.find((m) => m.field === "phone")).toMatchObject({ value: PEOPLE.zoe.phone, ranges: [[9, 13]] });
    });

    it("ranks an exact order number above a newer order whose phone merely ends the same way", async () => {
      const r = await search("108812");
      expect(numbers(r)[0]).toBe("SY-108812");
      expect(numbers(r)).toContain("SY-100009");
      expect(r.hits[0]!.score).toBeGreaterThan(r.hits[1]!.score);
    });

    it("finds an order by its full number, with or without the prefix", async () => {
      for (const q of ["SY-100004", "sy100004", "100004"]) expect(numbers(await search(q))[0], q).toBe("SY-100004");
    });

    it("finds an order number however an agent pastes it", async () => {
      for (const q of ["#100001", "SY–100001", "SY—100001", "SY−100001", "SY_100001", "SY-100001.", "(SY-100001)", "order SY-100001", "Order #100001", "sy 100001"]) {
        expect(numbers(await search(q))[0], q).toBe("SY-100001");
      }
    });

    it("finds a customer's orders from a pasted mailto: link or a 'Name <email>' header", async () => {
      const jose = new Set(ordersOf("jose"));
      for (const q of ["mailto:jose.garcia@example.com", "mailto:jose.garcia@example.com?subject=Where%20is%20my%20order", "José García <jose.garcia@example.com>", "jose.garcia@example.com."]) {
        expect(new Set(numbers(await search(q))), q).toEqual(jose);
      }
    });

    it("finds a phone number written with a (0) trunk prefix after the country code", async () => {
      for (const q of ["+31 (0)6 2468 1357", "+31(0)624681357", "0031 (0)6 24681357"]) expect(numbers(await search(q)), q).toEqual(ordersOf("eva"));
    });

    it("finds a city typed without its space: 'denhaag' is Den Haag", async () => {
      const r = await search("denhaag");
      expect(numbers(r)).toEqual(ordersOf("eva"));
      expect(r.hits[0]!.matched.find((m) => m.field === "city")).toMatchObject({ value: "Den Haag", ranges: [[0, 3], [4, 8]] });
      expect(numbers(await search("vries denhaag"))).toEqual(ordersOf("eva"));
    });

    it("finds the order of a full tracking number at once, and with one typo", async () => {
      expect(numbers(await search("1Z999AA10123456784"))).toEqual(["SY-100001"]);
      expect(numbers(await search("1z999aa10123456784"))[0]).toBe("SY-100001");
      expect(numbers(await search("1Z999AA1O123456784"))[0]).toBe("SY-100001");
      expect(numbers(await search("JD014600003456789102"))[0]).toBe("SY-100002");
    });

    it("finds a tracking number or email with two typos only when nothing lies within one", async () => {
      // Two substitutions in the second half: nothing within one edit, so the two-edit search runs.
      expect(numbers(await search("1Z999AA10123456X8Y"))[0]).toBe("SY-100001");
      expect(new Set(numbers(await search("jose.garcia@exmaple.cmo")))).toEqual(new Set(ordersOf("jose")));
      // One typo: the one-edit neighbour answers, and no two-edit stranger rides along.
      const oneTypo = await search("1Z999AA1O123456784");
      expect(numbers(oneTypo)).toEqual(["SY-100001"]);
    });

    it("finds a customer's orders by full email, with one typo, and by the start of it", async () => {
      const jose = new Set(ordersOf("jose"));
      expect(new Set(numbers(await search("jose.garcia@example.com")))).toEqual(jose);
      expect(new Set(numbers(await search("jose.garcia@exmaple.com")))).toEqual(jose);
      expect(new Set(numbers(await search("jsoe.garcia@example.com")))).toEqual(jose);
      expect(numbers(await search("jose.garc"))).toEqual(expect.arrayContaining([...jose]));
      expect(new Set(numbers(await search("john.smith@")))).toEqual(new Set(ordersOf("john")));
    });

    it("finds orders by SKU, exact SKUs first, and by part of a SKU", async () => {
      const exact = await search("BLU-M-0042");
      expect(new Set(numbers(exact))).toEqual(new Set(["SY-100001", "SY-100005", "SY-100010"]));
      expect(exact.hits[0]!.matched.find((m) => m.field === "sku")).toMatchObject({ value: "BLU-M-0042", ranges: [[0, 10]] });
      const partial = await search("0042");
      expect(numbers(partial)).toEqual(expect.arrayContaining(["SY-100001", "SY-100003", "SY-100005", "SY-100007", "SY-100010"]));
      expect(new Set(numbers(await search("blu-m")))).toEqual(new Set(["SY-100001", "SY-100005", "SY-100010"]));
    });

    it("finds orders by product name, with a typo", async () => {
      expect(new Set(numbers(await search("cast iron skillet")))).toEqual(new Set(["SY-100004", "SY-108812", "SY-100011"]));
      expect(new Set(numbers(await search("stonware mug")))).toEqual(new Set(["SY-100002", "SY-100006", "SY-100007"]));
    });

    it("finds orders by postcode", async () => {
      expect(new Set(numbers(await search("SW1A 1AA")))).toEqual(new Set(ordersOf("john")));
    });

    it("never gives a warehouse lead email or phone, nor matches on them", async () => {
      const lead = USERS.warehouse_lead;
      const byName = await search("Jose Garcia", { user: lead });
      expect(byName.hits.length).toBeGreaterThan(0);
      for (const h of byName.hits) {
        expect(h.email).toBeNull();
        expect(h.phone).toBeNull();
        expect(h.matched.every((m) => m.field !== "email" && m.field !== "phone")).toBe(true);
      }
      expect((await search("jose.garcia@example.com", { user: lead })).hits).toEqual([]);
      expect((await search("+34 612 345 678", { user: lead })).hits).toEqual([]);
      expect(numbers(await search("8812", { user: lead }))).toEqual(["SY-108812"]);
      const agent = await search("Jose Garcia");
      expect(agent.hits[0]!.email).toBe(PEOPLE.jose.email);
    });

    it("pages with the cursor: every match once, in the same order as one long page", async () => {
      const all = numbers(await search("garcia", { limit: 50 }));
      expect(all.length).toBe(ordersOf("jose", "javier", "lucia").length);
      const paged: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const r: SearchResult = await search("garcia", { limit: 2, cursor });
        paged.push(...numbers(r));
        cursor = r.nextCursor;
        if (!cursor) break;
      }
      expect(paged).toEqual(all);
    });

    it("filters by status", async () => {
      const r = await search("garcia", { filters: { status: ["pending", "cancelled"] } });
      expect(new Set(numbers(r))).toEqual(new Set(["SY-100005", "SY-100011"]));
      expect(r.hits.every((h) => h.status === "pending" || h.status === "cancelled")).toBe(true);
    });

    it("returns nothing for an empty query or one that matches nobody", async () => {
      expect((await search("   ")).hits).toEqual([]);
      expect((await search("Xylophone Quartermaine")).hits).toEqual([]);
    });

    it("hydrates every hit with live number, status, customer, city and placement", async () => {
      const [hit] = (await search("SY-100003")).hits;
      expect(hit).toMatchObject({ orderId: orderId("SY-100003"), number: "SY-100003", status: "fulfilled", customerName: "Zoë O'Brien", city: "Dublin", country: "IE" });
      expect(hit!.placedAt).toBeGreaterThan(0);
    });

    it("tells namesakes apart: each hit carries its customer, what was ordered and the total; a warehouse lead gets neither email nor total", async () => {
      const r = await search("garcia");
      const jose = r.hits.filter((h) => h.customerName === "José García");
      expect(jose.map((h) => h.number).sort()).toEqual(ordersOf("jose").sort());
      expect(new Set(jose.map((h) => h.customerId)).size).toBe(1);
      expect(new Set(r.hits.map((h) => h.customerId)).size).toBe(3);
      const mugAndSweater = jose.find((h) => h.number === "SY-100007")!;
      expect(mugAndSweater).toMatchObject({ email: PEOPLE.jose.email, city: "Madrid", currency: "EUR", items: "1 × Stoneware Mug 350 ml — Sand, 1 × Merino Crew Sweater — Blue, L" });
      expect(mugAndSweater.total).toEqual(expect.any(Number));
      for (const h of (await search("garcia", { user: USERS.warehouse_lead })).hits) {
        expect(h.email).toBeNull();
        expect(h.total).toBeNull();
        expect(h.items).not.toBe("");
      }
      expect((await search("garcia", { user: USERS.finance })).hits[0]!.total).toEqual(expect.any(Number));
    });
  });
}

for (const { backend, cleanup } of await backends()) {
  describe(`search for a mistyped email among close addresses (${backend.name} backend)`, () => {
    const t = tempDatabase();
    let orderOf: (email: string) => string;
    const search = (q: string) => searchOrders({ q, user: USERS.agent, limit: 20, db: t.db, backend });

    beforeAll(async () => {
      ({ orderOf } = seedEmailNeighbours(t.db));
      await backend.prepare?.(t.db);
    });
    afterAll(async () => {
      await cleanup();
      t.cleanup();
    });

    it("lists every address one typo from an email that exists, whichever half differs, and none two away", async () => {
      const r = numbers(await search(EMAIL_NEIGHBOURS.sofia));
      expect(r[0]).toBe(orderOf(EMAIL_NEIGHBOURS.sofia));
      expect(new Set(r.slice(1))).toEqual(new Set(EMAIL_NEIGHBOURS.oneAway.map(orderOf)));
      expect(r).not.toContain(orderOf(EMAIL_NEIGHBOURS.twoAway));
    });

    it("answers an email typed exactly with its own orders and its one-typo neighbours only, never two-typo ones", async () => {
      // Nothing lies one typo from this address, and Sofia's group lies two away: the exact address alone answers.
      expect(numbers(await search(EMAIL_NEIGHBOURS.twoAway))).toEqual([orderOf(EMAIL_NEIGHBOURS.twoAway)]);
    });

    it("finds the customer of a mistyped email when hundreds of newer orders share the half left intact", async () => {
      // "anan.jansen": the typo is in the first half; 600 newer customers' emails end in "ansen@example.com".
      const r = numbers(await search("anan.jansen@example.com"));
      expect(r[0]).toBe(orderOf(EMAIL_NEIGHBOURS.anna));
    });
  });
}

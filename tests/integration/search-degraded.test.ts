import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackendPage, SearchBackend } from "../../lib/search/backend.ts";
import { CircuitBreaker } from "../../lib/search/breaker.ts";
import { degradingBackend, type DegradingOptions } from "../../lib/search/degrading.ts";
import { elasticBackend } from "../../lib/search/elastic/backend.ts";
import { ordersIndex } from "../../lib/search/elastic/client.ts";
import { embeddedBackend } from "../../lib/search/embedded/backend.ts";
import { searchOrders } from "../../lib/search/search.ts";
import { tempDatabase } from "../support/db.ts";
import { closedPort } from "../support/ports.ts";
import { USERS, orderId, seedSearchFixture } from "../support/search-fixtures.ts";

/** A primary that counts its calls and answers, fails or hangs as told. */
function scripted(mode: { now: "answer" | "fail" | "hang" }) {
  const calls = { search: 0, probe: 0 };
  const backend: SearchBackend = {
    name: "elasticsearch",
    async search(query, opts): Promise<BackendPage> {
      calls.search += 1;
      if (mode.now === "fail") throw new Error("connect ECONNREFUSED");
      if (mode.now === "hang") return new Promise(() => {});
      return embeddedBackend.search(query, opts);
    },
    async probe() {
      calls.probe += 1;
      return mode.now === "answer";
    },
  };
  return { backend, calls };
}

describe("search degrades to the embedded index, never fails", () => {
  const t = tempDatabase();
  const composite = (o: Partial<DegradingOptions> & Pick<DegradingOptions, "primary">) =>
    degradingBackend({ fallback: embeddedBackend, breaker: new CircuitBreaker({ failures: 3, coolDownMs: 200 }), timeoutMs: 300, ...o });
  const search = (backend: SearchBackend, q: string, cursor?: string | null, limit = 20) => searchOrders({ q, user: USERS.agent, db: t.db, backend, cursor, limit });

  let port: number;
  beforeAll(async () => {
    seedSearchFixture(t.db);
    port = await closedPort();
  });
  afterAll(() => t.cleanup());

  it("with the node refusing connections, answers from the embedded index with the same hits, marked degraded", async () => {
    const dead = elasticBackend(() => ordersIndex({ url: `http://127.0.0.1:${port}`, alias: "orders" }), { timeoutMs: () => 300 });
    const backend = composite({ primary: dead });
    for (const q of ["SY-100001", "jose garcia", "jose.garcia@example.com", "1Z999AA10123456784", "BLU-M-0042"]) {
      const degraded = await search(backend, q);
      const embedded = await search(embeddedBackend, q);
      expect(degraded, q).toMatchObject({ backend: "embedded", degraded: true });
      expect(["unavailable", "circuit_open"]).toContain(degraded.reason);
      expect(degraded.notice).toBeTruthy();
      expect(degraded.hits, q).toEqual(embedded.hits);
    }
    expect((await search(backend, "SY-100001")).hits[0]?.orderId).toBe(orderId("SY-100001"));
  });

  it("opens the breaker after three failures: later searches answer at once without asking the node, until a probe finds it back", async () => {
    const mode = { now: "fail" as "answer" | "fail" | "hang" };
    const { backend: primary, calls } = scripted(mode);
    const backend = composite({ primary });
    for (let i = 0; i < 3; i++) expect((await search(backend, "garcia")).reason).toBe("unavailable");
    expect(calls.search).toBe(3);
    for (let i = 0; i < 5; i++) expect((await search(backend, "garcia")).reason).toBe("circuit_open");
    expect(calls.search).toBe(3);

    mode.now = "answer";
    await new Promise((r) => setTimeout(r, 250)); // the cool-down
    expect((await search(backend, "garcia")).degraded).toBe(true); // this one sends the probe
    await new Promise((r) => setTimeout(r, 20));
    expect(calls.probe).toBe(1);
    const back = await search(backend, "garcia");
    expect(back).toMatchObject({ backend: "elasticsearch", degraded: false, reason: null, notice: null });
    expect(calls.search).toBe(4);
  });

  it("with a node that does not answer, answers within the timeout", async () => {
    const { backend: primary } = scripted({ now: "hang" });
    const backend = composite({ primary, timeoutMs: 300 });
    const started = performance.now();
    const r = await search(backend, "SY-100003");
    expect(performance.now() - started).toBeLessThan(800);
    expect(r).toMatchObject({ backend: "embedded", degraded: true, reason: "timeout", notice: "Elasticsearch did not answer within 0.3 s" });
    expect(r.hits[0]?.number).toBe("SY-100003");
  });

  it("answers from the embedded index while the worker says the index cannot be trusted, without asking the node", async () => {
    const { backend: primary, calls } = scripted({ now: "answer" });
    const backend = composite({ primary, health: () => ({ reason: "rebuilding", notice: "the Elasticsearch index is being rebuilt (10 of 11 orders)" }) });
    const r = await search(backend, "garcia");
    expect(r).toMatchObject({ backend: "embedded", degraded: true, reason: "rebuilding" });
    expect(calls.search).toBe(0);
  });

  it("answers from the embedded index when Elasticsearch finds nothing the embedded index has (it is behind)", async () => {
    const empty: SearchBackend = { name: "elasticsearch", search: async () => ({ hits: [], nextAfter: null }) };
    const r = await search(composite({ primary: empty }), "SY-100011");
    expect(r).toMatchObject({ backend: "embedded", degraded: true, reason: "stale" });
    expect(r.hits.map((h) => h.number)).toEqual(["SY-100011"]);
    expect(await search(composite({ primary: empty }), "Xylophone Quartermaine")).toMatchObject({ backend: "elasticsearch", degraded: false, hits: [] });
  });

  it("pages a degraded answer on the embedded index: every match once, in the embedded order", async () => {
    const { backend: primary } = scripted({ now: "fail" });
    const backend = composite({ primary });
    const all = (await search(embeddedBackend, "garcia")).hits.map((h) => h.orderId);
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await search(backend, "garcia", cursor, 2);
      expect(r.degraded).toBe(true);
      paged.push(...r.hits.map((h) => h.orderId));
      cursor = r.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it("ends a list begun on Elasticsearch when its next page cannot be had, and says why", async () => {
    const mode = { now: "answer" as "answer" | "fail" | "hang" };
    const { backend: primary } = scripted(mode);
    const backend = composite({ primary });
    const first = await search(backend, "garcia", null, 2);
    expect(first).toMatchObject({ backend: "elasticsearch", degraded: false });
    mode.now = "fail";
    const next = await search(backend, "garcia", first.nextCursor, 2);
    expect(next).toMatchObject({ hits: [], nextCursor: null, degraded: true, reason: "unavailable" });
    expect(next.notice).toMatch(/search again/);
  });
});

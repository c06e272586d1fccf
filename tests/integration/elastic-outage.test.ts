import { afterAll, beforeAll, expect, it } from "vitest";
import { startElasticsearch, stopElasticsearch, type EsNode } from "../../scripts/elasticsearch.ts";
import { seedDatabase } from "../../lib/seed/index.ts";
import { CircuitBreaker } from "../../lib/search/breaker.ts";
import { degradingBackend } from "../../lib/search/degrading.ts";
import { elasticBackend } from "../../lib/search/elastic/backend.ts";
import { ordersIndex, type OrdersIndex } from "../../lib/search/elastic/client.ts";
import { elasticOrdersConsumer } from "../../lib/search/elastic/consumer.ts";
import { embeddedBackend } from "../../lib/search/embedded/backend.ts";
import { searchOrders } from "../../lib/search/search.ts";
import { indexDistrust, readSyncState } from "../../lib/search/sync-state.ts";
import type { SearchBackend } from "../../lib/search/backend.ts";
import { runWorker } from "../../lib/worker/run.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { tempDatabase } from "../support/db.ts";
import { describeElasticsearch, eventually, expectIndexMatchesDatabase, shipPackedShipment } from "../support/elastic.ts";

const agent: SessionUser = { id: 1, email: "agent@switchyard.test", name: "Agent", role: "agent" };
const TIMEOUT_MS = 1_500;

// This file stops, freezes and empties a node, so it runs its own rather than the one other files share.
describeElasticsearch("search and its sync survive Elasticsearch failing", () => {
  const t = tempDatabase();
  let node: EsNode;
  let target: OrdersIndex;
  const controller = new AbortController();
  let worker: Promise<void> = Promise.resolve();
  const log: string[] = [];
  /** What the app builds from the environment (lib/search/search.ts): a deadline, a breaker, the worker's sync state. */
  const app = (): SearchBackend =>
    degradingBackend({
      primary: elasticBackend(() => target, { timeoutMs: () => TIMEOUT_MS }),
      fallback: embeddedBackend,
      breaker: new CircuitBreaker({ failures: 3, coolDownMs: 1_000 }),
      timeoutMs: TIMEOUT_MS,
      health: (db) => indexDistrust(db, target.alias),
    });
  const search = (backend: SearchBackend, q: string) => searchOrders({ q, user: agent, db: t.db, backend });
  const numberOf = (id: number) => (t.db.$client.prepare("SELECT number FROM orders WHERE id = ?").get(id) as { number: string }).number;

  beforeAll(async () => {
    await seedDatabase(t.db, { orders: 300, seed: 17 });
    node = await startElasticsearch();
    target = ordersIndex({ url: node.url, alias: "orders" });
    const consumer = elasticOrdersConsumer(t.db, target, { checkEveryMs: 500, log: (l) => log.push(l) });
    worker = runWorker({ db: t.db, consumers: [consumer], pollMs: 50, signal: controller.signal, alertEveryMs: 3_600_000 });
  }, 180_000);
  afterAll(async () => {
    controller.abort();
    await worker;
    if (node) {
      try {
        process.kill(node.pid, "SIGCONT");
      } catch {
        // not running
      }
      await stopElasticsearch(node);
    }
    t.cleanup();
  });

  it("builds the index from the database on its own, then answers from Elasticsearch", { timeout: 120_000 }, async () => {
    const backend = app();
    const number = numberOf(123);
    await eventually(async () => expect(await search(backend, number)).toMatchObject({ backend: "elasticsearch", degraded: false }), 60_000);
    expect((await search(backend, number)).hits[0]?.orderId).toBe(123);
    expect(readSyncState(t.db, "orders")?.state.build).toMatchObject({ status: "done", reason: expect.stringMatching(/no record/) });
    await expectIndexMatchesDatabase(t.db, target);
  });

  it("node stopped: answers from the embedded index marked degraded, finds a change made meanwhile, and catches up within seconds of the node's return", { timeout: 180_000 }, async () => {
    const backend = app();
    await stopElasticsearch(node, { keepData: true });
    const shipped = shipPackedShipment(t.db, "JJD00077700007");
    const down = await search(backend, "JJD00077700007");
    expect(down).toMatchObject({ backend: "embedded", degraded: true, reason: expect.stringMatching(/unavailable|circuit_open|behind/) });
    expect(down.hits.map((h) => h.orderId)).toEqual([shipped.orderId]);
    expect((await search(backend, numberOf(shipped.orderId))).hits[0]?.orderId).toBe(shipped.orderId); // exact identifiers always resolve
    // Long enough for the worker's backoff to grow past what a restart takes.
    await new Promise((r) => setTimeout(r, 3_000));

    node = await startElasticsearch({ basePath: node.basePath, port: node.port });
    const back = performance.now();
    await eventually(async () => {
      const r = await search(backend, "JJD00077700007");
      expect(r).toMatchObject({ backend: "elasticsearch", degraded: false });
      expect(r.hits.map((h) => h.orderId)).toEqual([shipped.orderId]);
    }, 30_000);
    expect(performance.now() - back).toBeLessThan(10_000);
    await expectIndexMatchesDatabase(t.db, target);
  });

  it("node frozen (SIGSTOP): every search answers within the timeout, from the embedded index", { timeout: 120_000 }, async () => {
    const backend = app();
    const number = numberOf(77);
    process.kill(node.pid, "SIGSTOP");
    try {
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const r = await search(backend, number);
        expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 500);
        expect(r).toMatchObject({ backend: "embedded", degraded: true });
        expect(r.hits[0]?.orderId).toBe(77);
      }
    } finally {
      process.kill(node.pid, "SIGCONT");
    }
    await eventually(async () => expect(await search(backend, number)).toMatchObject({ backend: "elasticsearch", degraded: false }), 30_000);
  });

  it("node restarted empty: the index is rebuilt without a manual step, every order equal to SQLite, changes made meanwhile included", { timeout: 240_000 }, async () => {
    const backend = app();
    await stopElasticsearch(node); // its data goes with it
    const shipped = shipPackedShipment(t.db, "JJD00088800008");
    node = await startElasticsearch({ port: node.port });
    await eventually(async () => {
      const r = await search(backend, "JJD00088800008");
      expect(r).toMatchObject({ backend: "elasticsearch", degraded: false });
      expect(r.hits.map((h) => h.orderId)).toEqual([shipped.orderId]);
    }, 60_000);
    expect(log.some((l) => /rebuilding the index in the background: the alias "orders" does not exist/.test(l))).toBe(true);
    await expectIndexMatchesDatabase(t.db, target);
  });
});

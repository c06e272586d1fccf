import { beforeAll, describe, expect } from "vitest";
import type { DB } from "../../db/client.ts";
import { SYSTEM } from "../../lib/audit.ts";
import { advanceShipment } from "../../lib/orders/shipments.ts";
import { ordersIndex, type OrdersIndex } from "../../lib/search/elastic/client.ts";
import { readOrderPage } from "../../lib/search/elastic/documents.ts";

export const ELASTICSEARCH_URL = process.env.ELASTICSEARCH_URL;

/**
 * describe() for tests against the real Elasticsearch node `npm test` starts. Without one every test
 * fails with the reason (`npm test` passes on why the node could not start); they are never skipped.
 * Run through vitest directly, start a node first: `npm run es -- start` prints the ELASTICSEARCH_URL to set.
 */
export function describeElasticsearch(name: string, body: () => void): void {
  describe(name, () => {
    if (!ELASTICSEARCH_URL) {
      beforeAll(() => {
        throw new Error(
          `Elasticsearch is required here but unavailable: ${process.env.ELASTICSEARCH_UNAVAILABLE ?? "ELASTICSEARCH_URL is not set (npm run es -- start prints one)"}`,
        );
      });
    }
    body();
  });
}

/** An alias of this test file's own on the shared node, so files running in parallel never meet. */
export function testIndex(label: string, url = ELASTICSEARCH_URL): OrdersIndex {
  return ordersIndex({ url, alias: `test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}` });
}

/** Deletes every index behind or named after the alias. */
export async function dropIndex(target: OrdersIndex): Promise<void> {
  await target.client.indices.delete({ index: `${target.alias}-*` }, { ignore: [404] });
}

/** Polls until `check` passes (no refresh forced: this is what a user would see), returning the wait in ms. */
export async function eventually(check: () => Promise<void>, timeoutMs = 5_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      await check();
      return performance.now() - started;
    } catch (error) {
      if (performance.now() - started > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function docCount(target: OrdersIndex): Promise<number> {
  await target.client.indices.refresh({ index: target.alias });
  const res = await target.client.count({ index: target.alias });
  const n = (res.body as { count: number }).count;
  expect(typeof n).toBe("number");
  return n;
}

/**
 * A real change through the domain: ships one packed shipment with a new tracking number, which
 * writes the shipment, the order's status and their outbox rows in one transaction.
 */
export function shipPackedShipment(db: DB, trackingNumber: string, skip = 0): { orderId: number; number: string } {
  const row = db.$client
    .prepare(
      `SELECT s.id AS shipmentId, o.id AS orderId, o.number FROM shipments s JOIN orders o ON o.id = s.order_id
       WHERE s.status = 'packed' AND o.status IN ('awaiting_fulfillment', 'partially_fulfilled') ORDER BY s.id LIMIT 1 OFFSET ?`,
    )
    .get(skip) as { shipmentId: number; orderId: number; number: string } | undefined;
  if (!row) throw new Error("The seeded data has no packed shipment left to ship.");
  db.transaction((tx) =>
    advanceShipment(tx, { orderId: row.orderId, shipmentId: row.shipmentId, to: "shipped", carrier: "DHL", trackingNumber, actor: SYSTEM, at: Date.now() }),
  );
  return { orderId: row.orderId, number: row.number };
}

/** Every document in the index, by order id, as stored (without its sync version). */
async function indexedDocuments(target: OrdersIndex): Promise<Map<number, Record<string, unknown>>> {
  await target.client.indices.refresh({ index: target.alias });
  const res = await target.client.search({ index: target.alias, body: { size: 10_000, query: { match_all: {} }, sort: [{ orderId: "asc" }] } });
  const hits = (res.body as { hits: { hits: { _source: Record<string, unknown> }[] } }).hits.hits;
  return new Map(hits.map(({ _source: { syncVersion: _v, ...doc } }) => [doc.orderId as number, doc]));
}

/** Asserts that the index holds exactly one document per order, each equal to what SQLite says now. */
export async function expectIndexMatchesDatabase(db: DB, target: OrdersIndex): Promise<void> {
  const expected = readOrderPage(db, 0, 100_000).docs;
  const indexed = await indexedDocuments(target);
  expect(indexed.size).toBe(expected.length);
  for (const doc of expected) expect(indexed.get(doc.orderId), `order ${doc.orderId}`).toEqual(JSON.parse(JSON.stringify(doc)));
}

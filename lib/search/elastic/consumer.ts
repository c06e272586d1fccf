import type { DB } from "../../../db/client.ts";
import type { OutboxConsumer, OutboxRow } from "../../worker/outbox.ts";
import { readSyncState, searchConsumerName, writeSyncState } from "../sync-state.ts";
import type { OrdersIndex } from "./client.ts";
import { readOrders } from "./documents.ts";
import { indexKeeper, type IndexKeeper, type KeeperOptions } from "./index-keeper.ts";
import { bulkWrite, type Written } from "./indexing.ts";

/** The order a message is about: its aggregate when that is an order, else an `orderId` in the payload. */
function orderIdOf(row: Pick<OutboxRow, "aggregateType" | "aggregateId" | "payload">): number | null {
  if (row.aggregateType === "order") return row.aggregateId;
  const id = (row.payload as { orderId?: unknown } | null)?.orderId;
  return typeof id === "number" && Number.isInteger(id) ? id : null;
}

type ElasticConsumerOptions = KeeperOptions & {
  /** A bulk request that takes longer fails the batch (default 10 s). */
  bulkTimeoutMs?: number;
  /** The probe while backing off: a HEAD / that must answer within this (default 1 s). */
  probeTimeoutMs?: number;
};

/**
 * Keeps the Elasticsearch orders index in step with SQLite. The message says which order changed, not
 * how: the order is re-read and written whole, so duplicates and out-of-order delivery are harmless.
 * One bulk request per batch; a failure throws and the batch backs off (its probe ends the wait as soon
 * as the node answers). The index keeper rebuilds the index in the background whenever it cannot be
 * trusted (missing after a restart, older mapping, behind, incomplete).
 */
export function elasticOrdersConsumer(db: DB, target: OrdersIndex, o: ElasticConsumerOptions = {}): OutboxConsumer & { keeper: IndexKeeper } {
  const keeper = indexKeeper(db, target, o);
  return {
    name: searchConsumerName(target.alias),
    keeper,
    accepts: () => true, // every topic: deliver() keeps the rows that name an order
    async deliver(rows) {
      keeper.assertReady();
      const ids = [...new Set(rows.map(orderIdOf).filter((id): id is number => id !== null))];
      if (ids.length === 0) return;
      try {
        noteWritten(db, target.alias, await bulkWrite(target, readOrders(db, ids), { timeoutMs: o.bulkTimeoutMs ?? 10_000 }));
      } catch (error) {
        if (/index_not_found|no such index|alias/i.test(String((error as Error)?.message))) keeper.checkSoon();
        throw error;
      }
    },
    probe: async () => (await target.client.ping({}, { requestTimeout: o.probeTimeoutMs ?? 1_000, maxRetries: 0 })).statusCode === 200,
    maintain: () => keeper.maintain(),
  };
}

/** Raises the high-water mark noted for the concrete index written to (a new index starts its own). */
function noteWritten(db: DB, alias: string, w: Written): void {
  if (w.highWater === null || w.index === null) return;
  const noted = readSyncState(db, alias)?.state.highWater;
  if (noted && noted.index === w.index && noted.version >= w.highWater) return;
  writeSyncState(db, alias, { highWater: { index: w.index, version: w.highWater } });
}

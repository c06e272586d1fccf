import type { DB } from "../../../db/client.ts";
import type { OutboxConsumer, OutboxRow } from "../../worker/outbox.ts";
import type { OrdersIndex } from "./client.ts";
import { readOrders } from "./documents.ts";
import { bulkWrite, ensureIndex } from "./indexing.ts";

/** The order a message is about: its aggregate when that is an order, else an `orderId` in the payload. */
export function orderIdOf(row: Pick<OutboxRow, "aggregateType" | "aggregateId" | "payload">): number | null {
  if (row.aggregateType === "order") return row.aggregateId;
  const id = (row.payload as { orderId?: unknown } | null)?.orderId;
  return typeof id === "number" && Number.isInteger(id) ? id : null;
}

/**
 * Keeps the Elasticsearch orders index in step with SQLite. The message says which order changed, not
 * how: the order is re-read and written whole, so duplicates and out-of-order delivery are harmless.
 * One bulk request per batch; any failure throws and deliverOutbox backs the batch off.
 */
export function elasticOrdersConsumer(db: DB, target: OrdersIndex): OutboxConsumer {
  return {
    name: "elasticsearch",
    accepts: () => true, // every topic: deliver() keeps the rows that name an order
    async deliver(rows) {
      const ids = [...new Set(rows.map(orderIdOf).filter((id): id is number => id !== null))];
      if (ids.length === 0) return;
      await ensureIndex(target);
      await bulkWrite(target, readOrders(db, ids));
    },
  };
}

import type { DB } from "../../../db/client.ts";
import { advanceCursor } from "../../worker/cursors.ts";
import { searchConsumerName, writeSyncState } from "../sync-state.ts";
import type { OrdersIndex } from "./client.ts";
import { countOrders, ordersChangedSince, outboxWatermark, readOrderPage, readOrders, type OrderSnapshot } from "./documents.ts";
import { aliasTargets, bulkWrite, createIndex, finishBulkLoad } from "./indexing.ts";

export type ReindexResult = {
  index: string;
  previous: string[];
  orders: number;
  caughtUp: number;
  tookMs: number;
  /** Every outbox message up to here is reflected in the new index. */
  mark: number;
  /** The highest document version written (the index's high-water mark), or null for an empty index. */
  highWater: number | null;
};

/**
 * Builds a fresh index from SQLite and swaps the alias to it in one atomic step: searches use the old
 * index until the swap, the new one after. Changes made while it loads are caught up from the outbox
 * (before the swap, and again after it for what the consumer sent to the old index meanwhile). The
 * alias's consumer cursor then moves past everything the new index holds, so the worker neither
 * repeats it nor mistakes the new index for one that lost writes.
 */
export async function reindexOrders(
  db: DB,
  target: OrdersIndex,
  o: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ReindexResult> {
  const started = performance.now();
  const batchSize = o.batchSize ?? 1000;
  const total = countOrders(db);
  const index = await createIndex(target, { bulkLoad: true });
  let swapped = false;
  try {
    let mark = outboxWatermark(db);
    let done = 0;
    let highWater: number | null = null;
    const write = async (snapshot: OrderSnapshot) => {
      const w = await bulkWrite(target, snapshot, { index });
      if (w.highWater !== null) highWater = Math.max(highWater ?? 0, w.highWater);
    };
    o.onProgress?.(0, total);
    for (let after = 0; ; ) {
      const page = readOrderPage(db, after, batchSize);
      if (page.docs.length === 0) break;
      await write(page);
      after = page.docs.at(-1)!.orderId;
      done += page.docs.length;
      o.onProgress?.(done, Math.max(total, done));
    }
    let caughtUp = 0;
    const catchUp = async () => {
      const next = outboxWatermark(db);
      const changed = ordersChangedSince(db, mark);
      for (let i = 0; i < changed.length; i += batchSize) await write(readOrders(db, changed.slice(i, i + batchSize)));
      caughtUp += changed.length;
      mark = next;
    };
    await catchUp();
    await finishBulkLoad(target, index);

    const previous = await aliasTargets(target);
    // A concrete index squatting on the alias's name (written to before the alias existed) goes in the same step.
    const squatter = previous.length === 0 && (await target.client.indices.exists({ index: target.alias })).body === true;
    await target.client.indices.updateAliases({
      body: {
        actions: [
          ...previous.map((old) => ({ remove: { index: old, alias: target.alias } })),
          ...(squatter ? [{ remove_index: { index: target.alias } }] : []),
          { add: { index, alias: target.alias } },
        ],
      },
    });
    swapped = true;
    await catchUp();
    if (previous.length) await target.client.indices.delete({ index: previous.join(",") }, { ignore: [404] });
    advanceCursor(db, searchConsumerName(target.alias), mark);
    // An empty index is recorded too (mark 0), so the worker knows it was built and does not build it again.
    writeSyncState(db, target.alias, { highWater: { index, version: highWater ?? 0 } });
    return { index, previous, orders: done, caughtUp, tookMs: Math.round(performance.now() - started), mark, highWater };
  } catch (error) {
    if (!swapped) await target.client.indices.delete({ index }, { ignore: [404] }).catch(() => {});
    throw error;
  }
}

import { openDatabase } from "../../db/client.ts";
import { outboxHead, readCursor } from "../../lib/worker/cursors.ts";
import { ordersIndex } from "../../lib/search/elastic/client.ts";
import { countOrders } from "../../lib/search/elastic/documents.ts";
import { inspectIndex } from "../../lib/search/elastic/health.ts";
import { readSyncState, searchConsumerName, writeSyncState } from "../../lib/search/sync-state.ts";

/**
 * `npm start` with ELASTICSEARCH_URL: checks the index against the database (the worker's own check)
 * and, when it is missing or stale, asks the worker to rebuild it in the background and says so.
 */
export async function checkSearchIndex(file: string, url: string, alias: string): Promise<void> {
  const db = openDatabase(file);
  try {
    const sync = readSyncState(db, alias);
    const quiet = (readCursor(db, searchConsumerName(alias))?.lastId ?? 0) >= outboxHead(db);
    const orders = countOrders(db);
    let found;
    try {
      found = await inspectIndex(ordersIndex({ url, alias }), { highWater: sync?.state.highWater ?? null, orders: quiet ? orders : undefined });
    } catch (error) {
      console.log(
        `Elasticsearch at ${url} is not answering (${(error as Error).message}): search answers from the local index until it does, and the worker catches up once it is back.`,
      );
      return;
    }
    const problem = found.problem?.detail ?? (sync?.state.highWater ? null : "it has not been built from this database yet");
    if (!problem) {
      console.log(`Elasticsearch index "${alias}" at ${url}: ${found.docs?.toLocaleString("en-GB")} orders, in step with the database.`);
      return;
    }
    writeSyncState(db, alias, { rebuildRequested: problem });
    console.log(
      `Elasticsearch index "${alias}" at ${url} needs building: ${problem}. The worker builds it from ${orders.toLocaleString("en-GB")} orders in the background ` +
        `(progress on /alerts/metrics); search answers from the local index until it is done.`,
    );
  } finally {
    db.$client.close();
  }
}

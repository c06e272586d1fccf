// `npm run reindex [-- --batch 1000]`: rebuilds the Elasticsearch orders index from SQLite with a progress bar,
// then swaps the `orders` alias to it atomically (searches keep working on the old index until then).
import { env } from "../lib/env.ts";
import { getDb } from "../db/client.ts";
import { ordersIndex } from "../lib/search/elastic/client.ts";
import { reindexOrders } from "../lib/search/elastic/reindex.ts";
import { countOrders } from "../lib/search/elastic/documents.ts";
import { progressReporter } from "../lib/seed/progress.ts";

const args = process.argv.slice(2);
const batchArg = args.indexOf("--batch");
const batchSize = batchArg >= 0 ? Number(args[batchArg + 1]) : 1000;
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
  console.error("--batch needs a whole number from 1 to 10000 (orders per bulk request).");
  process.exit(2);
}
const { DATABASE_PATH, ELASTICSEARCH_URL } = env();
if (!ELASTICSEARCH_URL) {
  console.error("ELASTICSEARCH_URL is not set: there is no Elasticsearch index to rebuild (the embedded index needs no reindex).");
  process.exit(2);
}
const target = ordersIndex({ url: ELASTICSEARCH_URL });
const db = getDb(DATABASE_PATH);
if (countOrders(db) === 0) {
  // An index built now would stay empty: the seed writes no outbox messages for the worker to pick up.
  console.error(
    `Nothing to index: the database ${DATABASE_PATH} has no orders. Seed it first (\`npm start\` seeds a demo set into an empty database, ` +
      "or `npm run seed`); with ELASTICSEARCH_URL set, `npm start` then builds the index itself.",
  );
  process.exit(1);
}
const progress = progressReporter("indexing orders");
try {
  const r = await reindexOrders(db, target, { batchSize, onProgress: progress.update });
  progress.finish();
  console.log(
    `reindexed ${r.orders} orders into ${r.index} in ${(r.tookMs / 1000).toFixed(1)} s; alias "${target.alias}" now points to it` +
      `${r.previous.length ? ` (was ${r.previous.join(", ")}, deleted)` : ""}; ${r.caughtUp} order(s) changed meanwhile were caught up.`,
  );
} catch (error) {
  progress.finish();
  console.error(`reindex failed: ${(error as Error).message}`);
  process.exit(1);
}

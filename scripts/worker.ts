// `npm run worker`: routes paid orders and delivers the outbox until stopped (SIGINT/SIGTERM).
import { env } from "../lib/env.ts";
import { getDb } from "../db/client.ts";
import { runWorker } from "../lib/worker/run.ts";
import type { OutboxConsumer } from "../lib/worker/outbox.ts";
import { ordersIndex } from "../lib/search/elastic/client.ts";
import { elasticOrdersConsumer } from "../lib/search/elastic/consumer.ts";

const { DATABASE_PATH, WORKER_POLL_MS, ELASTICSEARCH_URL } = env();
const db = getDb(DATABASE_PATH);
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => controller.abort());
const log = (line: string) => console.log(`[worker] ${new Date().toISOString()} ${line}`);
const consumers: OutboxConsumer[] = [];
if (ELASTICSEARCH_URL) consumers.push(elasticOrdersConsumer(db, ordersIndex({ url: ELASTICSEARCH_URL }), { log }));
log(`started on ${DATABASE_PATH}; outbox consumers: ${consumers.map((c) => c.name).join(", ") || "none"}`);
await runWorker({ db, consumers, pollMs: WORKER_POLL_MS, signal: controller.signal, log });
log("stopped");

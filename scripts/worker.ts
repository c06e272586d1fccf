// `npm run worker`: routes paid orders and delivers the outbox until stopped (SIGINT/SIGTERM).
import { env } from "../lib/env.ts";
import { getDb } from "../db/client.ts";
import { runWorker } from "../lib/worker/run.ts";

const { DATABASE_PATH, WORKER_POLL_MS } = env();
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => controller.abort());
const log = (line: string) => console.log(`[worker] ${new Date().toISOString()} ${line}`);
log(`started on ${DATABASE_PATH}`);
await runWorker({ db: getDb(DATABASE_PATH), consumers: [], pollMs: WORKER_POLL_MS, signal: controller.signal, log });
log("stopped");

// A route worker in its own process, for the race test: node tests/support/route-worker-child.ts <db file> <name> [limit] [pauseMs]
// Opens the shared file, says {"ready":true}, waits for "go" on stdin so both workers start together,
// then routes batches until no job is ready and prints its counts as one JSON line.
import { openDatabase } from "../../db/client.ts";
import { routeBatch } from "../../lib/worker/route-jobs.ts";

const [file, name = "worker", limitArg = "25", pauseArg = "0"] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: route-worker-child.ts <db file> <name> [limit] [pauseMs]\n");
  process.exit(2);
}
const limit = Number(limitArg);
const pauseMs = Number(pauseArg);
const db = openDatabase(file);

const counts = { name, pid: process.pid, batches: 0, routed: 0, skipped: 0, failed: 0, busy: 0, outcomes: {} as Record<string, number>, orderIds: [] as number[], errors: [] as string[] };

function isBusy(error: unknown): boolean {
  return (error as { code?: string })?.code === "SQLITE_BUSY";
}

async function run(): Promise<void> {
  for (;;) {
    let batch;
    try {
      batch = routeBatch(db, { limit });
    } catch (error) {
      // The other worker held the write lock past the busy timeout: try again.
      if (isBusy(error)) {
        counts.busy += 1;
        continue;
      }
      throw error;
    }
    if (batch.routed.length === 0 && batch.failed.length === 0) break;
    counts.batches += 1;
    for (const r of batch.routed) {
      if (r.outcome === "skipped") counts.skipped += 1;
      else {
        counts.routed += 1;
        counts.outcomes[r.outcome] = (counts.outcomes[r.outcome] ?? 0) + 1;
        counts.orderIds.push(r.orderId);
      }
    }
    for (const f of batch.failed) {
      counts.failed += 1;
      counts.errors.push(`${f.orderId}: ${f.error}`);
    }
    // A real worker polls; the pause lets the other process take the lock between batches.
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

process.stdout.write(`${JSON.stringify({ ready: true, name })}\n`);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  input += chunk;
  if (!input.includes("go")) return;
  process.stdin.pause();
  run()
    .then(() => {
      db.$client.close();
      process.stdout.write(`${JSON.stringify(counts)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    });
});

// `next start` on every core: a primary forks WEB_CONCURRENCY workers (default: one per core, at most 4; scripts/lib/web-concurrency.ts),
// each a whole `next start` sharing one listening port (node:cluster hands connections out in turn). Rendering a
// page is JavaScript on one thread, so one process uses one core; the data is SQLite in WAL mode, read by every
// process at once, and what a process keeps in memory is either keyed by a version the database bumps (the refund
// queue, the product catalogue) or per process by design (search's circuit breaker; API rate limits, so a key
// spread over N processes may reach N times its limit: lib/api/rate-limit.ts; the count of refused webhooks
// on /admin/events). A worker that dies is replaced; one that keeps failing to start stops serving with exit
// code 1; SIGTERM or SIGINT stops them all.
// Usage: node scripts/serve.ts -p PORT [-H HOST]   (arguments go to `next start`)
import cluster from "node:cluster";
import { createRequire } from "node:module";
import { nextBin } from "./lib/build.ts";
import { webConcurrency } from "./lib/web-concurrency.ts";

/** A worker that dies this soon after starting failed to start (a taken port, no build, a bad setting). */
const STARTUP_MS = 15_000;
/** Failed starts in a row after which serving stops, with exit code 1, rather than restart forever. */
const MAX_FAILED_STARTS = 3;

const workers = webConcurrency();
if (cluster.isPrimary && workers > 1) {
  let stopping = false;
  let exitCode = 0;
  let failedStarts = 0;
  const started = new Map<number, number>();
  const fork = () => {
    const w = cluster.fork();
    started.set(w.id, Date.now());
  };
  for (let i = 0; i < workers; i++) fork();
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(exitCode);
    for (const w of alive) w?.process.kill(signal);
    // A worker that does not stop within 10 s is killed.
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
    }, 10_000).unref();
  };
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    failedStarts = lived < STARTUP_MS ? failedStarts + 1 : 0;
    if (failedStarts >= MAX_FAILED_STARTS) {
      console.error(`web worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) ${MAX_FAILED_STARTS} times in a row within ${STARTUP_MS / 1000} s of starting; stopping`);
      exitCode = 1;
      stop("SIGTERM");
      return;
    }
    console.error(`web worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    // Each failed start waits longer before the next (1 s, 2 s); a worker that had been serving is replaced at once.
    setTimeout(fork, failedStarts > 0 ? 1000 * failedStarts : 0);
  });
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
} else {
  // This process is `next start` itself, with this script's arguments.
  process.argv = [process.argv[0]!, nextBin(), "start", ...process.argv.slice(2)];
  createRequire(import.meta.url)(nextBin());
}

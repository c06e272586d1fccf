// The built app on every core: a primary forks WEB_CONCURRENCY workers (default: one per core, at most 4; scripts/lib/web-concurrency.ts),
// each serving the app as `next start` does (serveApp, below) on one shared listening port (node:cluster hands connections out in turn). Rendering a
// page is JavaScript on one thread, so one process uses one core; the data is SQLite in WAL mode, read by every
// process at once, and what a process keeps in memory is either keyed by a version the database bumps (the refund
// queue, the product catalogue) or per process by design (search's circuit breaker; API rate limits, so a key
// spread over N processes may reach N times its limit: lib/api/rate-limit.ts; the count of refused webhooks
// on /admin/events). A worker that dies is replaced; one that keeps failing to start stops serving with exit
// code 1; SIGTERM or SIGINT stops them all.
// Usage: node scripts/serve.ts -p PORT [-H HOST]
import cluster from "node:cluster";
import http from "node:http";
import { createRequire } from "node:module";
import type createNextServer from "next";
import { webConcurrency } from "./lib/web-concurrency.ts";
import { compressWhole } from "./lib/compress.ts";

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
  // A process that cannot serve (the port taken, no build) exits, as `next start` does: what Next has started would keep it alive.
  await serveApp(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`cannot serve: ${(error as Error).message ?? error}`);
    process.exit(1);
  });
}

/**
 * This process serves the built app: Next's request handler (the proxy, pages, routes, static files, as
 * `next start` runs them) behind one node:http server, whose answers are compressed by scripts/lib/compress.ts
 * rather than Next's per-chunk compression (`compress: false` in next.config.ts: why there).
 */
async function serveApp(args: string[]): Promise<void> {
  const option = (...names: string[]) => {
    const at = args.findIndex((a) => names.includes(a));
    return at >= 0 ? args[at + 1] : undefined;
  };
  const port = Number(option("-p", "--port") ?? process.env.PORT ?? 3000);
  const hostname = option("-H", "--hostname");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`-p takes a port number, got "${option("-p", "--port")}".`);
  const next = createRequire(import.meta.url)("next") as typeof createNextServer;
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    compressWhole(req, res);
    // As `next start` does: a request that fails is answered 500 and logged, never the end of this process.
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.statusCode = 500;
      res.end(res.headersSent ? undefined : "Internal Server Error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  console.log(`serving the app on http://${hostname ?? "localhost"}:${port} (process ${process.pid})`);
}

// How many `next start` processes `npm start` runs on its one port (scripts/serve.ts).
import os from "node:os";

/** The most processes the default asks for, however many cores: past 4, a machine is better split. */
export const MAX_DEFAULT_WEB_PROCESSES = 4;

/**
 * WEB_CONCURRENCY when set (1 = no cluster), else one per core, at most 4. The worker (routing, outbox, search
 * sync) shares the cores: it waits on events most of the time, and a page is rendered on one thread, so a core
 * kept for it sits idle while requests queue behind one process (bench pages, 2 cores: 1 process vs 2).
 */
export function webConcurrency(value = process.env.WEB_CONCURRENCY, cores = os.availableParallelism()): number {
  if (value === undefined || value.trim() === "") return Math.max(1, Math.min(cores, MAX_DEFAULT_WEB_PROCESSES));
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64, got "${value}".`);
  return n;
}

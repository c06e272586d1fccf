// A seeded database per (orders, seed, seed version) under .cache/bench, made once and reused by later runs.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { migrateDatabase, openDatabase } from "../db/client.ts";
import { seedDatabase } from "../lib/seed/index.ts";
import { progressReporter } from "../lib/seed/progress.ts";

const CACHE_DIR = path.resolve(".cache/bench");

/** A hash of the seed's sources: a change to how data is generated makes a new database. */
export function seedVersion(): string {
  const hash = createHash("sha256");
  const dir = path.resolve("lib/seed");
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) hash.update(f).update(readFileSync(path.join(dir, f)));
  return hash.digest("hex").slice(0, 10);
}

/**
 * The path of a migrated database with `orders` orders from `seed`: seeded into a temporary file
 * and renamed when complete (an interrupted seed leaves nothing to reuse), then migrated on every use
 * so migrations added since it was made apply to it.
 */
export async function cachedSeededDb(orders: number, seed = 42): Promise<{ file: string; seededSeconds: number | null }> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `orders-${orders}-seed${seed}-${seedVersion()}.db`);
  let seededSeconds: number | null = null;
  if (!existsSync(file)) {
    const tmp = `${file}.tmp`;
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
    const db = openDatabase(tmp);
    migrateDatabase(db);
    const progress = progressReporter(`seeding ${orders.toLocaleString("en-US")} orders`);
    const summary = await seedDatabase(db, { orders, seed, onProgress: progress.update });
    progress.finish();
    seededSeconds = summary.elapsedMs / 1000;
    console.log(`seeded ${file} in ${seededSeconds.toFixed(1)} s`);
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    db.$client.close();
    renameSync(tmp, file);
    for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
  const db = openDatabase(file);
  migrateDatabase(db);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.close();
  return { file, seededSeconds };
}

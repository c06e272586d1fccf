import { spawnSync } from "node:child_process";
import { openDatabase, migrateDatabase } from "../../db/client.ts";

const HOUR = 3_600_000;

/**
 * Migrates the database and, when it has no orders, seeds the demo set (seed 42) ending at the current hour,
 * so this week's metrics, today's shipments and live alerts exist; the demo lead works from a saved warehouse.
 */
export function prepareDatabase(file: string, demoOrders: string): void {
  const db = openDatabase(file);
  migrateDatabase(db);
  const { n } = db.$client.prepare("SELECT count(*) AS n FROM orders").get() as { n: number };
  db.$client.close();
  console.log(`Database ${file} migrated (${n.toLocaleString("en-GB")} orders).`);
  if (n > 0) return;
  const now = new Date(Math.floor(Date.now() / HOUR) * HOUR).toISOString();
  console.log(`Empty database: seeding a demo set of ${demoOrders} orders (seed 42), ending now: ${now}…`);
  const seeded = spawnSync(
    process.execPath,
    ["scripts/seed.ts", "--if-empty", "--orders", demoOrders, "--seed", "42", "--now", now, "--lead-location"],
    { stdio: "inherit", env: { ...process.env, DATABASE_PATH: file } },
  );
  if (seeded.status !== 0) process.exit(seeded.status ?? 1);
}

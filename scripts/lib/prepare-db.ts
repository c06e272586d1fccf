import { spawnSync } from "node:child_process";
import { openDatabase, migrateDatabase } from "../../db/client.ts";

/** Migrates the database and, when it has no orders, seeds the demo set (seed 42). */
export function prepareDatabase(file: string, demoOrders: string): void {
  const db = openDatabase(file);
  migrateDatabase(db);
  const { n } = db.$client.prepare("SELECT count(*) AS n FROM orders").get() as { n: number };
  db.$client.close();
  console.log(`Database ${file} migrated (${n.toLocaleString("en-GB")} orders).`);
  if (n > 0) return;
  console.log(`Empty database: seeding a demo set of ${demoOrders} orders (seed 42)…`);
  const seeded = spawnSync(process.execPath, ["scripts/seed.ts", "--if-empty", "--orders", demoOrders, "--seed", "42"], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_PATH: file },
  });
  if (seeded.status !== 0) process.exit(seeded.status ?? 1);
}

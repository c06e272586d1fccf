import { env } from "../lib/env.ts";
import { openDatabase, migrateDatabase } from "../db/client.ts";

const file = env().DATABASE_PATH;
const db = openDatabase(file);
migrateDatabase(db);
const rows = db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
console.log(`Migrated ${file}: ${rows.n} migration(s) applied.`);
db.$client.close();

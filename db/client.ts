import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { mkdirSync } from "node:fs";
import path from "node:path";
import * as schema from "./schema/index.ts";

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** What a transaction callback receives; everything that writes takes one of these. */
export type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** Opens a SQLite file with the settings every process uses: WAL, foreign keys, a busy timeout. */
export function openDatabase(file: string): DB {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("cache_size = -65536");
  sqlite.pragma("temp_store = MEMORY");
  return drizzle({ client: sqlite, schema }) as DB;
}

export function migrateDatabase(db: DB): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

const globalForDb = globalThis as unknown as { switchyardDb?: { file: string; db: DB } };

/** The process-wide connection for the file in DATABASE_PATH, migrated on first use. */
export function getDb(file: string): DB {
  const current = globalForDb.switchyardDb;
  if (current && current.file === file) return current.db;
  const db = openDatabase(file);
  migrateDatabase(db);
  globalForDb.switchyardDb = { file, db };
  return db;
}

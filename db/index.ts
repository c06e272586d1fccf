import { env } from "../lib/env.ts";
import { getDb, type DB } from "./client.ts";

/** The app's database (DATABASE_PATH), opened and migrated once per process. */
export function database(): DB {
  return getDb(env().DATABASE_PATH);
}

export type { DB } from "./client.ts";

import type { DB, Tx } from "./client.ts";
import { database } from "./index.ts";
import { prepared } from "./raw.ts";

/**
 * Rows of `table_versions` (migration 0018): 'refunds' is bumped by trigger on every change to refunds, in
 * the writer's transaction, so any process's change is seen; 'alert_runs' by each alert run that writes.
 */
export type VersionName = "refunds" | "alert_runs";

export function tableVersion(db: DB | Tx, name: VersionName): number {
  return (prepared(db, "SELECT version FROM table_versions WHERE name = ?").get(name) as { version: number } | undefined)?.version ?? 0;
}

export function bumpTableVersion(tx: Tx, name: VersionName): void {
  prepared(tx, "INSERT INTO table_versions (name, version) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET version = version + 1").run(name);
}

/**
 * What is computed from a versioned table, kept per database (DATABASE_PATH's connection) and key while the
 * version is unchanged; at most `max` keys. The version is read before computing, so a change made while
 * computing is computed again next time. Values are frozen: a caller cannot change what the next one gets.
 */
export function keptWhileUnchanged<T extends object>(name: VersionName, max = 64): (key: string, compute: () => T) => Readonly<T> {
  const byDatabase = new WeakMap<object, Map<string, { version: number; value: Readonly<T> }>>();
  return (key, compute) => {
    const db = database();
    let kept = byDatabase.get(db);
    if (!kept) byDatabase.set(db, (kept = new Map()));
    const version = tableVersion(db, name);
    const hit = kept.get(key);
    if (hit && hit.version === version) return hit.value;
    if (kept.size >= max) kept.clear();
    const value = Object.freeze(compute());
    kept.set(key, { version, value });
    return value;
  };
}

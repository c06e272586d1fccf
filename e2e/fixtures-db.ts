import Database from "better-sqlite3";
import path from "node:path";

/**
 * Read-only look into the e2e server's database (scripts/e2e-server.ts) to pick orders that fit a
 * journey. Tests still act only through the UI; this only chooses where to start.
 */
export function e2eDb(): Database.Database {
  return new Database(path.resolve(".cache/e2e/e2e.db"), { readonly: true, fileMustExist: true });
}

export function pick<T>(sqlText: string, ...params: unknown[]): T {
  const db = e2eDb();
  try {
    const row = db.prepare(sqlText).get(...params) as T | undefined;
    if (!row) throw new Error(`No e2e fixture matches: ${sqlText}`);
    return row;
  } finally {
    db.close();
  }
}

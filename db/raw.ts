import type Database from "better-sqlite3";
import type { DB, Tx } from "./client.ts";

type Statement = Database.Statement<unknown[], unknown>;

const statements = new WeakMap<Database.Database, Map<string, Statement>>();

/** The better-sqlite3 connection under a drizzle database or transaction (they share one). */
export function connectionOf(db: DB | Tx): Database.Database {
  return (db as { $client?: Database.Database }).$client ?? (db as unknown as { session: { client: Database.Database } }).session.client;
}

/**
 * A prepared statement cached per connection, for hot paths (routing, audit, outbox) where
 * building and preparing a query per call costs more than the write itself. It runs inside
 * whatever transaction the caller holds, since a transaction is the connection's state.
 */
export function prepared(db: DB | Tx, sqlText: string): Statement {
  const conn = connectionOf(db);
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, (cache = new Map()));
  let stmt = cache.get(sqlText);
  if (!stmt) cache.set(sqlText, (stmt = conn.prepare(sqlText)));
  return stmt;
}

/** JSON columns are stored as text; null stays SQL NULL. */
export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * Runs fn inside a SAVEPOINT on the caller's transaction: if fn throws, only its writes are rolled
 * back and the error is rethrown. Same semantics as a nested drizzle transaction, without building a
 * transaction object per call (routing takes one per order).
 */
export function savepoint<T>(tx: DB | Tx, name: string, fn: () => T): T {
  prepared(tx, `SAVEPOINT ${name}`).run();
  try {
    const result = fn();
    prepared(tx, `RELEASE ${name}`).run();
    return result;
  } catch (error) {
    prepared(tx, `ROLLBACK TO ${name}`).run();
    prepared(tx, `RELEASE ${name}`).run();
    throw error;
  }
}

import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";

/** The order's version (bumped by every audited change) and number, or null when there is no such order. */
export function readOrderVersion(db: DB | Tx, orderId: number): { version: number; number: string } | null {
  return (prepared(db, "SELECT version, number FROM orders WHERE id = ?").get(orderId) as { version: number; number: string } | undefined) ?? null;
}

import type { Tx } from "../../db/client.ts";
import { readOrderVersion } from "../../db/queries/order-version.ts";
import { DomainError } from "../errors.ts";

export const STALE_MESSAGE = "This order changed since you opened it: review and try again.";

/**
 * Optimistic concurrency for order actions: the screen sends the version of the order it showed; read in
 * the action's immediate transaction (the writer lock is held, so nothing changes between this check and
 * the writes), a different version means someone else changed the order and nothing is written.
 */
export function expectVersion(tx: Tx, orderId: number, expected: number): void {
  const current = readOrderVersion(tx, orderId);
  if (!current) throw new DomainError("not_found", `Order ${orderId} does not exist.`);
  if (current.version !== expected) throw new DomainError("conflict", STALE_MESSAGE, { expected, actual: current.version });
}

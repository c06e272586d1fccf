import type { DB, Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";

/** How hard the worker tries before a message goes to a consumer's dead letters, and how long delivered rows stay. */
export type DeliverySettings = { maxAttempts: number; retentionHours: number };
export const DEFAULT_DELIVERY: DeliverySettings = { maxAttempts: 8, retentionHours: 168 };

export function readDeliverySettings(db: DB | Tx): DeliverySettings {
  const row = prepared(db, "SELECT value FROM settings WHERE key = 'outbox_delivery'").get() as { value: string } | undefined;
  const v = row ? (JSON.parse(row.value) as Partial<DeliverySettings>) : {};
  return { ...DEFAULT_DELIVERY, ...v };
}

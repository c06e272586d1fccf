import type { Tx } from "../../../db/client.ts";
import { prepared } from "../../../db/raw.ts";
import type { Actor } from "../../audit.ts";
import { receiveStock } from "../../inventory/receive.ts";
import { IntakeRejection, type DomainEvent, type StepResult } from "../types.ts";

type StockReceived = Extract<DomainEvent, { kind: "stock_received" }>;

/** Stock arrived at a location: receiveStock(), which also fills the oldest backorders first. */
export function applyStockReceipt(tx: Tx, e: StockReceived, actor: Actor, at: number): StepResult {
  const location = prepared(tx, "SELECT id FROM locations WHERE code = ?").get(e.locationCode) as { id: number } | undefined;
  if (!location) throw new IntakeRejection(`No location has code ${e.locationCode}.`);
  if (!prepared(tx, "SELECT 1 FROM products WHERE sku = ?").get(e.sku)) throw new IntakeRejection(`Unknown SKU: ${e.sku}.`);
  const r = receiveStock(tx, { locationId: location.id, sku: e.sku, qty: e.qty, actor, at, reference: e.reference });
  return { outcome: "applied", orderId: null, note: `${r.received} × ${r.sku} received, ${r.fills.length} backorder fill(s)` };
}

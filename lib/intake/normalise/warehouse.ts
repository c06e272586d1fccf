import type { Normalised, ShipmentStep } from "../types.ts";
import { int, obj, optStr, str, type Json } from "./read.ts";

/** Our warehouse event types (README, "Warehouse events") and the shipment step each one is. */
const STEPS: Record<string, ShipmentStep> = { "shipment.picked": "picking", "shipment.packed": "packed", "shipment.shipped": "shipped", "shipment.delivered": "delivered" };

/** Warehouse events in our own JSON: `{ type, timestamp, data }` signed per Standard Webhooks. */
export function normaliseWarehouse(body: Json): Normalised {
  const type = str(body.type, "type");
  const data = obj(body.data, "data");
  if (type === "stock.received") {
    return { event: { kind: "stock_received", locationCode: str(data.location_code, "data.location_code").toUpperCase(), sku: str(data.sku, "data.sku").toUpperCase(), qty: int(data.qty, "data.qty", 1), reference: optStr(data.reference) ?? "warehouse receipt" } };
  }
  const to = STEPS[type];
  if (!to) return { ignored: `Warehouse event type ${type} is not one Switchyard acts on.` };
  return {
    event: {
      kind: "shipment_progressed",
      order: { by: "number", value: str(data.order_number, "data.order_number").toUpperCase() },
      shipmentId: int(data.shipment_id, "data.shipment_id", 1),
      skus: null,
      to,
      carrier: optStr(data.carrier),
      trackingNumber: optStr(data.tracking_number),
    },
  };
}

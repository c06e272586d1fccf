import { and, eq, inArray, sql } from "drizzle-orm";
import { addresses, inventory, locations, orderLines, orders, products, supplierCatalog, type OrderStatus } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import type { PlanOrder, PlanLocation, RoutingSnapshot } from "./types.ts";

export type RoutingInput = { order: PlanOrder; status: OrderStatus; number: string; customerId: number; snapshot: RoutingSnapshot };

/** Reads what the planner needs for one order: its open quantities, ship-to, and stock of its SKUs. */
export function loadRoutingInput(tx: Tx, orderId: number, allLocations?: PlanLocation[]): RoutingInput | null {
  const head = tx
    .select({ status: orders.status, number: orders.number, customerId: orders.customerId, shipComplete: orders.shipComplete, lat: addresses.lat, lng: addresses.lng })
    .from(orders)
    .innerJoin(addresses, eq(addresses.id, orders.shipAddressId))
    .where(eq(orders.id, orderId))
    .get();
  if (!head) return null;
  const lines = tx
    .select({
      orderLineId: orderLines.id,
      productId: orderLines.productId,
      sku: orderLines.sku,
      qty: sql<number>`${orderLines.qtyOrdered} - ${orderLines.qtyCancelled}`,
      allowBackorder: products.allowBackorder,
    })
    .from(orderLines)
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(eq(orderLines.orderId, orderId))
    .orderBy(orderLines.id)
    .all();
  const productIds = [...new Set(lines.map((l) => l.productId))];
  return {
    status: head.status,
    number: head.number,
    customerId: head.customerId,
    order: { orderId, shipComplete: head.shipComplete, shipTo: { lat: head.lat, lng: head.lng }, lines },
    snapshot: loadSnapshot(tx, productIds, allLocations),
  };
}

export function loadLocations(tx: Tx): PlanLocation[] {
  return tx
    .select({
      id: locations.id,
      code: locations.code,
      name: locations.name,
      kind: locations.kind,
      lat: locations.lat,
      lng: locations.lng,
      priority: locations.priority,
      active: locations.active,
      slaHours: locations.slaHours,
    })
    .from(locations)
    .orderBy(locations.id)
    .all();
}

export function loadSnapshot(tx: Tx, productIds: number[], allLocations?: PlanLocation[]): RoutingSnapshot {
  if (productIds.length === 0) return { locations: allLocations ?? loadLocations(tx), available: [], catalog: [] };
  const available = tx
    .select({
      locationId: inventory.locationId,
      productId: inventory.productId,
      available: sql<number>`max(0, ${inventory.onHand} - ${inventory.reserved} - ${inventory.safetyStock})`,
    })
    .from(inventory)
    .where(inArray(inventory.productId, productIds))
    .all();
  const catalog = tx
    .select({ locationId: supplierCatalog.locationId, productId: supplierCatalog.productId, leadDays: supplierCatalog.leadDays, active: supplierCatalog.active })
    .from(supplierCatalog)
    .where(and(inArray(supplierCatalog.productId, productIds)))
    .all();
  return { locations: allLocations ?? loadLocations(tx), available, catalog };
}

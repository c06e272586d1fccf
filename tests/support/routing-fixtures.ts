import type { PlanLine, PlanLocation, PlanOrder, PlannedQuantity, RoutingPlan, RoutingSnapshot } from "../../lib/routing/types.ts";

/** A fixed clock for routing plans (planner input, never Date.now()). */
export const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Real coordinates, so "nearest" in a test means what a warehouse lead would expect. */
export const PLACES = {
  rotterdam: { lat: 51.92, lng: 4.48 },
  leipzig: { lat: 51.34, lng: 12.37 },
  lyon: { lat: 45.76, lng: 4.84 },
  manchester: { lat: 53.48, lng: -2.24 },
  hamburg: { lat: 53.55, lng: 9.99 },
  milan: { lat: 45.46, lng: 9.19 },
  amsterdam: { lat: 52.37, lng: 4.9 },
  munich: { lat: 48.14, lng: 11.58 },
  paris: { lat: 48.86, lng: 2.35 },
} as const;

export const RTM: PlanLocation = { id: 1, code: "RTM", name: "Rotterdam DC", kind: "warehouse", ...PLACES.rotterdam, priority: 1, active: true, slaHours: 24 };
export const LEJ: PlanLocation = { id: 2, code: "LEJ", name: "Leipzig DC", kind: "warehouse", ...PLACES.leipzig, priority: 2, active: true, slaHours: 24 };
export const LYS: PlanLocation = { id: 3, code: "LYS", name: "Lyon DC", kind: "warehouse", ...PLACES.lyon, priority: 3, active: true, slaHours: 48 };
export const MAN: PlanLocation = { id: 4, code: "MAN-3PL", name: "Manchester 3PL", kind: "3pl", ...PLACES.manchester, priority: 5, active: true, slaHours: 72 };
export const DS_NORD: PlanLocation = { id: 10, code: "DS-NORD", name: "Nordic Kitchen Supply", kind: "dropship", ...PLACES.hamburg, priority: 10, active: true, slaHours: 0 };
export const DS_SUD: PlanLocation = { id: 11, code: "DS-SUD", name: "Casa Milano Wholesale", kind: "dropship", ...PLACES.milan, priority: 11, active: true, slaHours: 0 };

export const ALL_LOCATIONS = [RTM, LEJ, LYS, MAN, DS_NORD, DS_SUD];

export type Product = { productId: number; sku: string; allowBackorder: boolean };
export const KETTLE: Product = { productId: 101, sku: "KTL-100", allowBackorder: true };
export const TOASTER: Product = { productId: 102, sku: "TST-200", allowBackorder: false };
export const BLENDER: Product = { productId: 103, sku: "BLN-300", allowBackorder: true };
export const MUG: Product = { productId: 104, sku: "MUG-400", allowBackorder: false };
export const GRINDER: Product = { productId: 105, sku: "GRD-500", allowBackorder: true };

export function line(orderLineId: number, product: Product, qty: number): PlanLine {
  return { orderLineId, productId: product.productId, sku: product.sku, qty, allowBackorder: product.allowBackorder };
}

export function order(shipTo: { lat: number; lng: number }, lines: PlanLine[], shipComplete = false, orderId = 5001): PlanOrder {
  return { orderId, shipComplete, shipTo: { lat: shipTo.lat, lng: shipTo.lng }, lines };
}

/**
 * stock: location → [product, available] pairs; catalog: supplier → [product, lead days] pairs.
 * Catalogue entries are active unless listed in inactiveCatalog.
 */
export function snapshot(
  stock: [PlanLocation, [Product, number][]][],
  catalog: [PlanLocation, [Product, number][]][] = [],
  locations: PlanLocation[] = ALL_LOCATIONS,
  inactiveCatalog: [PlanLocation, Product][] = [],
): RoutingSnapshot {
  return {
    locations,
    available: stock.flatMap(([loc, items]) => items.map(([p, available]) => ({ locationId: loc.id, productId: p.productId, available }))),
    catalog: [
      ...catalog.flatMap(([loc, items]) => items.map(([p, leadDays]) => ({ locationId: loc.id, productId: p.productId, leadDays, active: true }))),
      ...inactiveCatalog.map(([loc, p]) => ({ locationId: loc.id, productId: p.productId, leadDays: 3, active: false })),
    ],
  };
}

/** Shipments as "CODE: qty × SKU, …" strings: easy to read in a failing assertion. */
export function summary(plan: RoutingPlan): string[] {
  return plan.shipments.map((s) => `${s.locationCode}: ${s.lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")}`);
}

export function candidate(plan: RoutingPlan, loc: PlanLocation) {
  const c = plan.candidates.find((x) => x.locationId === loc.id);
  if (!c) throw new Error(`no candidate for ${loc.code}`);
  return c;
}

/** Total quantity per order line across a list of shipments or quantities. */
export function qtyByLine(items: { orderLineId: number; qty: number }[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const i of items) m.set(i.orderLineId, (m.get(i.orderLineId) ?? 0) + i.qty);
  return m;
}

export function shippedByLine(plan: RoutingPlan): Map<number, number> {
  return qtyByLine(plan.shipments.flatMap((s) => s.lines));
}

export function quantities(items: PlannedQuantity[]): string[] {
  return items.map((q) => `${q.qty} × ${q.sku}`);
}

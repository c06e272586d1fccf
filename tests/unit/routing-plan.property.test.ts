import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { distanceKm } from "../../lib/geo.ts";
import { planRouting } from "../../lib/routing/plan.ts";
import type { PlanLocation, PlanOrder, RoutingPlan, RoutingSnapshot } from "../../lib/routing/types.ts";
import { NOW, qtyByLine } from "../support/routing-fixtures.ts";

/** Fixed seed: a failure reproduces on every machine; fast-check prints the counterexample and path. */
const RUNS = { numRuns: 500, seed: 20260115 };
const settings = { now: NOW };

const SKU_POOL = 8;
const productIds = Array.from({ length: SKU_POOL }, (_, i) => i + 1);
const skuOf = (productId: number) => `SKU-${productId}`;

/** A few real cities so distances tie now and then; otherwise anywhere in western Europe. */
const CITIES = [
  { lat: 51.92, lng: 4.48 },
  { lat: 51.34, lng: 12.37 },
  { lat: 45.76, lng: 4.84 },
  { lat: 53.48, lng: -2.24 },
];
const coords = fc.oneof(
  fc.constantFrom(...CITIES),
  fc.record({ lat: fc.integer({ min: 3600, max: 6000 }).map((n) => n / 100), lng: fc.integer({ min: -1000, max: 2500 }).map((n) => n / 100) }),
);

type World = { order: PlanOrder; snapshot: RoutingSnapshot; allowBackorder: Map<number, boolean> };

const world: fc.Arbitrary<World> = fc
  .record({
    allowBackorder: fc.array(fc.boolean(), { minLength: SKU_POOL, maxLength: SKU_POOL }),
    stockSites: fc.array(
      fc.record({
        where: coords,
        kind: fc.constantFrom("warehouse" as const, "3pl" as const),
        priority: fc.integer({ min: 1, max: 12 }),
        active: fc.integer({ min: 0, max: 3 }).map((n) => n > 0), // mostly active
        slaHours: fc.constantFrom(24, 48, 72),
        stock: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })), { minLength: SKU_POOL, maxLength: SKU_POOL }),
      }),
      { minLength: 3, maxLength: 6 },
    ),
    suppliers: fc.array(
      fc.record({
        where: coords,
        priority: fc.integer({ min: 1, max: 12 }),
        active: fc.boolean(),
        catalogue: fc.array(
          fc.record({ productId: fc.constantFrom(...productIds), leadDays: fc.integer({ min: 1, max: 14 }), active: fc.boolean() }),
          { maxLength: 4 },
        ),
      }),
      { maxLength: 2 },
    ),
    lines: fc.array(fc.record({ productId: fc.constantFrom(...productIds), qty: fc.integer({ min: 1, max: 10 }) }), { minLength: 1, maxLength: 5 }),
    shipComplete: fc.boolean(),
    shipTo: coords,
  })
  .map(({ allowBackorder, stockSites, suppliers, lines, shipComplete, shipTo }) => {
    const locations: PlanLocation[] = [
      ...stockSites.map((s, i) => ({ id: i + 1, code: `L${i + 1}`, name: `Site ${i + 1}`, kind: s.kind, ...s.where, priority: s.priority, active: s.active, slaHours: s.slaHours })),
      ...suppliers.map((s, i) => ({ id: 100 + i, code: `DS${i + 1}`, name: `Supplier ${i + 1}`, kind: "dropship" as const, ...s.where, priority: s.priority, active: s.active, slaHours: 0 })),
    ];
    const available = stockSites.flatMap((s, i) => s.stock.map((n, p) => ({ locationId: i + 1, productId: p + 1, available: n })));
    const catalog = suppliers.flatMap((s, i) => {
      const seen = new Set<number>();
      return s.catalogue.filter((c) => !seen.has(c.productId) && seen.add(c.productId)).map((c) => ({ locationId: 100 + i, ...c }));
    });
    const backorderable = new Map(productIds.map((p) => [p, allowBackorder[p - 1]!]));
    const order: PlanOrder = {
      orderId: 1,
      shipComplete,
      shipTo,
      lines: lines.map((l, i) => ({ orderLineId: i + 1, productId: l.productId, sku: skuOf(l.productId), qty: l.qty, allowBackorder: backorderable.get(l.productId)! })),
    };
    return { order, snapshot: { locations, available, catalog }, allowBackorder: backorderable };
  });

const plan = (w: World) => planRouting(w.order, w.snapshot, settings);
const locationOf = (w: World, id: number) => w.snapshot.locations.find((l) => l.id === id)!;
const availableAt = (w: World, locationId: number, productId: number) =>
  w.snapshot.available.find((a) => a.locationId === locationId && a.productId === productId)?.available ?? 0;
const carries = (w: World, locationId: number, productId: number) =>
  w.snapshot.catalog.some((c) => c.locationId === locationId && c.productId === productId && c.active);
const activeStockSites = (w: World) => w.snapshot.locations.filter((l) => l.kind !== "dropship" && l.active);
const stockShipments = (p: RoutingPlan) => p.shipments.filter((s) => !s.dropship);
const productsOrdered = (w: World) => [...new Set(w.order.lines.map((l) => l.productId))];
const demandOf = (w: World, productId: number) => w.order.lines.filter((l) => l.productId === productId).reduce((n, l) => n + l.qty, 0);

describe("routing plan properties (random orders and snapshots)", () => {
  test("stock shipments never take more than a location has available, nor from an inactive location", () => {
    fc.assert(
      fc.property(world, (w) => {
        const p = plan(w);
        const taken = new Map<string, number>();
        for (const s of stockShipments(p)) {
          const loc = locationOf(w, s.locationId);
          expect(loc.kind).not.toBe("dropship");
          expect(loc.active).toBe(true);
          for (const l of s.lines) taken.set(`${s.locationId}:${l.productId}`, (taken.get(`${s.locationId}:${l.productId}`) ?? 0) + l.qty);
        }
        for (const [k, qty] of taken) {
          const [loc, product] = k.split(":").map(Number) as [number, number];
          expect(qty).toBeLessThanOrEqual(availableAt(w, loc, product));
        }
      }),
      RUNS,
    );
  });

  test("dropship shipments come only from active suppliers whose active catalogue carries the SKU", () => {
    fc.assert(
      fc.property(world, (w) => {
        for (const s of plan(w).shipments.filter((x) => x.dropship)) {
          const loc = locationOf(w, s.locationId);
          expect(loc.kind).toBe("dropship");
          expect(loc.active).toBe(true);
          for (const l of s.lines) expect(carries(w, s.locationId, l.productId)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  test("shipments are well formed: one per location, positive quantities, known lines, ship-by from SLA or lead days", () => {
    fc.assert(
      fc.property(world, (w) => {
        const p = plan(w);
        expect(new Set(p.shipments.map((s) => s.locationId)).size).toBe(p.shipments.length);
        for (const s of p.shipments) {
          const loc = locationOf(w, s.locationId);
          expect(s.locationCode).toBe(loc.code);
          expect(s.distanceKm).toBe(distanceKm(loc, w.order.shipTo));
          expect(s.lines.length).toBeGreaterThan(0);
          for (const l of s.lines) {
            expect(l.qty).toBeGreaterThan(0);
            const ol = w.order.lines.find((x) => x.orderLineId === l.orderLineId)!;
            expect([l.productId, l.sku]).toEqual([ol.productId, ol.sku]);
          }
          if (s.dropship) {
            const lead = Math.max(...s.lines.map((l) => w.snapshot.catalog.find((c) => c.locationId === s.locationId && c.productId === l.productId)!.leadDays));
            expect(s.shipBy).toBe(NOW + lead * 24 * 3_600_000);
          } else {
            expect(s.shipBy).toBe(NOW + loc.slaHours * 3_600_000);
          }
        }
      }),
      RUNS,
    );
  });

  test("every ordered unit is accounted for exactly once; a held order ships and backorders nothing", () => {
    fc.assert(
      fc.property(world, (w) => {
        const p = plan(w);
        const shipped = qtyByLine(p.shipments.flatMap((s) => s.lines));
        const backordered = qtyByLine(p.backorders);
        if (p.outcome === "held") {
          expect(p.hold).not.toBeNull();
          expect(p.shipments).toEqual([]);
          expect(p.backorders).toEqual([]);
          expect(p.hold!.lines.length).toBeGreaterThan(0);
          const held = qtyByLine(p.hold!.lines);
          for (const l of w.order.lines) expect(held.get(l.orderLineId) ?? 0).toBeLessThanOrEqual(l.qty);
          for (const [id, qty] of held) {
            expect(qty).toBeGreaterThan(0);
            expect(w.order.lines.some((l) => l.orderLineId === id)).toBe(true);
          }
        } else {
          expect(p.hold).toBeNull();
          for (const l of w.order.lines) expect((shipped.get(l.orderLineId) ?? 0) + (backordered.get(l.orderLineId) ?? 0)).toBe(l.qty);
          expect([...shipped.keys(), ...backordered.keys()].every((id) => w.order.lines.some((l) => l.orderLineId === id))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  test("a hold is justified: each stuck quantity has no supplier and may not be backordered (or the order is ship-complete)", () => {
    fc.assert(
      fc.property(world, (w) => {
        const p = plan(w);
        if (p.outcome !== "held") return;
        if (w.order.shipComplete) {
          expect(w.order.lines.every((l) => l.allowBackorder)).toBe(false);
          return;
        }
        const suppliers = w.snapshot.locations.filter((l) => l.kind === "dropship" && l.active);
        for (const h of p.hold!.lines) {
          expect(w.allowBackorder.get(h.productId)).toBe(false);
          expect(suppliers.some((s) => carries(w, s.id, h.productId))).toBe(false);
        }
      }),
      RUNS,
    );
  });

  test("the same input gives deep-equal plans, whatever the order of the snapshot's arrays", () => {
    const rotate = <T>(xs: T[], n: number) => (xs.length ? [...xs.slice(n % xs.length), ...xs.slice(0, n % xs.length)] : xs);
    fc.assert(
      fc.property(world, fc.nat(20), fc.boolean(), (w, n, reverse) => {
        const first = plan(w);
        expect(plan(w)).toEqual(first);
        const re = <T>(xs: T[]) => rotate(reverse ? [...xs].reverse() : xs, n);
        const shuffled = { ...w, snapshot: { locations: re(w.snapshot.locations), available: re(w.snapshot.available), catalog: re(w.snapshot.catalog) } };
        expect(plan(shuffled)).toEqual(first);
      }),
      RUNS,
    );
  });

  test("a ship-complete order yields at most one shipment and never mixes shipping with backorders", () => {
    fc.assert(
      fc.property(world, (w) => {
        const p = plan(w);
        if (!w.order.shipComplete) return;
        expect(p.shipments.length).toBeLessThanOrEqual(1);
        expect(p.split).toBe(false);
        if (p.shipments.length === 1) {
          expect(p.backorders).toEqual([]);
          expect(qtyByLine(p.shipments[0]!.lines)).toEqual(qtyByLine(w.order.lines));
        }
        if (p.backorders.length) expect(qtyByLine(p.backorders)).toEqual(qtyByLine(w.order.lines));
      }),
      RUNS,
    );
  });

  test("backorders are only for SKUs that allow them", () => {
    fc.assert(
      fc.property(world, (w) => {
        for (const b of plan(w).backorders) expect(w.allowBackorder.get(b.productId)).toBe(true);
      }),
      RUNS,
    );
  });

  test("when one active location holds the whole order, it alone ships it: the nearest, then lowest priority number", () => {
    fc.assert(
      fc.property(world, (w) => {
        const able = activeStockSites(w)
          .filter((s) => productsOrdered(w).every((pid) => availableAt(w, s.id, pid) >= demandOf(w, pid)))
          .map((s) => ({ s, d: distanceKm(s, w.order.shipTo) }))
          .sort((a, b) => a.d - b.d || a.s.priority - b.s.priority || a.s.id - b.s.id);
        if (!able.length) return;
        const p = plan(w);
        expect(p.outcome).toBe("single");
        expect(p.shipments.map((s) => s.locationId)).toEqual([able[0]!.s.id]);
        expect(p.candidates.filter((c) => c.verdict === "chosen").map((c) => c.locationId)).toEqual([able[0]!.s.id]);
      }),
      RUNS,
    );
  });

  test("stock is used up before anything is dropshipped or backordered", () => {
    fc.assert(
      fc.property(world, (w) => {
        const p = plan(w);
        if (w.order.shipComplete || p.outcome === "held") return;
        const fromStock = new Map<number, number>();
        for (const s of stockShipments(p)) for (const l of s.lines) fromStock.set(l.productId, (fromStock.get(l.productId) ?? 0) + l.qty);
        for (const pid of productsOrdered(w)) {
          const total = activeStockSites(w).reduce((n, s) => n + availableAt(w, s.id, pid), 0);
          expect(fromStock.get(pid) ?? 0).toBe(Math.min(demandOf(w, pid), total));
        }
      }),
      RUNS,
    );
  });

  test("a line whose SKU is on no other line is split across stock locations only when no active location holds it", () => {
    fc.assert(
      fc.property(world, (w) => {
        const p = plan(w);
        for (const l of w.order.lines) {
          if (w.order.lines.some((o) => o !== l && o.productId === l.productId)) continue;
          const sources = stockShipments(p).filter((s) => s.lines.some((x) => x.orderLineId === l.orderLineId));
          if (sources.length > 1) expect(activeStockSites(w).some((s) => availableAt(w, s.id, l.productId) >= l.qty)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  test("orders with distinct SKUs use the fewest stock shipments that keep whole lines whole", () => {
    fc.assert(
      fc.property(world, (w) => {
        const lines = w.order.lines;
        if (w.order.shipComplete || new Set(lines.map((l) => l.productId)).size !== lines.length) return;
        const p = plan(w);
        if (p.outcome === "held") return;
        // Independent oracle: with distinct SKUs no two lines compete, so each line constrains the set on its own.
        const sites = activeStockSites(w);
        const covers = (set: PlanLocation[]) =>
          lines.every((l) => {
            const inSet = set.reduce((n, s) => n + availableAt(w, s.id, l.productId), 0);
            const all = sites.reduce((n, s) => n + availableAt(w, s.id, l.productId), 0);
            return sites.some((s) => availableAt(w, s.id, l.productId) >= l.qty) ? set.some((s) => availableAt(w, s.id, l.productId) >= l.qty) : inSet >= Math.min(l.qty, all);
          });
        let fewest = sites.length;
        for (let mask = 0; mask < 1 << sites.length; mask++) {
          const set = sites.filter((_, i) => mask & (1 << i));
          if (set.length < fewest && covers(set)) fewest = set.length;
        }
        expect(stockShipments(p).length).toBe(fewest);
      }),
      RUNS,
    );
  });
});

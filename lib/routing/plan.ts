import { distanceKm } from "../geo.ts";
import type {
  Candidate,
  PlanLine,
  PlanLocation,
  PlanOrder,
  PlannedQuantity,
  PlannedShipment,
  RoutingPlan,
  RoutingSettings,
  RoutingSnapshot,
} from "./types.ts";

const HOUR = 3_600_000;
/** Above this many stocked locations the fewest-shipments search looks at the nearest ones only. */
const MAX_SUBSET_LOCATIONS = 12;

type Site = PlanLocation & { distanceKm: number };

/**
 * Decides where every unit of an order comes from (lib/DOMAIN.md "Units and where they ship", rules 1–8).
 * Pure: the same order, snapshot and settings always give the same plan.
 */
export function planRouting(order: PlanOrder, snapshot: RoutingSnapshot, settings: RoutingSettings): RoutingPlan {
  const lines = order.lines.filter((l) => l.qty > 0);
  const stock = new Map<string, number>();
  for (const a of snapshot.available) stock.set(key(a.locationId, a.productId), Math.max(0, a.available));
  const avail = (loc: number, product: number) => stock.get(key(loc, product)) ?? 0;
  const byCost = (a: Site, b: Site) => a.distanceKm - b.distanceKm || a.priority - b.priority || a.id - b.id;
  const sites: Site[] = snapshot.locations.map((l) => ({ ...l, distanceKm: distanceKm(l, order.shipTo) })).sort(byCost);
  const stockSites = sites.filter((s) => s.kind !== "dropship" && s.active);
  const suppliers = sites.filter((s) => s.kind === "dropship");
  const demand = new Map<number, number>();
  for (const l of lines) demand.set(l.productId, (demand.get(l.productId) ?? 0) + l.qty);
  const fillsAll = (s: Site) => {
    for (const [p, q] of demand) if (avail(s.id, p) < q) return false;
    return true;
  };
  const shortOf = (s: Site) =>
    [...demand].filter(([p, q]) => avail(s.id, p) < q).map(([p, q]) => `${skuOf(lines, p)} needs ${q}, has ${avail(s.id, p)}`);

  const notes = new Map<number, { verdict: Candidate["verdict"]; reasons: string[] }>();
  const note = (id: number, verdict: Candidate["verdict"], reason: string) => {
    const n = notes.get(id) ?? { verdict, reasons: [] };
    if (verdict === "chosen") n.verdict = "chosen";
    n.reasons.push(reason);
    notes.set(id, n);
  };
  for (const s of sites) if (!s.active) note(s.id, "rejected", "inactive");
  const explanation: string[] = [];
  const finish = (p: Omit<RoutingPlan, "orderId" | "candidates" | "explanation" | "outcome" | "split">): RoutingPlan =>
    build(order.orderId, p, sites, notes, explanation);

  if (lines.length === 0) {
    explanation.push("Nothing left to ship: every unit is cancelled.");
    return finish({ shipments: [], backorders: [], hold: null });
  }

  // Rule 2: one location for the whole order, the nearest (then highest priority) of those that can.
  const whole = stockSites.filter(fillsAll);
  const best = whole[0];
  if (best) {
    note(best.id, "chosen", `holds every unit; nearest able location (${best.distanceKm} km, priority ${best.priority})`);
    for (const s of whole.slice(1)) {
      note(s.id, "rejected", s.distanceKm > best.distanceKm ? `could ship it all but is farther (${s.distanceKm} km vs ${best.distanceKm} km)` : `could ship it all but has lower priority (${s.priority} vs ${best.priority})`);
    }
    for (const s of stockSites) if (!whole.includes(s)) note(s.id, "rejected", `insufficient stock: ${shortOf(s).join("; ")}`);
    for (const s of suppliers) if (s.active) note(s.id, "rejected", "not needed: own stock covers the order");
    explanation.push(`${best.code} ships the whole order.`);
    return finish({ shipments: [shipment(best, lines, false, settings.now + best.slaHours * HOUR)], backorders: [], hold: null });
  }
  for (const s of stockSites) note(s.id, "rejected", `cannot ship it all: ${shortOf(s).join("; ")}`);

  // Rule 5: a ship-complete order is never split.
  if (order.shipComplete) {
    const supplier = suppliers.find((s) => s.active && lines.every((l) => carries(snapshot, s.id, l.productId)));
    if (supplier) {
      note(supplier.id, "chosen", "carries every SKU of this ship-complete order");
      explanation.push(`Ship-complete and no warehouse holds it all: ${supplier.code} dropships the whole order.`);
      return finish({ shipments: [shipment(supplier, lines, true, settings.now + leadDays(snapshot, supplier.id, lines) * 24 * HOUR)], backorders: [], hold: null });
    }
    if (lines.every((l) => l.allowBackorder)) {
      explanation.push("Ship-complete and no single location can fill it: backordered whole until one can.");
      return finish({ shipments: [], backorders: lines.map(qtyOf), hold: null });
    }
    const reason = "Ship-complete order: no single location can fill it and not every SKU may be backordered.";
    explanation.push(reason);
    return finish({ shipments: [], backorders: [], hold: { reason, lines: lines.map(qtyOf) } });
  }

  // Rule 3: fewest shipments; a line is split only when no single location holds its quantity.
  const stocked = stockSites.filter((s) => lines.some((l) => avail(s.id, l.productId) > 0)).slice(0, MAX_SUBSET_LOCATIONS);
  const assignWhole = (set: Site[], ls: PlanLine[]) => {
    const left = new Map(stock);
    const picks = new Map<number, Site>();
    for (const l of ls) {
      const site = set.find((s) => (left.get(key(s.id, l.productId)) ?? 0) >= l.qty);
      if (!site) return null;
      left.set(key(site.id, l.productId), (left.get(key(site.id, l.productId)) ?? 0) - l.qty);
      picks.set(l.orderLineId, site);
    }
    return { picks, left };
  };
  const ordered = [...lines].sort((a, b) => b.qty - a.qty || a.orderLineId - b.orderLineId);
  const everywhere = assignWhole(stocked, []);
  // Lines competing for the same units: keep only those the full set can still place whole
  // (a line that loses the competition is skipped; lines of other SKUs stay whole).
  const wholeLines: PlanLine[] = [];
  for (const l of ordered) if (assignWhole(stocked, [...wholeLines, l])) wholeLines.push(l);
  // A set must also hold as much of the split lines' SKUs as all stocked locations together.
  const splitProducts = [...new Set(ordered.filter((l) => !wholeLines.includes(l)).map((l) => l.productId))];
  const coversSplits = (set: Site[]) =>
    splitProducts.every((p) => {
      const inSet = set.reduce((n, s) => n + avail(s.id, p), 0);
      const all = stocked.reduce((n, s) => n + avail(s.id, p), 0);
      return inSet >= Math.min(demand.get(p) ?? 0, all);
    });
  let chosen = everywhere!;
  let chosenSet: Site[] = [];
  for (const set of subsetsBySize(stocked, byCost)) {
    const attempt = coversSplits(set) ? assignWhole(set, wholeLines) : null;
    if (attempt) {
      chosen = attempt;
      chosenSet = set;
      break;
    }
  }
  const parts = new Map<number, Map<number, number>>(); // site id -> line id -> qty
  const put = (site: Site, l: PlanLine, qty: number) => {
    const m = parts.get(site.id) ?? new Map<number, number>();
    m.set(l.orderLineId, (m.get(l.orderLineId) ?? 0) + qty);
    parts.set(site.id, m);
  };
  for (const l of wholeLines) put(chosen.picks.get(l.orderLineId)!, l, l.qty);
  const remaining: PlannedQuantity[] = [];
  const left = chosen.left;
  for (const l of ordered) {
    if (wholeLines.includes(l)) continue;
    let need = l.qty;
    // Split across locations already shipping, then the nearest others.
    const order2 = [...chosenSet, ...stocked.filter((s) => !chosenSet.includes(s))];
    for (const s of order2) {
      const have = left.get(key(s.id, l.productId)) ?? 0;
      const take = Math.min(have, need);
      if (take <= 0) continue;
      put(s, l, take);
      left.set(key(s.id, l.productId), have - take);
      need -= take;
      if (need === 0) break;
    }
    if (need > 0) remaining.push({ ...qtyOf(l), qty: need });
    if (need < l.qty) explanation.push(`No single location holds ${l.qty} × ${l.sku}: split across locations${need ? `, ${need} still uncovered` : ""}.`);
  }

  // Rule 4: what stock cannot cover goes to a dropship supplier, else a backorder, else a hold.
  const dropParts = new Map<number, PlannedQuantity[]>();
  const backorders: PlannedQuantity[] = [];
  const stuck: PlannedQuantity[] = [];
  for (const r of remaining) {
    const carriers = suppliers.filter((s) => s.active && carries(snapshot, s.id, r.productId));
    const supplier = carriers.find((s) => dropParts.has(s.id)) ?? carriers.sort((a, b) => leadDays(snapshot, a.id, [r]) - leadDays(snapshot, b.id, [r]) || byCost(a, b))[0];
    if (supplier) {
      dropParts.set(supplier.id, [...(dropParts.get(supplier.id) ?? []), r]);
      note(supplier.id, "chosen", `dropships ${r.qty} × ${r.sku} that no stock covers`);
    } else if (lines.find((l) => l.orderLineId === r.orderLineId)!.allowBackorder) {
      backorders.push(r);
      explanation.push(`${r.qty} × ${r.sku}: no stock and no supplier carries it; backordered.`);
    } else {
      stuck.push(r);
    }
  }
  for (const s of suppliers) {
    if (!s.active || dropParts.has(s.id)) continue;
    note(s.id, "rejected", remaining.length ? "does not carry the uncovered SKUs" : "not needed: stock covers the order");
  }
  if (stuck.length) {
    const reason = `Held: ${stuck.map((s) => `${s.qty} × ${s.sku}`).join(", ")} has no stock, no supplier and may not be backordered.`;
    explanation.push(reason);
    for (const s of stockSites) notes.get(s.id)!.verdict = "rejected";
    for (const s of suppliers) if (notes.get(s.id)) notes.get(s.id)!.verdict = "rejected";
    return finish({ shipments: [], backorders: [], hold: { reason, lines: stuck } });
  }

  const shipments: PlannedShipment[] = [];
  for (const s of stockSites) {
    const m = parts.get(s.id);
    if (!m) {
      if (stocked.includes(s)) note(s.id, "rejected", "not needed: fewer shipments without it");
      continue;
    }
    const ls = [...m].map(([lineId, qty]) => ({ ...qtyOf(lines.find((l) => l.orderLineId === lineId)!), qty }));
    note(s.id, "chosen", `ships ${ls.map((l) => `${l.qty} × ${l.sku}`).join(", ")}`);
    shipments.push(shipment(s, ls, false, settings.now + s.slaHours * HOUR));
  }
  for (const s of suppliers) {
    const ls = dropParts.get(s.id);
    if (ls) shipments.push(shipment(s, ls, true, settings.now + leadDays(snapshot, s.id, ls) * 24 * HOUR));
  }
  if (shipments.length > 1) explanation.push(`No one location holds every unit: ${shipments.length} shipments, the fewest possible.`);
  return finish({ shipments, backorders, hold: null });
}

function build(
  orderId: number,
  p: Omit<RoutingPlan, "orderId" | "candidates" | "explanation" | "outcome" | "split">,
  sites: Site[],
  notes: Map<number, { verdict: Candidate["verdict"]; reasons: string[] }>,
  explanation: string[],
): RoutingPlan {
  const lineShipments = new Map<number, number>();
  for (const s of p.shipments) for (const l of s.lines) lineShipments.set(l.orderLineId, (lineShipments.get(l.orderLineId) ?? 0) + 1);
  const split = p.shipments.length > 1 || [...lineShipments.values()].some((n) => n > 1);
  const outcome: RoutingPlan["outcome"] = p.hold
    ? "held"
    : p.backorders.length
      ? "backordered"
      : p.shipments.some((s) => s.dropship)
        ? "dropship"
        : split
          ? "split"
          : "single";
  const candidates: Candidate[] = sites.map((s) => ({
    locationId: s.id,
    code: s.code,
    name: s.name,
    kind: s.kind,
    distanceKm: s.distanceKm,
    priority: s.priority,
    verdict: notes.get(s.id)?.verdict ?? "rejected",
    reasons: notes.get(s.id)?.reasons ?? [s.kind === "dropship" ? "does not carry these SKUs" : "no stock of any ordered SKU"],
  }));
  return { orderId, outcome, split, ...p, candidates, explanation };
}

function* subsetsBySize(sites: Site[], byCost: (a: Site, b: Site) => number): Generator<Site[]> {
  for (let size = 1; size <= sites.length; size++) {
    const sets: Site[][] = [];
    const pick = (start: number, acc: Site[]) => {
      if (acc.length === size) return void sets.push(acc);
      for (let i = start; i < sites.length; i++) pick(i + 1, [...acc, sites[i]!]);
    };
    pick(0, []);
    const cost = (set: Site[]) => set.reduce((sum, s) => sum + s.distanceKm, 0);
    const byList = (a: number[], b: number[]) => a.reduce((d, x, i) => d || x - b[i]!, 0);
    sets.sort((a, b) => cost(a) - cost(b) || byList(a.map((s) => s.priority), b.map((s) => s.priority)) || byList(a.map((s) => s.id), b.map((s) => s.id)));
    for (const set of sets) yield [...set].sort(byCost);
  }
}

function shipment(site: Site, lines: { orderLineId: number; productId: number; sku: string; qty: number }[], dropship: boolean, shipBy: number): PlannedShipment {
  return {
    locationId: site.id,
    locationCode: site.code,
    dropship,
    shipBy,
    distanceKm: site.distanceKm,
    lines: lines.map(qtyOf).sort((a, b) => a.orderLineId - b.orderLineId),
  };
}

function qtyOf(l: { orderLineId: number; productId: number; sku: string; qty: number }): PlannedQuantity {
  return { orderLineId: l.orderLineId, productId: l.productId, sku: l.sku, qty: l.qty };
}

function carries(snapshot: RoutingSnapshot, locationId: number, productId: number): boolean {
  return snapshot.catalog.some((c) => c.locationId === locationId && c.productId === productId && c.active);
}

function leadDays(snapshot: RoutingSnapshot, locationId: number, lines: { productId: number }[]): number {
  let days = 0;
  for (const l of lines) {
    const c = snapshot.catalog.find((x) => x.locationId === locationId && x.productId === l.productId);
    days = Math.max(days, c?.leadDays ?? 0);
  }
  return days;
}

function skuOf(lines: PlanLine[], productId: number): string {
  return lines.find((l) => l.productId === productId)?.sku ?? `#${productId}`;
}

function key(locationId: number, productId: number): string {
  return `${locationId}:${productId}`;
}

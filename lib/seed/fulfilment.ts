import type { ShipmentStatus } from "../../db/schema/orders.ts";
import type { AuditDraft, SeedActor, SeedContext } from "./context.ts";
import { LOCATIONS, STOCKING, SUPPLIERS, distanceKm, type Carrier } from "./places.ts";
import { DAY, HOUR, MINUTE, type OrderSkeleton } from "./plan.ts";
import { explainRouting, type PlanCandidate } from "./routing-plan.ts";
import { BACKORDER_REASONS, trackingNumber } from "./texts.ts";

export type LineDraft = { id: number; productIndex: number; sku: string; name: string; qty: number; cancelled: number; unitPrice: number };
export type ShipTo = { country: string; city: string; lat: number; lng: number };

export type ShipmentDraft = {
  id: number;
  /** Index into LOCATIONS. */
  loc: number;
  dropship: boolean;
  leadDays: number;
  /** What routing planned, before any partial cancel. */
  planned: { line: number; qty: number }[];
  /** What the shipment carries now. */
  lines: { line: number; qty: number }[];
  target: ShipmentStatus;
  carrier: Carrier;
  tracking: string | null;
  tCreated: number;
  tPick: number;
  tPack: number;
  tShip: number;
  tDeliver: number;
  tCancel: number;
};

type BackorderDraft = { id: number; line: number; qty: number; choice: "not_asked" | "asked" | "wait"; reason: string; tChoice: number };

export type Fulfilment = {
  shipments: ShipmentDraft[];
  backorders: BackorderDraft[];
  outcome: "single" | "split" | "dropship" | "backordered";
  candidates: PlanCandidate[];
  explanation: string[];
};

const between = (ctx: SeedContext, lo: number, hi: number) => lo + Math.floor(ctx.rng.next() * (hi - lo));

function openTarget(ctx: SeedContext): ShipmentStatus {
  const x = ctx.rng.next();
  return x < 0.5 ? "pending" : x < 0.8 ? "picking" : "packed";
}

/** What each shipment has reached by now, from the order's final status. */
function targetFor(ctx: SeedContext, s: OrderSkeleton, index: number, count: number): ShipmentStatus {
  if (s.status === "cancelled") return "cancelled";
  if (s.status === "awaiting_fulfillment") return openTarget(ctx);
  if (s.status === "partially_fulfilled") return index === 0 ? (ctx.rng.chance(0.3) ? "delivered" : "shipped") : openTarget(ctx);
  const delivered = s.status === "delivered" || s.refundedFrom === "delivered";
  if (delivered) return "delivered";
  // Fulfilled: everything shipped, and an earlier parcel may already have arrived.
  return index === 0 && count > 1 && ctx.rng.chance(0.3) ? "delivered" : "shipped";
}

/**
 * Routes one order the way the planner would explain it: nearest stocking location first,
 * a split or a supplier only when needed, a backorder for what nothing covers.
 * Times are relative to placement; `tRouted` is when routing ran, `tCancel` when the order was cancelled (if it was).
 */
export function planFulfilment(ctx: SeedContext, s: OrderSkeleton, lines: readonly LineDraft[], shipTo: ShipTo, tRouted: number, tCancel: number): Fulfilment {
  const { rng } = ctx;
  const ranked = STOCKING.map((loc) => ({ loc, km: distanceKm(shipTo.lat, shipTo.lng, LOCATIONS[loc]!.lat, LOCATIONS[loc]!.lng) })).sort(
    (a, b) => a.km - b.km || LOCATIONS[a.loc]!.priority - LOCATIONS[b.loc]!.priority,
  );
  const groups = new Map<number, { line: number; qty: number }[]>();
  const assign = (loc: number, line: number, qty: number) => {
    if (!groups.has(loc)) groups.set(loc, []);
    groups.get(loc)!.push({ line, qty });
  };
  const backorders: BackorderDraft[] = [];
  const first = lines[0]!;
  let supplier: { loc: number; leadDays: number } | null = null;
  let skipped: number | null = null;
  const route = s.route ?? "single";

  if (route === "single") {
    const skip = rng.chance(0.15) ? ranked[0]! : null;
    const chosen = skip ? ranked[1]! : ranked[0]!;
    for (let i = 0; i < lines.length; i++) assign(chosen.loc, i, lines[i]!.qty);
    skipped = skip?.loc ?? null;
  } else if (route === "split") {
    for (let i = 0; i < lines.length; i++) assign(ranked[i % 2]!.loc, i, lines[i]!.qty);
  } else if (route === "dropship") {
    const options = SUPPLIERS.map((loc, i) => ({ loc, entry: ctx.catalogs[i]!.find((e) => e.productId === first.productIndex + 1) })).filter((o) => o.entry);
    const best = options.sort((a, b) => a.entry!.cost - b.entry!.cost)[0]!;
    supplier = { loc: best.loc, leadDays: best.entry!.leadDays };
    assign(best.loc, 0, first.qty);
    for (let i = 1; i < lines.length; i++) assign(ranked[0]!.loc, i, lines[i]!.qty);
  } else {
    const partial = first.qty >= 2 && (lines.length === 1 || rng.chance(0.5));
    const short = partial ? rng.int(1, first.qty - 1) : first.qty;
    backorders.push({ id: ++ctx.ids.backorder, line: 0, qty: short, choice: rng.pick(["not_asked", "asked", "wait"] as const), reason: rng.pick(BACKORDER_REASONS), tChoice: 0 });
    if (partial) assign(ranked[0]!.loc, 0, first.qty - short);
    for (let i = 1; i < lines.length; i++) assign(ranked[0]!.loc, i, lines[i]!.qty);
  }

  const count = groups.size;
  const shipments: ShipmentDraft[] = [];
  let index = 0;
  for (const [loc, group] of groups) {
    const location = LOCATIONS[loc]!;
    const dropship = location.kind === "dropship";
    const leadDays = dropship ? supplier!.leadDays : 0;
    const target = targetFor(ctx, s, index++, count);
    const tPick = dropship ? tRouted + Math.floor(leadDays * DAY * (0.3 + rng.next() * 0.3)) : tRouted + between(ctx, 1 * HOUR, 18 * HOUR);
    const tPack = tPick + between(ctx, 10 * MINUTE, dropship ? 6 * HOUR : 90 * MINUTE);
    const tShip = tPack + between(ctx, 30 * MINUTE, 8 * HOUR);
    const carrier = rng.pick(location.carriers);
    const id = ++ctx.ids.shipment;
    const shipped = target === "shipped" || target === "delivered";
    // A partial cancel (already on the line) happened while this shipment was pending.
    const live = group.map((g) => ({ line: g.line, qty: g.qty - lines[g.line]!.cancelled })).filter((g) => g.qty > 0);
    shipments.push({
      id,
      loc,
      dropship,
      leadDays,
      planned: group,
      lines: live,
      target,
      carrier,
      tracking: shipped ? trackingNumber(rng, carrier, id) : null,
      tCreated: tRouted,
      tPick,
      tPack,
      tShip,
      tDeliver: tShip + between(ctx, 18 * HOUR, 4 * DAY),
      tCancel,
    });
    if (!dropship && (target === "pending" || target === "picking" || target === "packed")) {
      for (const g of live) ctx.reserved[loc * ctx.products.length + lines[g.line]!.productIndex]! += g.qty;
    }
  }
  for (const b of backorders) b.tChoice = b.choice === "not_asked" ? tRouted : tRouted + between(ctx, 2 * HOUR, 2 * DAY);

  const outcome = route === "backorder" ? "backordered" : route;
  const { candidates, explanation } = explainRouting({ route, shipTo, lines, groups, skipped, backorders });
  return { shipments, backorders, outcome, candidates, explanation };
}

const STEPS: readonly ShipmentStatus[] = ["pending", "picking", "packed", "shipped", "delivered"];

/** The audit rows a shipment's history produces, up to its target status. */
export function shipmentAudit(sh: ShipmentDraft, who: { warehouse: () => SeedActor; canceller: SeedActor; system: SeedActor }): AuditDraft[] {
  const { system } = who;
  const rows: AuditDraft[] = [];
  const row = (t: number, action: string, from: ShipmentStatus | null, to: ShipmentStatus, actor: SeedActor, data: string | null): void => {
    rows.push({ t, entityType: "shipment", entityId: sh.id, actor, action, from, to, reason: null, data });
  };
  row(sh.tCreated, "created", null, "pending", system, JSON.stringify({ location: LOCATIONS[sh.loc]!.code, dropship: sh.dropship }));
  if (sh.target === "cancelled") {
    row(sh.tCancel, "status_changed", "pending", "cancelled", who.canceller, null);
    return rows;
  }
  const times = [sh.tCreated, sh.tPick, sh.tPack, sh.tShip, sh.tDeliver];
  const last = STEPS.indexOf(sh.target);
  for (let i = 1; i <= last; i++) {
    const to = STEPS[i]!;
    const data = to === "shipped" ? JSON.stringify({ carrier: sh.carrier, trackingNumber: sh.tracking }) : null;
    row(times[i]!, "status_changed", STEPS[i - 1]!, to, i < 4 ? who.warehouse() : system, data);
  }
  return rows;
}

import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { backorders, inventory, locations, orders, products } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import type { Actor } from "../audit.ts";
import { loadOrder, type OrderAggregate } from "../orders/aggregate.ts";
import { allocateBackorder, type Fill } from "../orders/backorder-fill.ts";
import { assertNotStarted, moveOrderWhole, type Freed } from "../orders/ship-complete.ts";
import { planUnits } from "../orders/reroute.ts";
import { liveLines, placeUnits } from "../orders/shipment-lines.ts";
import { recordDecision } from "../routing/decision.ts";
import { reserveStock } from "./reserve.ts";

/** Orders whose backorders may take stock: still being fulfilled. */
const FILLABLE_STATUSES = ["awaiting_fulfillment", "partially_fulfilled"] as const;

type Ctx = { actor: Actor; at: number; cause: string };

function availableAt(tx: Tx, locationId: number, productId: number): number {
  const row = tx
    .select({ a: sql<number>`max(0, ${inventory.onHand} - ${inventory.reserved} - ${inventory.safetyStock})` })
    .from(inventory)
    .where(and(eq(inventory.locationId, locationId), eq(inventory.productId, productId)))
    .get();
  return row?.a ?? 0;
}

/**
 * Hands what is available of a SKU at a location to its oldest pending backorders first (FIFO),
 * partial fills allowed; the customer did not ask to cancel and the order is still being fulfilled.
 * A ship-complete order is filled only whole: when this location can ship every open unit of it,
 * the whole order moves here (lib/DOMAIN.md rule 5), else it keeps its place and waits. Returns the
 * fills and the stock a whole move freed elsewhere.
 */
export function fillBackorders(tx: Tx, o: Ctx & { locationId: number; productId: number }): { fills: Fill[]; freed: Freed[] } {
  const fills: Fill[] = [];
  const freed: Freed[] = [];
  const location = tx.select().from(locations).where(eq(locations.id, o.locationId)).get();
  if (!location || !location.active || location.kind === "dropship") return { fills, freed };
  const queue = tx
    .select({ backorder: backorders, shipComplete: orders.shipComplete, sku: products.sku, name: products.name })
    .from(backorders)
    .innerJoin(orders, eq(orders.id, backorders.orderId))
    .innerJoin(products, eq(products.id, backorders.productId))
    .where(and(eq(backorders.productId, o.productId), eq(backorders.status, "pending"), ne(backorders.customerChoice, "cancel"), inArray(orders.status, [...FILLABLE_STATUSES])))
    .orderBy(asc(backorders.createdAt), asc(backorders.id))
    .all();
  const shipBy = o.at + location.slaHours * 3_600_000;
  const seen = new Set<number>();
  for (const { backorder: b, shipComplete, ...item } of queue) {
    const available = availableAt(tx, location.id, o.productId);
    if (available <= 0) break;
    if (shipComplete) {
      if (seen.has(b.orderId)) continue;
      seen.add(b.orderId);
      const agg = loadOrder(tx, b.orderId);
      if (!fillsWholeAt(tx, agg, location.id)) continue;
      const moved = moveOrderWhole(tx, agg, { to: location, dropship: false, shipBy, actor: o.actor, at: o.at, cause: o.cause, reason: `${o.cause} at ${location.code}: ${location.name} now holds every unit of this ship-complete order, so all of it ships from there.` });
      fills.push(...moved.fills);
      freed.push(...moved.freed);
      continue;
    }
    const qty = Math.min(available, b.qty);
    reserveStock(tx, { locationId: location.id, productId: o.productId, qty, at: o.at });
    const agg = loadOrder(tx, b.orderId);
    const shipment = placeUnits(tx, agg, { locationId: location.id, dropship: false, shipBy, lines: [{ orderLineId: b.orderLineId, qty }], actor: o.actor, at: o.at, reason: `${o.cause} at ${location.code}: ${qty} × ${item.sku} from backorder ${b.id}` });
    fills.push(allocateBackorder(tx, { backorder: b, qty, shipmentId: shipment.id, from: location, order: { number: agg.order.number }, item, actor: o.actor, at: o.at, cause: o.cause }));
  }
  return { fills, freed };
}

/**
 * Whether one location can ship every open unit of a ship-complete order now: its pending backorders
 * (none the customer wants cancelled) and whatever its pending shipments elsewhere carry.
 */
function fillsWholeAt(tx: Tx, agg: OrderAggregate, locationId: number): boolean {
  if (!(FILLABLE_STATUSES as readonly string[]).includes(agg.order.status)) return false;
  const waiting = agg.backorders.filter((b) => b.status === "pending");
  if (waiting.some((b) => b.customerChoice === "cancel")) return false;
  try {
    assertNotStarted(agg);
  } catch {
    return false;
  }
  const need = new Map<number, number>();
  const add = (productId: number, qty: number) => need.set(productId, (need.get(productId) ?? 0) + qty);
  for (const b of waiting) add(b.productId, b.qty);
  for (const s of agg.shipments) {
    if (s.status !== "pending" || (s.locationId === locationId && !s.dropship)) continue;
    for (const l of liveLines(s.lines)) add(agg.lines.find((x) => x.id === l.orderLineId)!.productId, l.qty);
  }
  return [...need].every(([productId, qty]) => availableAt(tx, locationId, productId) >= qty);
}

/**
 * Stock that became free (a cancellation, a move, a whole order moved away) goes to the waiting
 * backorders like a receipt would: a backorder never waits while the units sit free on a shelf.
 */
export function offerFreedStock(tx: Tx, freed: Freed[], o: Ctx): Fill[] {
  const fills: Fill[] = [];
  const work = [...freed];
  const done = new Set<string>();
  while (work.length) {
    const f = work.shift()!;
    const key = `${f.locationId}:${f.productId}`;
    if (done.has(key)) continue;
    done.add(key);
    const result = fillBackorders(tx, { ...f, ...o });
    fills.push(...result.fills);
    for (const more of result.freed) {
      done.delete(`${more.locationId}:${more.productId}`);
      work.push(more);
    }
  }
  return fills;
}

/**
 * After units of an order were cancelled: the stock its shipments released goes to waiting
 * backorders, and a ship-complete order whose backorders shrank ships whole as soon as one location
 * (or supplier) can now fill what is left, planned and explained like routing.
 */
export function restockAfterCancel(tx: Tx, agg: OrderAggregate, o: { actor: Actor; at: number }): Fill[] {
  const productOf = (orderLineId: number) => agg.lines.find((l) => l.id === orderLineId)!.productId;
  const freed = agg.shipments.filter((s) => !s.dropship).flatMap((s) => s.lines.map((l) => ({ locationId: s.locationId, productId: productOf(l.orderLineId) })));
  const ctx = { ...o, cause: `Stock freed by a cancellation on ${agg.order.number}` };
  return [...offerFreedStock(tx, freed, ctx), ...shipWholeWhenAble(tx, agg.order.id, ctx)];
}

/** A ship-complete order waiting on backorders moves whole to the one location or supplier the planner finds able, if any. */
function shipWholeWhenAble(tx: Tx, orderId: number, o: Ctx): Fill[] {
  const agg = loadOrder(tx, orderId);
  const waiting = agg.backorders.filter((b) => b.status === "pending");
  if (!agg.order.shipComplete || waiting.length === 0 || waiting.some((b) => b.customerChoice === "cancel")) return [];
  if (!(FILLABLE_STATUSES as readonly string[]).includes(agg.order.status)) return [];
  try {
    assertNotStarted(agg);
  } catch {
    return [];
  }
  const pending = agg.shipments.filter((s) => s.status === "pending");
  const productOf = (orderLineId: number) => agg.lines.find((l) => l.id === orderLineId)!.productId;
  const units = [...waiting.map((b) => ({ orderLineId: b.orderLineId, qty: b.qty })), ...pending.flatMap((s) => liveLines(s.lines).map((l) => ({ orderLineId: l.orderLineId, qty: l.qty })))];
  const releasing = pending.filter((s) => !s.dropship).flatMap((s) => liveLines(s.lines).map((l) => ({ locationId: s.locationId, productId: productOf(l.orderLineId), qty: l.qty })));
  const plan = planUnits(tx, orderId, units, { shipComplete: true, at: o.at, releasing });
  const target = plan.shipments.length === 1 ? plan.shipments[0]! : null;
  if (!target) return [];
  const to = tx.select({ id: locations.id, code: locations.code, name: locations.name }).from(locations).where(eq(locations.id, target.locationId)).get()!;
  const reason = `${o.cause}: ${to.name} can now ship every unit of this ship-complete order.`;
  recordDecision(tx, { ...plan, explanation: [reason, ...plan.explanation] }, o.at);
  const moved = moveOrderWhole(tx, agg, { to, dropship: target.dropship, shipBy: target.shipBy, actor: o.actor, at: o.at, reason, cause: o.cause });
  return [...moved.fills, ...offerFreedStock(tx, moved.freed, o)];
}

import type { OrderStatus } from "../../db/schema/orders.ts";
import type { AuditDraft, SeedActor, SeedContext } from "./context.ts";
import type { Fulfilment, LineDraft, ShipmentDraft } from "./fulfilment.ts";
import { LOCATIONS } from "./places.ts";
import { DAY, HOUR } from "./plan.ts";
import { providerRef } from "./texts.ts";

/** Drafts carry times relative to placement; `at` turns them into epoch ms. */
export type StatusEvent = { t: number; from: OrderStatus | null; to: OrderStatus | null; actor: SeedActor; action: string; reason: string | null; data: string | null };
export type RefundDraft = {
  id: number;
  amount: number;
  reason: string;
  status: "succeeded" | "pending_approval";
  /** cancellation: owed for cancelled units; units: chosen units; amount: goodwill. */
  kind: "amount" | "units" | "cancellation";
  lines: { orderLineId: number; qty: number }[] | null;
  requestedBy: SeedActor;
  decidedBy: SeedActor | null;
  decisionNote: string | null;
  tCreated: number;
  tDecided: number | null;
  tCompleted: number | null;
};
export type NoteDraft = { id: number; t: number; author: SeedActor; body: string };
export type NotificationDraft = { id: number; t: number; kind: string; channel: "email" | "sms"; subject: string; body: string; sentDelay: number };

export type OrderDraft = {
  id: number;
  number: string;
  customerId: number;
  customerName: string;
  addressId: number;
  status: OrderStatus;
  shipComplete: boolean;
  currency: string;
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  paid: number;
  refunded: number;
  placedAt: number;
  statusChangedAt: number;
  updatedAt: number;
  lines: LineDraft[];
  fulfilment: Fulfilment | null;
  routingId: number | null;
  tRouted: number;
  refunds: RefundDraft[];
  notes: NoteDraft[];
  notifications: NotificationDraft[];
  audit: AuditDraft[];
};

const bool = (b: boolean) => (b ? 1 : 0);

/** Writes one order and everything hanging off it, parents before children. */
export function writeOrder(ctx: SeedContext, o: OrderDraft, at: (rel: number) => number): void {
  const { ins } = ctx;
  ins.order.run(
    o.id, o.number, o.customerId, o.addressId, o.status, bool(o.shipComplete), o.currency,
    o.subtotal, o.shipping, o.tax, o.total, o.paid, o.refunded, o.placedAt, o.statusChangedAt, o.updatedAt,
  );
  for (const l of o.lines) ins.orderLine.run(l.id, o.id, l.productIndex + 1, l.sku, l.name, l.qty, l.cancelled, l.unitPrice);

  const f = o.fulfilment;
  if (f && o.routingId !== null) {
    const split = f.shipments.length > 1;
    const dropship = f.shipments.some((s) => s.dropship);
    const shipByOf = (s: ShipmentDraft) => at(s.tCreated) + (s.dropship ? s.leadDays * DAY : LOCATIONS[s.loc]!.slaHours * HOUR);
    const quantity = (p: { line: number; qty: number }) => {
      const l = o.lines[p.line]!;
      return { orderLineId: l.id, productId: l.productIndex + 1, sku: l.sku, qty: p.qty };
    };
    // The same shape lib/routing stores (RoutingPlan), with absolute ship-by times.
    const plan = JSON.stringify({
      orderId: o.id,
      outcome: f.outcome,
      split,
      shipments: f.shipments.map((s) => ({
        locationId: s.loc + 1,
        locationCode: LOCATIONS[s.loc]!.code,
        dropship: s.dropship,
        shipBy: shipByOf(s),
        distanceKm: f.candidates.find((c) => c.locationId === s.loc + 1)!.distanceKm,
        lines: s.planned.map(quantity),
      })),
      backorders: f.backorders.map(quantity),
      hold: null,
      candidates: f.candidates,
      explanation: f.explanation,
    });
    ins.routing.run(o.routingId, o.id, f.outcome, bool(split), bool(dropship), bool(f.backorders.length > 0), 0, f.shipments.length, plan, at(o.tRouted));
    for (const s of f.shipments) {
      const created = at(s.tCreated);
      const shipBy = shipByOf(s);
      const shipped = s.target === "shipped" || s.target === "delivered";
      const delivered = s.target === "delivered";
      const updated = at({ pending: s.tCreated, picking: s.tPick, packed: s.tPack, shipped: s.tShip, delivered: s.tDeliver, cancelled: s.tCancel }[s.target]);
      ins.shipment.run(
        s.id, o.id, s.loc + 1, s.target, bool(s.dropship), shipped ? s.carrier : null, s.tracking,
        shipBy, created, updated, shipped ? at(s.tShip) : null, delivered ? at(s.tDeliver) : null,
      );
      // A line keeps what routing planned: the live units, and what a cancellation took out of it (all of a cancelled shipment's).
      for (const p of s.planned) {
        const live = s.target === "cancelled" ? 0 : (s.lines.find((l) => l.line === p.line)?.qty ?? 0);
        ins.shipmentLine.run(++ctx.ids.shipmentLine, s.id, o.lines[p.line]!.id, live, p.qty - live);
      }
    }
    for (const b of f.backorders) {
      const line = o.lines[b.line]!;
      ins.backorder.run(b.id, o.id, line.id, line.productIndex + 1, b.qty, "pending", b.choice, b.reason, at(o.tRouted), at(b.tChoice));
    }
  }
  for (const r of o.refunds) {
    ins.refund.run(
      r.id, o.id, r.amount, o.currency, r.reason, r.status, r.kind, r.lines ? JSON.stringify(r.lines) : null, r.requestedBy.id, r.decidedBy?.id ?? null, r.decisionNote,
      r.status === "succeeded" ? providerRef(ctx.rng) : null, at(r.tCreated), r.tDecided === null ? null : at(r.tDecided), r.tCompleted === null ? null : at(r.tCompleted),
    );
    // The ledger: the units it covers, the amount spread over them by value (the last takes the rounding).
    const covered = (r.lines ?? []).filter((l) => l.qty > 0);
    const value = covered.map((l) => o.lines.find((x) => x.id === l.orderLineId)!.unitPrice * l.qty);
    const totalValue = value.reduce((a, b) => a + b, 0);
    let left = r.amount;
    covered.forEach((l, i) => {
      const share = i === covered.length - 1 ? left : Math.floor((r.amount * value[i]!) / totalValue);
      left -= share;
      ins.refundItem.run(r.id, o.id, l.orderLineId, l.qty, share);
    });
  }
  for (const n of o.notes) ins.note.run(n.id, o.id, n.author.id, n.body, at(n.t));
  for (const n of o.notifications) {
    ins.notification.run(n.id, o.id, o.customerId, n.channel, n.kind, n.subject, n.body, at(n.t), at(n.t + n.sentDelay));
  }
  // Causal order: relative time, then the order the drafts were made in.
  const audit = o.audit.map((a, i) => ({ a, i })).sort((x, y) => x.a.t - y.a.t || x.i - y.i);
  for (const { a } of audit) {
    ins.audit.run(++ctx.ids.audit, a.entityType, a.entityId, o.id, a.actor.id, a.actor.label, a.action, a.from, a.to, a.reason, a.data, at(a.t));
  }
}

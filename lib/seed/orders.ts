import type { OrderStatus } from "../../db/schema/orders.ts";
import type { AuditDraft, SeedActor, SeedContext } from "./context.ts";
import { planFulfilment, shipmentAudit, type Fulfilment, type LineDraft } from "./fulfilment.ts";
import { DAY, HOUR, MINUTE, type OrderSkeleton } from "./plan.ts";
import { weightedPicker } from "./random.ts";
import { writeOrder, type NoteDraft, type NotificationDraft, type OrderDraft, type RefundDraft, type StatusEvent } from "./write.ts";
import * as text from "./texts.ts";

/** The refund size an agent may approve alone, in cents; larger refunds need finance (matches the agent_refund_limit setting). */
export const AGENT_REFUND_LIMIT = 10_000;
/** The demo limit for pound orders (limits are per currency). */
export const AGENT_REFUND_LIMIT_GBP = 8_500;
const SECOND = 1000;

const pickLineCount = weightedPicker([[1, 50], [2, 30], [3, 14], [4, 6]] as const);
const pickQty = weightedPicker([[1, 75], [2, 17], [3, 6], [4, 2]] as const);

const toGbp = (eur: number) => Math.max(99, Math.round((eur * 0.86) / 100) * 100 - 1);

/** Generates one order with its full, consistent history and writes it. `base` is "now" for the demo data. */
export function generateOrder(ctx: SeedContext, id: number, s: OrderSkeleton, base: number): void {
  const { rng, actors, system } = ctx;
  const between = (lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo));
  // Repeat buyers: three orders in ten come from the most loyal tenth of customers.
  const loyal = Math.max(1, Math.ceil(ctx.customers.length / 10));
  const customer = ctx.customers[rng.chance(0.3) ? rng.int(0, loyal - 1) : rng.int(0, ctx.customers.length - 1)]!;
  const address = customer.addresses.length > 1 && rng.chance(0.25) ? customer.addresses[1]! : customer.addresses[0]!;
  const { currency, vat } = address.country;
  const number = `SY-${100000 + id}`;

  // Lines, drawn to fit the route decided in phase one.
  const wanted = Math.max(pickLineCount(rng), s.route === "split" ? 2 : 1);
  const used = new Set<number>();
  const lines: LineDraft[] = [];
  for (let i = 0; i < wanted; i++) {
    let productIndex: number;
    if (i === 0 && s.route === "dropship") {
      const catalog = ctx.catalogs[rng.int(0, ctx.catalogs.length - 1)]!;
      productIndex = rng.pick(catalog).productId - 1;
    } else if (i === 0 && s.route === "backorder") productIndex = rng.pick(ctx.scarce);
    else if (i === 0 && s.pendingApproval) productIndex = rng.pick(ctx.premium);
    else {
      productIndex = ctx.popular[rng.skewed(ctx.popular.length, 1.8)]!;
      if (used.has(productIndex)) continue;
    }
    used.add(productIndex);
    const p = ctx.products[productIndex]!;
    let qty: number = pickQty(rng);
    // A partial cancel or a partial backorder needs a second unit on the first line.
    if (i === 0 && (s.partialCancel || s.route === "backorder")) qty = Math.max(qty, 2);
    const unitPrice = currency === "GBP" ? toGbp(p.price) : p.price;
    lines.push({ id: ++ctx.ids.line, productIndex, sku: p.sku, name: p.name, qty, cancelled: 0, unitPrice });
  }
  if (s.route === "split" && lines.length < 2) {
    const extra = ctx.popular.find((i) => !used.has(i))!;
    const p = ctx.products[extra]!;
    const unitPrice = currency === "GBP" ? toGbp(p.price) : p.price;
    lines.push({ id: ++ctx.ids.line, productIndex: extra, sku: p.sku, name: p.name, qty: 1, cancelled: 0, unitPrice });
  }

  const subtotal = lines.reduce((sum, l) => sum + l.qty * l.unitPrice, 0);
  const shipping = subtotal >= (currency === "GBP" ? 6500 : 7500) ? 0 : currency === "GBP" ? 395 : 495;
  const tax = Math.round(((subtotal + shipping) * vat) / 100);
  const total = subtotal + shipping + tax;
  const withVat = (net: number) => Math.round((net * (100 + vat)) / 100);

  const created = JSON.stringify({ number, total, currency, lines: lines.length });
  const events: StatusEvent[] = [{ t: 0, from: null, to: "pending", actor: system, action: "created", reason: null, data: created }];
  const status = (t: number, from: OrderStatus, to: OrderStatus, actor: SeedActor, reason: string | null = null, data: unknown = null) =>
    events.push({ t, from, to, actor, action: "status_changed", reason, data: data === null ? null : JSON.stringify(data) });
  const notifications: NotificationDraft[] = [];
  const notify = (t: number, kind: string, msg: { subject: string; body: string }) => {
    const channel = customer.phone && rng.chance(0.1) ? "sms" : "email";
    notifications.push({ id: ++ctx.ids.notification, t, kind, channel, ...msg, sentDelay: between(1 * SECOND, 30 * SECOND) });
  };
  const refunds: RefundDraft[] = [];
  /** Cancellation refunds go straight through; others above the agent limit got (or wait for) finance's approval. */
  const refund = (r: { at: number; amount: number; reason: string; lines: RefundDraft["lines"]; by?: SeedActor; pending?: boolean; automatic?: boolean }) => {
    const approved = !r.automatic && !r.pending && r.amount > AGENT_REFUND_LIMIT;
    const tDecided = approved ? r.at + between(1 * HOUR, 2 * DAY) : null;
    const tCompleted = r.pending ? null : (tDecided ?? r.at) + between(5 * SECOND, 60 * SECOND);
    const draft: RefundDraft = {
      id: ++ctx.ids.refund,
      amount: r.amount,
      reason: r.reason,
      status: r.pending ? "pending_approval" : "succeeded",
      kind: r.automatic ? "cancellation" : r.lines ? "units" : "amount",
      lines: r.lines,
      requestedBy: r.by ?? actors.agent,
      decidedBy: approved ? actors.finance : null,
      decisionNote: approved ? "Approved after review" : null,
      tCreated: r.at,
      tDecided,
      tCompleted,
    };
    refunds.push(draft);
    if (tCompleted !== null && !r.automatic) notify(tCompleted + 2 * SECOND, "refunded", text.notify.refunded(number, customer.name, text.money(r.amount, currency)));
    return draft;
  };
  const agentOrManager = () => (rng.chance(0.9) ? actors.agent : actors.manager);
  const items = (ls: readonly { line: number; qty: number }[]) => ls.map((x) => ({ qty: x.qty, name: lines[x.line]!.name }));

  let paid = 0;
  let t = 0;
  let tCancel = -1;
  let canceller: SeedActor = system;
  let cancelReason = "";
  let fulfilment: Fulfilment | null = null;
  let routingId: number | null = null;
  let tRouted = -1;

  if (s.cancelledFrom === "pending") {
    const unpaid = rng.chance(0.6);
    tCancel = unpaid ? 48 * HOUR + between(0, 2 * HOUR) : between(10 * MINUTE, 20 * HOUR);
    canceller = unpaid ? system : agentOrManager();
    cancelReason = unpaid ? text.CANCEL_REASON_UNPAID : rng.pick(text.CANCEL_REASONS_CUSTOMER);
  } else if (s.status !== "pending") {
    status((t += between(5 * SECOND, 60 * SECOND)), "pending", "payment_processing", system);
    if (s.cancelledFrom === "payment_processing") {
      tCancel = t + between(1 * MINUTE, 30 * MINUTE);
      cancelReason = rng.pick(text.CANCEL_REASON_PAYMENT_FAILED);
    } else if (s.status !== "payment_processing") {
      paid = total;
      status((t += between(3 * SECOND, 120 * SECOND)), "payment_processing", "paid", system, null, { amount: total, currency });
      if (s.cancelledFrom === "paid") {
        tCancel = t + between(30 * SECOND, 5 * MINUTE);
        canceller = rng.chance(0.15) ? actors.manager : actors.agent;
        cancelReason = canceller === actors.manager ? text.CANCEL_REASON_FRAUD : rng.pick(text.CANCEL_REASONS_CUSTOMER);
      } else if (s.status !== "paid") {
        tRouted = t += between(20 * SECOND, 10 * MINUTE);
        if (s.cancelledFrom === "awaiting_fulfillment") {
          tCancel = tRouted + between(10 * MINUTE, 50 * MINUTE);
          canceller = agentOrManager();
          cancelReason = rng.pick(text.CANCEL_REASONS_CUSTOMER);
        }
        if (s.partialCancel) {
          const line = lines[0]!;
          line.cancelled = rng.int(1, line.qty - 1);
          const at = tRouted + between(5 * MINUTE, 50 * MINUTE);
          const reason = `Cancelled ${line.cancelled} × ${line.sku} before shipping`;
          const r = refund({ at, amount: withVat(line.cancelled * line.unitPrice), reason, lines: [{ orderLineId: line.id, qty: line.cancelled }], automatic: true });
          notify(r.tCompleted! + 2 * SECOND, "refunded", text.notify.refunded(number, customer.name, text.money(r.amount, currency)));
        }
        const shipTo = { country: address.country.code, city: address.city, lat: address.lat, lng: address.lng };
        fulfilment = planFulfilment(ctx, s, lines, shipTo, tRouted, tCancel);
        routingId = ++ctx.ids.routing;
        // As lib/routing writes it: a "routed" row with the explanation, then the transition.
        const shipmentIds = fulfilment.shipments.map((x) => x.id);
        const routed = JSON.stringify({ decisionId: routingId, outcome: fulfilment.outcome, shipmentIds });
        events.push({ t: tRouted, from: null, to: null, actor: system, action: "routed", reason: fulfilment.explanation.join(" "), data: routed });
        status(tRouted, "paid", "awaiting_fulfillment", system, `Routed: ${fulfilment.outcome}`, { decisionId: routingId });
        for (const b of fulfilment.backorders) {
          notify(tRouted + 3 * SECOND, "backordered", text.notify.backordered(number, customer.name, { qty: b.qty, name: lines[b.line]!.name }));
        }
        const shipped = fulfilment.shipments.filter((x) => x.target === "shipped" || x.target === "delivered").sort((a, b) => a.tShip - b.tShip);
        for (const [i, sh] of shipped.entries()) {
          const more = i < fulfilment.shipments.length - 1 || fulfilment.backorders.length > 0;
          const message = text.notify.shipped(number, customer.name, items(sh.lines), sh.carrier, sh.tracking!, more);
          notify(sh.tShip + between(10 * SECOND, 5 * MINUTE), "shipped", message);
        }
        const firstShip = shipped[0]?.tShip ?? 0;
        const lastShip = shipped[shipped.length - 1]?.tShip ?? 0;
        // Order statuses derived from shipments land 1 ms after the shipment event that caused them.
        if (s.status === "partially_fulfilled") status(firstShip + 1, "awaiting_fulfillment", "partially_fulfilled", system);
        if (s.status === "fulfilled" || s.status === "delivered" || s.status === "refunded") {
          if (shipped.length > 1 && firstShip < lastShip) {
            status(firstShip + 1, "awaiting_fulfillment", "partially_fulfilled", system);
            status(lastShip + 1, "partially_fulfilled", "fulfilled", system);
          } else status(lastShip + 1, "awaiting_fulfillment", "fulfilled", system);
          t = lastShip + 1;
          if (s.status === "delivered" || s.refundedFrom === "delivered") {
            t = Math.max(...shipped.map((x) => x.tDeliver)) + 1;
            status(t, "fulfilled", "delivered", system);
          }
        }
      }
    }
  }

  if (tCancel >= 0) {
    const allLines = lines.map((l) => ({ orderLineId: l.id, qty: l.qty }));
    const r = paid > 0 ? refund({ at: tCancel, amount: paid, reason: `Order cancelled: ${cancelReason}`, lines: allLines, by: canceller, automatic: true }) : null;
    status(tCancel, s.cancelledFrom!, "cancelled", canceller, cancelReason, r ? { refundId: r.id, refunded: paid } : null);
    for (const line of lines) line.cancelled = line.qty;
    notify(tCancel + 2 * SECOND, "cancelled", text.notify.cancelled(number, customer.name, r ? text.money(paid, currency) : null));
  }

  // Refunds after shipping: a full refund, a partial one, or one waiting for finance.
  const refundable = () => paid - refunds.reduce((sum, r) => sum + (r.status === "succeeded" ? r.amount : 0), 0);
  if (s.status === "refunded") {
    const at = t + (s.refundedFrom === "fulfilled" ? between(3 * DAY, 10 * DAY) : between(2 * DAY, 20 * DAY));
    const reason = s.refundedFrom === "fulfilled" ? "Parcel lost in transit" : rng.pick(text.FULL_REFUND_REASONS);
    const r = refund({ at, amount: refundable(), reason, lines: lines.map((l) => ({ orderLineId: l.id, qty: l.qty - l.cancelled })) });
    status(r.tCompleted!, s.refundedFrom!, "refunded", r.decidedBy ?? actors.agent, reason, { refundId: r.id, amount: r.amount });
  }
  if (s.partialRefund) {
    const line = rng.pick(lines);
    const goodwill = rng.chance(0.4);
    const amount = Math.min(goodwill ? rng.pick([500, 1000, 1500]) : withVat(line.unitPrice), refundable() - 1);
    const reason = goodwill ? rng.pick(text.GOODWILL_REASONS) : `Returned 1 × ${line.sku}`;
    if (amount > 0) refund({ at: t + between(1 * DAY, 14 * DAY), amount, reason, lines: goodwill ? null : [{ orderLineId: line.id, qty: 1 }] });
  }
  if (s.pendingApproval && refundable() > AGENT_REFUND_LIMIT) {
    const amount = Math.max(AGENT_REFUND_LIMIT + 1, Math.round(refundable() * (0.7 + rng.next() * 0.3)));
    const reason = "Customer reports the item stopped working";
    refund({ at: t + between(1 * DAY, 4 * DAY), amount: Math.min(amount, refundable()), reason, lines: null, pending: true });
  }

  const audit: AuditDraft[] = events.map((e) => ({ t: e.t, entityType: "order", entityId: id, actor: e.actor, action: e.action, from: e.from, to: e.to, reason: e.reason, data: e.data }));
  const warehouse = () => (rng.chance(0.15) ? actors.warehouse_lead : system);
  for (const sh of fulfilment?.shipments ?? []) audit.push(...shipmentAudit(sh, { warehouse, canceller, system }));

  const notes: NoteDraft[] = [];
  let end = 0;
  for (const a of audit) end = Math.max(end, a.t);
  for (const r of refunds) end = Math.max(end, r.tCompleted ?? r.tCreated);
  for (const n of notifications) end = Math.max(end, n.t + n.sentDelay);
  for (const b of fulfilment?.backorders ?? []) end = Math.max(end, b.tChoice);
  if (rng.chance(0.07)) {
    for (let i = rng.int(1, 2); i > 0; i--) {
      const author = rng.chance(0.7) ? actors.agent : rng.chance(0.5) ? actors.warehouse_lead : actors.manager;
      notes.push({ id: ++ctx.ids.note, t: Math.floor(rng.next() * end), author, body: rng.pick(text.NOTE_BODIES) });
    }
  }

  // Squeeze the history into the time between placement and "now" when it would run past it.
  const span = Math.floor((base - s.placedAt) * 0.97);
  const k = end > span ? span / end : 1;
  const at = (rel: number) => s.placedAt + Math.round(rel * k);
  const lastStatus = events.reduce((m, e) => (e.to ? Math.max(m, e.t) : m), 0);
  const draft: OrderDraft = {
    id, number, customerId: customer.id, customerName: customer.name, addressId: address.id, status: s.status, shipComplete: s.shipComplete, currency,
    subtotal, shipping, tax, total, paid, refunded: paid - refundable(), placedAt: s.placedAt, statusChangedAt: at(lastStatus), updatedAt: at(end),
    lines, fulfilment, routingId, tRouted, refunds, notes, notifications, audit,
  };
  writeOrder(ctx, draft, at);
}

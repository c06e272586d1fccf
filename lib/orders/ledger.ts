/**
 * The refund account of one order, pure: what each refund covers per line and unit, what is waiting,
 * held or still refundable, and what a cancellation owes. Pages, dialogs and actions all compute their
 * numbers here, so a dialog's promise is what the server does.
 */
import type { RefundKind, RefundStatus } from "../../db/schema/orders.ts";
import { cancellationAmount, type OrderMoney } from "./money.ts";
import { formatMoney } from "../format.ts";

export type LedgerItem = { orderLineId: number | null; qty: number; amount: number };
export type LedgerRefund = {
  id: number;
  kind: RefundKind;
  status: RefundStatus;
  amount: number;
  requestedBy: number | null;
  decidedBy: number | null;
  items: LedgerItem[];
};
type LedgerLine = { id: number; sku: string; qtyOrdered: number; qtyCancelled: number; unitPrice: number };
export type Ledger = { order: OrderMoney & { currency: string }; lines: LedgerLine[]; refunds: LedgerRefund[] };
export type Units = { orderLineId: number; qty: number }[];

/** Requested or being paid out: counts against what was paid. */
const WAITING: readonly RefundStatus[] = ["pending_approval", "approved"];
/** Every refund that covers its units: nothing refunds them again. */
const LIVE: readonly RefundStatus[] = ["pending_approval", "approved", "on_hold", "succeeded"];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function waitingTotal(l: Ledger): number {
  return sum(l.refunds.filter((r) => WAITING.includes(r.status)).map((r) => r.amount));
}

function heldTotal(l: Ledger): number {
  return sum(l.refunds.filter((r) => r.status === "on_hold").map((r) => r.amount));
}

/**
 * What a new refund by amount or units may still take: paid minus refunded, minus what waits for finance
 * and what is held for cancelled units (money owed comes before goodwill).
 */
export function refundableNow(l: Ledger): number {
  return Math.max(0, l.order.paid - l.order.refunded - waitingTotal(l) - heldTotal(l));
}

/** Units of a line covered by live refunds (by units, cancellation, waiting or held). */
export function coveredUnits(l: Ledger, orderLineId: number): number {
  return sum(l.refunds.filter((r) => LIVE.includes(r.status)).flatMap((r) => r.items.filter((i) => i.orderLineId === orderLineId).map((i) => i.qty)));
}

/**
 * Units of a line that a refund by units may take: not cancelled, and not already covered. Coverage is
 * counted against cancelled units first, since cancelling an already-refunded unit owes nothing more.
 */
export function refundableUnits(l: Ledger, orderLineId: number): number {
  const line = l.lines.find((x) => x.id === orderLineId);
  if (!line) return 0;
  const open = line.qtyOrdered - line.qtyCancelled;
  return Math.max(0, open - Math.max(0, coveredUnits(l, orderLineId) - line.qtyCancelled));
}

/** Cancelled units of a line that no live refund covers. */
function uncoveredCancelled(l: Ledger, line: LedgerLine): number {
  return Math.max(0, line.qtyCancelled - coveredUnits(l, line.id));
}

export type RefundPlan = { amount: number; items: LedgerItem[]; problems: string[] };

/** A refund of chosen units: each unit at its price plus its tax share, never a unit already covered. */
export function planUnitsRefund(l: Ledger, asked: Units): RefundPlan {
  const problems: string[] = [];
  const items: LedgerItem[] = [];
  const wanted = new Map<number, number>();
  for (const a of asked) if (a.qty > 0) wanted.set(a.orderLineId, (wanted.get(a.orderLineId) ?? 0) + a.qty);
  for (const [orderLineId, qty] of wanted) {
    const line = l.lines.find((x) => x.id === orderLineId);
    if (!line) {
      problems.push(`Line ${orderLineId} is not on this order.`);
      continue;
    }
    const can = refundableUnits(l, orderLineId);
    if (qty > can) problems.push(can === 0 ? `Every unit of ${line.sku} is already refunded, waiting or cancelled.` : `Only ${can} unit(s) of ${line.sku} can still be refunded, not ${qty}.`);
    items.push({ orderLineId, qty, amount: cancellationAmount(l.order, [{ unitPrice: line.unitPrice, qty }], false).total });
  }
  if (items.length === 0 && problems.length === 0) problems.push("Choose at least one unit to refund.");
  const amount = sum(items.map((i) => i.amount));
  const max = refundableNow(l);
  if (problems.length === 0 && amount > max) problems.push(`That is more than the ${formatMoney(max, l.order.currency)} still refundable.`);
  return { amount, items, problems };
}

export type CancellationPlan = {
  /** The order's totals after the cancellation. */
  totals: Pick<OrderMoney, "subtotal" | "shipping" | "tax" | "total">;
  /** What the customer is owed for these units (0 when nothing was paid or they were refunded already). */
  owed: number;
  items: LedgerItem[];
  /** Paid now, or held until the requests waiting for finance are decided (they hold the money). */
  held: boolean;
};

/**
 * Cancelling units: totals shrink by their price and tax share (the last units take shipping too); the
 * customer is owed the value of the newly cancelled units no live refund covers, up to what they paid
 * beyond the new total. If requests waiting for finance hold that money, the refund is held, not lost.
 */
export function planCancellation(l: Ledger, cancel: Units): CancellationPlan {
  const wanted = cancel.filter((c) => c.qty > 0);
  const openAfter = sum(l.lines.map((x) => x.qtyOrdered - x.qtyCancelled)) - sum(wanted.map((w) => w.qty));
  const priced = wanted.map((w) => ({ w, line: l.lines.find((x) => x.id === w.orderLineId)! })).filter((p) => p.line);
  const cut = cancellationAmount(l.order, priced.map((p) => ({ unitPrice: p.line.unitPrice, qty: p.w.qty })), openAfter <= 0);
  const totals = { subtotal: l.order.subtotal - cut.items, shipping: l.order.shipping - cut.shipping, tax: l.order.tax - cut.tax, total: l.order.total - cut.total };
  const items: LedgerItem[] = [];
  for (const { w, line } of priced) {
    const after = { ...line, qtyCancelled: line.qtyCancelled + w.qty };
    const owedUnits = uncoveredCancelled(l, after) - uncoveredCancelled(l, line);
    if (owedUnits > 0) items.push({ orderLineId: line.id, qty: owedUnits, amount: cancellationAmount(l.order, [{ unitPrice: line.unitPrice, qty: owedUnits }], false).total });
  }
  // The last units take shipping and its tax with them, unless a live refund already covered shipping.
  const shippingShare = cut.total - sum(priced.map((p) => cancellationAmount(l.order, [{ unitPrice: p.line.unitPrice, qty: p.w.qty }], false).total));
  const shippingCovered = l.refunds.some((r) => LIVE.includes(r.status) && r.items.some((i) => i.orderLineId === null));
  if (openAfter <= 0 && shippingShare > 0 && !shippingCovered) items.push({ orderLineId: null, qty: 0, amount: shippingShare });
  const owed = Math.min(sum(items.map((i) => i.amount)), Math.max(0, l.order.paid - totals.total), Math.max(0, l.order.paid - l.order.refunded));
  scaleTo(items, owed);
  return { totals, owed, items: items.filter((i) => i.qty > 0 || i.amount > 0), held: owed > 0 && owed > l.order.paid - l.order.refunded - waitingTotal(l) - heldTotal(l) };
}

/** Shrinks item amounts (largest last) so they add up to `total`, keeping the units they cover. */
function scaleTo(items: LedgerItem[], total: number): void {
  let excess = sum(items.map((i) => i.amount)) - total;
  for (const i of [...items].reverse()) {
    if (excess <= 0) break;
    const take = Math.min(i.amount, excess);
    i.amount -= take;
    excess -= take;
  }
}

/**
 * A request by units rejected after some of its units were cancelled: those units were covered only by
 * the request, so the customer is now owed them, at the value the request gave them.
 */
export function planOwedAfterRejection(l: Ledger, rejected: LedgerRefund): Pick<CancellationPlan, "owed" | "items" | "held"> {
  const items: LedgerItem[] = [];
  for (const i of rejected.items) {
    const line = i.orderLineId === null ? undefined : l.lines.find((x) => x.id === i.orderLineId);
    if (!line || i.qty === 0) continue;
    const owedUnits = Math.min(i.qty, uncoveredCancelled(l, line));
    if (owedUnits > 0) items.push({ orderLineId: line.id, qty: owedUnits, amount: Math.round((i.amount * owedUnits) / i.qty) });
  }
  const owed = Math.min(sum(items.map((i) => i.amount)), Math.max(0, l.order.paid - l.order.refunded));
  scaleTo(items, owed);
  return { owed, items, held: owed > 0 && owed > l.order.paid - l.order.refunded - waitingTotal(l) - heldTotal(l) };
}

export type OrderCancellationPlan = CancellationPlan & {
  /** Requests waiting for finance that cancelling the whole order closes (it refunds everything itself). */
  superseded: number[];
  /** Held refunds paid first, once those requests are closed. */
  released: number;
  /** Everything the customer gets back now: the released held refunds and the cancellation's own refund. */
  refundNow: number;
};

/**
 * Cancelling the whole order: requests waiting for finance are closed, refunds held behind them are paid,
 * then every open unit is cancelled and what the customer is still owed is refunded at once.
 */
export function planOrderCancellation(l: Ledger): OrderCancellationPlan {
  const superseded = l.refunds.filter((r) => r.status === "pending_approval").map((r) => r.id);
  let after: Ledger = { ...l, refunds: l.refunds.map((r) => (r.status === "pending_approval" ? { ...r, status: "rejected" as const } : r)) };
  let released = 0;
  for (const r of planHeldReleases(after)) {
    released += r.amount;
    after = {
      ...after,
      order: { ...after.order, refunded: after.order.refunded + r.amount },
      refunds: after.refunds.map((x) => (x.id !== r.refundId ? x : r.action === "close" ? { ...x, status: "rejected" as const } : { ...x, status: "succeeded" as const, amount: r.amount })),
    };
  }
  const plan = planCancellation(after, after.lines.map((x) => ({ orderLineId: x.id, qty: x.qtyOrdered - x.qtyCancelled })));
  return { ...plan, superseded, released, refundNow: released + plan.owed };
}

/** What refunds by agents, paid without finance, already took from this order: it counts toward their limit. */
type AgentRefundFacts = { refunds: readonly Pick<LedgerRefund, "kind" | "status" | "amount" | "requestedBy" | "decidedBy">[] };
function refundedWithoutApproval(l: AgentRefundFacts): number {
  return sum(l.refunds.filter((r) => r.kind !== "cancellation" && r.requestedBy !== null && r.decidedBy === null && (r.status === "approved" || r.status === "succeeded")).map((r) => r.amount));
}

/**
 * The agent limit, cumulative per order and per currency: a refund waits for finance when it would take
 * what agents refunded on this order without approval past the limit for the order's currency (no limit
 * set for the currency: every refund waits). Cancellation refunds are owed, never discretionary: no limit.
 */
export function needsFinance(l: Ledger, amount: number, limits: Record<string, number>, mayApprove: boolean): boolean {
  if (mayApprove) return false;
  return limitStanding(l, amount, limits).over;
}

/** What an agent may still refund on this order without finance, for the dialog. */
export function agentHeadroom(l: Ledger, limits: Record<string, number>): number {
  return Math.max(0, (limits[l.order.currency] ?? 0) - refundedWithoutApproval(l));
}

export type LimitStanding = { limit: number; byAgents: number; withRequest: number; over: boolean };

/**
 * Where a request waiting for finance stands against today's limit for its currency: what agents refunded
 * on the order without approval, that plus the request, and whether that is over the limit. A request can
 * be within today's limit when the limit was raised after it was asked.
 */
export function limitStanding(l: AgentRefundFacts & { order: { currency: string } }, amount: number, limits: Record<string, number>): LimitStanding {
  const limit = limits[l.order.currency] ?? 0;
  const byAgents = refundedWithoutApproval(l);
  return { limit, byAgents, withRequest: byAgents + amount, over: byAgents + amount > limit };
}

export type HeldRelease = { refundId: number; action: "pay" | "reduce_and_pay" | "close"; amount: number };

/**
 * Held cancellation refunds, oldest first, once the requests that held their money are decided: each is
 * paid when it fits; when nothing waits any more and it no longer fits, it pays what is left or closes
 * (the customer already has everything they paid back).
 */
export function planHeldReleases(l: Ledger): HeldRelease[] {
  let free = l.order.paid - l.order.refunded - waitingTotal(l);
  const waiting = waitingTotal(l) > 0;
  const out: HeldRelease[] = [];
  for (const r of l.refunds.filter((x) => x.status === "on_hold").sort((a, b) => a.id - b.id)) {
    if (r.amount <= free) {
      out.push({ refundId: r.id, action: "pay", amount: r.amount });
      free -= r.amount;
    } else if (!waiting) {
      out.push(free > 0 ? { refundId: r.id, action: "reduce_and_pay", amount: free } : { refundId: r.id, action: "close", amount: 0 });
      free = 0;
    } else break;
  }
  return out;
}

/** The checks the money model must pass after every change (the model-based test asserts them). */
export function ledgerViolations(l: Ledger): string[] {
  const v: string[] = [];
  if (l.order.refunded + waitingTotal(l) > l.order.paid) v.push(`refunded ${l.order.refunded} + waiting ${waitingTotal(l)} > paid ${l.order.paid}`);
  for (const line of l.lines) {
    const covered = coveredUnits(l, line.id);
    if (covered > line.qtyOrdered) v.push(`${line.sku}: ${covered} units covered by refunds of ${line.qtyOrdered} ordered`);
  }
  const subtotal = sum(l.lines.map((x) => (x.qtyOrdered - x.qtyCancelled) * x.unitPrice));
  if (subtotal !== l.order.subtotal) v.push(`subtotal ${l.order.subtotal} is not the lines' ${subtotal}`);
  if (l.order.subtotal + l.order.shipping + l.order.tax !== l.order.total) v.push(`total ${l.order.total} is not subtotal + shipping + tax`);
  const succeeded = sum(l.refunds.filter((r) => r.status === "succeeded").map((r) => r.amount));
  if (succeeded !== l.order.refunded) v.push(`refunded ${l.order.refunded} is not the succeeded refunds' ${succeeded}`);
  return v;
}

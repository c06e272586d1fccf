import { afterAll, beforeAll, expect, test } from "vitest";
import fc from "fast-check";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import type { Result } from "../../lib/errors.ts";
import { advanceShipmentAction, cancelOrderAction, cancelUnitsAction, decideRefundAction, requestRefundAction } from "../../app/(ops)/orders/[id]/actions.ts";
import { loadLedger } from "../../lib/orders/refunds.ts";
import { coveredUnits, ledgerViolations, refundableNow, type Ledger } from "../../lib/orders/ledger.ts";
import { database } from "../../db/index.ts";
import { versionOf } from "../support/current.ts";
import { settlePayouts } from "../support/payouts.ts";
import { insertUser } from "../support/fixtures.ts";
import { createOrdersWorld, databaseSnapshot, placeRoutedOrder, setAgentRefundLimits, stock, type OrdersWorld } from "../support/orders-world.ts";

/**
 * Model-based money test: fast-check drives random interleavings of refunds by amount and by units,
 * partial and whole cancellations, finance decisions, shipment progress and stale screens from several
 * actors, on a few orders at once, and checks the money rules after every step.
 */

let w: OrdersWorld;
let actors: SessionUser[];
beforeAll(() => {
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  for (const p of [w.product.KETTLE, w.product.MUG]) stock(w, w.loc.RTM, p, 100_000);
  setAgentRefundLimits(w.db, { EUR: 5_000 });
  actors = [w.users.agent, insertUser(w.db, "agent", "model-agent@switchyard.test"), w.users.admin];
});
afterAll(() => w.cleanup());

type Real = { orders: { orderId: number; lineIds: number[] }[]; steps: number; refused: number };
type Model = { seenVersions: Map<number, number> };
type Pick = { order: number; actor: number };

const ledgerOf = (orderId: number): Ledger => database().transaction((tx) => loadLedger(tx, orderId));
const one = <T,>(sqlText: string, ...args: unknown[]) => w.db.$client.prepare(sqlText).get(...args) as T;

/** Runs an action; a refusal must write nothing (the whole database is compared). */
async function act(r: Real, user: SessionUser, run: () => Promise<Result<unknown>>): Promise<Result<unknown>> {
  const before = databaseSnapshot(w.db);
  const result = await runAs(user, run);
  r.steps += 1;
  if (!result.ok) {
    r.refused += 1;
    expect(["invalid_input", "conflict", "invalid_transition", "not_found"], `${result.code}: ${result.message}`).toContain(result.code);
    expect(databaseSnapshot(w.db)).toEqual(before);
  }
  return result;
}

/** The rules that must hold after every step, for every order of the run. */
function checkInvariants(r: Real): void {
  for (const { orderId } of r.orders) {
    const l = ledgerOf(orderId);
    // refunded + waiting ≤ paid; no unit covered twice; totals = lines; refunded = succeeded refunds.
    expect(ledgerViolations(l), `order ${orderId}`).toEqual([]);
    // Every cancelled unit's value is refunded, waiting or held — unless nothing is left to give back.
    const uncovered = l.lines.reduce((n, x) => n + Math.max(0, x.qtyCancelled - coveredUnits(l, x.id)), 0);
    if (uncovered > 0) expect(l.order.paid - l.order.refunded, `order ${orderId}: ${uncovered} cancelled unit(s) neither refunded, waiting nor held`).toBe(0);
    // Held refunds wait only while requests waiting for finance hold the money.
    const waiting = l.refunds.some((x) => x.status === "pending_approval" || x.status === "approved");
    if (!waiting) expect(l.refunds.filter((x) => x.status === "on_hold"), `order ${orderId}`).toEqual([]);
  }
  // Every change audited: each refund and each cancelled line has its audit row.
  const unaudited = one<{ n: number }>("SELECT count(*) AS n FROM refunds r WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity_type = 'refund' AND a.entity_id = r.id)");
  expect(unaudited.n).toBe(0);
}

abstract class Step implements fc.AsyncCommand<Model, Real> {
  readonly p: Pick;
  constructor(p: Pick) {
    this.p = p;
  }
  check = () => true;
  abstract run(m: Model, r: Real): Promise<void>;
  protected orderOf(r: Real) {
    return r.orders[this.p.order % r.orders.length]!;
  }
  protected actor() {
    return actors[this.p.actor % actors.length]!;
  }
}

class RefundAmount extends Step {
  readonly share: number;
  constructor(p: Pick, share: number) {
    super(p);
    this.share = share;
  }
  override async run(m: Model, r: Real) {
    const o = this.orderOf(r);
    const amount = Math.max(1, Math.round(refundableNow(ledgerOf(o.orderId)) * this.share));
    m.seenVersions.set(o.orderId, versionOf(o.orderId));
    await act(r, this.actor(), () => requestRefundAction({ orderId: o.orderId, expectedVersion: versionOf(o.orderId), amount, reason: "model: goodwill" }));
    checkInvariants(r);
  }
  override toString = () => `RefundAmount(${JSON.stringify(this.p)}, ${this.share.toFixed(2)})`;
}

class RefundUnits extends Step {
  readonly line: number;
  readonly qty: number;
  constructor(p: Pick, line: number, qty: number) {
    super(p);
    this.line = line;
    this.qty = qty;
  }
  override async run(_m: Model, r: Real) {
    const o = this.orderOf(r);
    const lines = [{ orderLineId: o.lineIds[this.line % o.lineIds.length]!, qty: this.qty }];
    await act(r, this.actor(), () => requestRefundAction({ orderId: o.orderId, expectedVersion: versionOf(o.orderId), lines, reason: "model: damaged" }));
    checkInvariants(r);
  }
  override toString = () => `RefundUnits(${JSON.stringify(this.p)}, line ${this.line}, ${this.qty})`;
}

class CancelUnits extends Step {
  readonly line: number;
  readonly qty: number;
  constructor(p: Pick, line: number, qty: number) {
    super(p);
    this.line = line;
    this.qty = qty;
  }
  override async run(_m: Model, r: Real) {
    const o = this.orderOf(r);
    const lines = [{ orderLineId: o.lineIds[this.line % o.lineIds.length]!, qty: this.qty }];
    await act(r, this.actor(), () => cancelUnitsAction({ orderId: o.orderId, expectedVersion: versionOf(o.orderId), lines, reason: "model: not wanted" }));
    checkInvariants(r);
  }
  override toString = () => `CancelUnits(${JSON.stringify(this.p)}, line ${this.line}, ${this.qty})`;
}

class CancelOrder extends Step {
  override async run(_m: Model, r: Real) {
    const o = this.orderOf(r);
    await act(r, this.actor(), () => cancelOrderAction({ orderId: o.orderId, expectedVersion: versionOf(o.orderId), reason: "model: cancelled" }));
    checkInvariants(r);
  }
  override toString = () => `CancelOrder(${JSON.stringify(this.p)})`;
}

class Decide extends Step {
  readonly approve: boolean;
  constructor(p: Pick, approve: boolean) {
    super(p);
    this.approve = approve;
  }
  override async run(_m: Model, r: Real) {
    const o = this.orderOf(r);
    const waiting = one<{ id: number } | undefined>("SELECT id FROM refunds WHERE order_id = ? AND status = 'pending_approval' ORDER BY id LIMIT 1", o.orderId);
    if (!waiting) return;
    await act(r, w.users.finance, () => decideRefundAction({ orderId: o.orderId, expectedVersion: versionOf(o.orderId), refundId: waiting.id, approve: this.approve, note: "model: decided" }));
    checkInvariants(r);
  }
  override toString = () => `Decide(${JSON.stringify(this.p)}, ${this.approve ? "approve" : "reject"})`;
}

/** The worker's payments consumer catches up: approved refunds get the provider's answer. */
class PayOut extends Step {
  override async run(_m: Model, r: Real) {
    r.steps += await settlePayouts(w.db);
    checkInvariants(r);
  }
  override toString = () => `PayOut`;
}

const NEXT: Record<string, string> = { pending: "picking", picking: "packed", packed: "shipped", shipped: "delivered" };
class Advance extends Step {
  override async run(_m: Model, r: Real) {
    const o = this.orderOf(r);
    const s = one<{ id: number; status: string } | undefined>("SELECT id, status FROM shipments WHERE order_id = ? AND status NOT IN ('delivered', 'cancelled') ORDER BY id LIMIT 1", o.orderId);
    if (!s) return;
    const to = NEXT[s.status]!;
    await act(r, w.users.lead, () =>
      advanceShipmentAction({ orderId: o.orderId, expectedVersion: versionOf(o.orderId), shipmentId: s.id, to: to as never, ...(to === "shipped" ? { carrier: "DHL", trackingNumber: `MODEL${s.id}X${r.steps}` } : {}) }),
    );
    checkInvariants(r);
  }
  override toString = () => `Advance(${JSON.stringify(this.p)})`;
}

/** A dialog left open while the order changed: its action is refused and writes nothing. */
class Stale extends Step {
  override async run(m: Model, r: Real) {
    const o = this.orderOf(r);
    const seen = m.seenVersions.get(o.orderId);
    if (seen === undefined || seen === versionOf(o.orderId)) return;
    const result = await act(r, this.actor(), () => requestRefundAction({ orderId: o.orderId, expectedVersion: seen, amount: 1, reason: "model: stale screen" }));
    expect(result).toMatchObject({ ok: false, code: "conflict" });
  }
  override toString = () => `Stale(${JSON.stringify(this.p)})`;
}

const pick = fc.record({ order: fc.nat(2), actor: fc.nat(2) });
const steps = [
  fc.tuple(pick, fc.double({ min: 0.05, max: 1.2, noNaN: true })).map(([p, s]) => new RefundAmount(p, s)),
  fc.tuple(pick, fc.nat(1), fc.integer({ min: 1, max: 3 })).map(([p, l, q]) => new RefundUnits(p, l, q)),
  fc.tuple(pick, fc.nat(1), fc.integer({ min: 1, max: 3 })).map(([p, l, q]) => new CancelUnits(p, l, q)),
  pick.map((p) => new CancelOrder(p)),
  fc.tuple(pick, fc.boolean()).map(([p, a]) => new Decide(p, a)),
  fc.tuple(pick, fc.boolean()).map(([p, a]) => new Decide(p, a)),
  pick.map((p) => new Advance(p)),
  pick.map((p) => new Stale(p)),
  pick.map((p) => new PayOut(p)),
  pick.map((p) => new PayOut(p)),
];

test("money rules hold after every step of random refunds, cancellations, decisions, shipments and stale screens", async () => {
  let runs = 0;
  let total = 0;
  await fc.assert(
    fc.asyncProperty(fc.commands(steps, { maxCommands: 40, size: "max" }), async (cmds) => {
      const orders = [
        placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 }, { product: w.product.MUG, qty: 3 }] }),
        placeRoutedOrder(w, { lines: [{ product: w.product.MUG, qty: 1 }, { product: w.product.KETTLE, qty: 1 }] }),
        placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 3 }, { product: w.product.MUG, qty: 2 }], shipping: 0 }),
      ];
      const real: Real = { orders: orders.map((o) => ({ orderId: o.orderId, lineIds: o.lineIds })), steps: 0, refused: 0 };
      await fc.asyncModelRun(() => ({ model: { seenVersions: new Map() }, real }), cmds);
      // Whatever was left in flight is paid out, and the rules still hold once nothing is.
      await settlePayouts(w.db);
      checkInvariants(real);
      runs += 1;
      total += real.steps;
    }),
    { seed: 20261130, numRuns: Number(process.env.MONEY_MODEL_RUNS ?? 40), endOnFailure: true },
  );
  console.log(`money model: ${runs} runs, ${total} actions checked`);
  expect(total).toBeGreaterThan(runs * 5);
}, 300_000);

test("two processes refunding, cancelling and deciding on the same orders at once keep every money rule", async () => {
  const { spawn } = await import("node:child_process");
  const { createInterface } = await import("node:readline");
  const orders = Array.from({ length: 8 }, (_, i) =>
    placeRoutedOrder(w, { lines: [{ product: w.product.KETTLE, qty: 2 + (i % 3) }, { product: w.product.MUG, qty: 3 }] }),
  );
  const side = (seed: number, user: SessionUser) => {
    const child = spawn(process.execPath, ["tests/support/money-race-child.ts", w.file, String(seed), String(user.id), user.name, "150"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const lines: string[] = [];
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      if (line.includes('"ready":true')) onReady();
    });
    const done = new Promise<{ applied: number; refused: number; busy: number; errors: string[] }>((resolve, reject) =>
      child.on("close", (code) => (code === 0 ? resolve(JSON.parse(lines.at(-1)!)) : reject(new Error(`money race side exited ${code}: ${stderr}`)))),
    );
    return { child, ready, done };
  };
  const a = side(1, actors[0]!);
  const b = side(2, actors[1]!);
  await Promise.all([a.ready, b.ready]);
  a.child.stdin.write("go\n");
  b.child.stdin.write("go\n");
  const [ra, rb] = await Promise.all([a.done, b.done]);
  console.log(`money race: side A applied ${ra.applied}, refused ${ra.refused}, waited on the lock ${ra.busy}×; side B applied ${rb.applied}, refused ${rb.refused}, waited ${rb.busy}×`);
  expect([...ra.errors, ...rb.errors]).toEqual([]);
  expect(ra.applied).toBeGreaterThan(10);
  expect(rb.applied).toBeGreaterThan(10);
  await settlePayouts(w.db);
  checkInvariants({ orders: orders.map((o) => ({ orderId: o.orderId, lineIds: o.lineIds })), steps: 0, refused: 0 });
}, 120_000);

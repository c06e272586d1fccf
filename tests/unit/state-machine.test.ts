import { describe, expect, test } from "vitest";
import { ORDER_STATUSES, type OrderStatus } from "../../db/schema/orders.ts";
import { TRANSITIONS, canTransition, label } from "../../lib/orders/state-machine.ts";

/** lib/DOMAIN.md, "Order lifecycle", transcribed independently of the code under test. */
const DOMAIN_TABLE: Record<OrderStatus, OrderStatus[]> = {
  pending: ["payment_processing", "cancelled"],
  payment_processing: ["paid", "cancelled"],
  paid: ["awaiting_fulfillment", "cancelled"],
  awaiting_fulfillment: ["partially_fulfilled", "fulfilled", "cancelled"],
  partially_fulfilled: ["fulfilled"],
  fulfilled: ["delivered", "refunded"],
  delivered: ["refunded"],
  refunded: [],
  cancelled: [],
};

const PAIRS = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => ({ from, to, allowed: DOMAIN_TABLE[from].includes(to) })));

describe("TRANSITIONS", () => {
  test("has exactly one entry per order status", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  test.each(ORDER_STATUSES)("from %s allows exactly the targets lib/DOMAIN.md lists", (from) => {
    expect([...TRANSITIONS[from]].sort()).toEqual([...DOMAIN_TABLE[from]].sort());
  });

  test.each(["refunded", "cancelled"] as const)("%s is terminal and allows nothing", (from) => {
    expect(TRANSITIONS[from]).toEqual([]);
    for (const to of ORDER_STATUSES) expect(canTransition(from, to)).toBe(false);
  });

  test("no status may transition to itself", () => {
    for (const s of ORDER_STATUSES) expect(TRANSITIONS[s]).not.toContain(s);
  });

  test("every target is a known status and listed once", () => {
    for (const s of ORDER_STATUSES) {
      for (const to of TRANSITIONS[s]) expect(ORDER_STATUSES).toContain(to);
      expect(new Set(TRANSITIONS[s]).size).toBe(TRANSITIONS[s].length);
    }
  });

  test("every non-terminal status can still reach a terminal one", () => {
    const terminal = new Set<OrderStatus>(["refunded", "cancelled"]);
    for (const start of ORDER_STATUSES) {
      const seen = new Set<OrderStatus>([start]);
      const queue: OrderStatus[] = [start];
      for (let s = queue.shift(); s; s = queue.shift()) {
        for (const next of TRANSITIONS[s]) {
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      expect([...seen].some((s) => terminal.has(s)), `${start} reaches a terminal status`).toBe(true);
    }
  });
});

describe("canTransition", () => {
  test.each(PAIRS)("$from -> $to is allowed: $allowed", ({ from, to, allowed }) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  test("allows exactly the 13 pairs of the table out of 81", () => {
    expect(PAIRS.filter((p) => canTransition(p.from, p.to))).toHaveLength(13);
  });
});

describe("label", () => {
  test("spells a status the way a person reads it", () => {
    expect(label("awaiting_fulfillment")).toBe("awaiting fulfillment");
    expect(label("payment_processing")).toBe("payment processing");
    expect(label("paid")).toBe("paid");
  });
});

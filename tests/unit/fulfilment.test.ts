import { describe, expect, test } from "vitest";
import { ORDER_STATUSES, type OrderStatus, type ShipmentStatus } from "../../db/schema/orders.ts";
import { derivedFulfilment, fulfilmentPath, type FulfilmentLine, type FulfilmentShipment } from "../../lib/orders/fulfilment.ts";
import { canTransition } from "../../lib/orders/state-machine.ts";

/** Line 1: 3 kettles; line 2: 2 mugs. */
const LINES: FulfilmentLine[] = [
  { id: 1, qtyOrdered: 3, qtyCancelled: 0 },
  { id: 2, qtyOrdered: 2, qtyCancelled: 0 },
];

const ship = (status: ShipmentStatus, ...lines: [number, number][]): FulfilmentShipment => ({
  status,
  lines: lines.map(([orderLineId, qty]) => ({ orderLineId, qty })),
});

describe("derivedFulfilment", () => {
  test("nothing shipped yet: null, the order stays where it is", () => {
    expect(derivedFulfilment(LINES, [])).toBeNull();
    expect(derivedFulfilment(LINES, [ship("pending", [1, 3]), ship("picking", [2, 2])])).toBeNull();
    expect(derivedFulfilment(LINES, [ship("packed", [1, 3], [2, 2])])).toBeNull();
    expect(derivedFulfilment(LINES, [ship("cancelled", [1, 3], [2, 2])])).toBeNull();
  });

  test("some quantity shipped and some not: partially_fulfilled", () => {
    expect(derivedFulfilment(LINES, [ship("shipped", [1, 3]), ship("pending", [2, 2])])).toBe("partially_fulfilled");
    // Part of one line shipped.
    expect(derivedFulfilment(LINES, [ship("shipped", [1, 1], [2, 2]), ship("packed", [1, 2])])).toBe("partially_fulfilled");
    // A delivered shipment with another still open is still partial.
    expect(derivedFulfilment(LINES, [ship("delivered", [1, 3]), ship("picking", [2, 2])])).toBe("partially_fulfilled");
    // Units with no shipment at all (backordered) are not shipped.
    expect(derivedFulfilment(LINES, [ship("shipped", [1, 3], [2, 1])])).toBe("partially_fulfilled");
  });

  test("every non-cancelled unit shipped: fulfilled", () => {
    expect(derivedFulfilment(LINES, [ship("shipped", [1, 3], [2, 2])])).toBe("fulfilled");
    expect(derivedFulfilment(LINES, [ship("shipped", [1, 1]), ship("shipped", [1, 2], [2, 2])])).toBe("fulfilled");
    // One delivered, one only shipped.
    expect(derivedFulfilment(LINES, [ship("delivered", [1, 3]), ship("shipped", [2, 2])])).toBe("fulfilled");
  });

  test("every non-cancelled unit shipped and every shipment that left delivered: delivered", () => {
    expect(derivedFulfilment(LINES, [ship("delivered", [1, 3], [2, 2])])).toBe("delivered");
    expect(derivedFulfilment(LINES, [ship("delivered", [1, 3]), ship("delivered", [2, 2]), ship("cancelled", [2, 2])])).toBe("delivered");
  });

  test("cancelled units do not count: the rest shipped is fulfilled", () => {
    const cancelledMugs: FulfilmentLine[] = [LINES[0]!, { id: 2, qtyOrdered: 2, qtyCancelled: 2 }];
    expect(derivedFulfilment(cancelledMugs, [ship("shipped", [1, 3]), ship("cancelled", [2, 2])])).toBe("fulfilled");
    const oneKettleCancelled: FulfilmentLine[] = [{ id: 1, qtyOrdered: 3, qtyCancelled: 1 }, LINES[1]!];
    expect(derivedFulfilment(oneKettleCancelled, [ship("shipped", [1, 2], [2, 2])])).toBe("fulfilled");
    expect(derivedFulfilment(oneKettleCancelled, [ship("shipped", [1, 1], [2, 2])])).toBe("partially_fulfilled");
  });

  test("cancelled shipments never count as shipped", () => {
    expect(derivedFulfilment(LINES, [ship("shipped", [1, 3]), ship("cancelled", [2, 2])])).toBe("partially_fulfilled");
  });
});

describe("fulfilmentPath", () => {
  test("nothing to do when nothing shipped or the status already matches", () => {
    expect(fulfilmentPath("awaiting_fulfillment", null)).toEqual([]);
    expect(fulfilmentPath("partially_fulfilled", "partially_fulfilled")).toEqual([]);
    expect(fulfilmentPath("fulfilled", "fulfilled")).toEqual([]);
  });

  test("walks forward through the status machine", () => {
    expect(fulfilmentPath("awaiting_fulfillment", "partially_fulfilled")).toEqual(["partially_fulfilled"]);
    expect(fulfilmentPath("awaiting_fulfillment", "fulfilled")).toEqual(["fulfilled"]);
    expect(fulfilmentPath("awaiting_fulfillment", "delivered")).toEqual(["fulfilled", "delivered"]);
    expect(fulfilmentPath("partially_fulfilled", "fulfilled")).toEqual(["fulfilled"]);
    expect(fulfilmentPath("partially_fulfilled", "delivered")).toEqual(["fulfilled", "delivered"]);
    expect(fulfilmentPath("fulfilled", "delivered")).toEqual(["delivered"]);
  });

  test("never walks backwards or out of a status the fulfilment statuses do not lead from", () => {
    expect(fulfilmentPath("fulfilled", "partially_fulfilled")).toEqual([]);
    expect(fulfilmentPath("delivered", "fulfilled")).toEqual([]);
    for (const current of ["pending", "payment_processing", "paid", "refunded", "cancelled"] as const) {
      for (const target of ["partially_fulfilled", "fulfilled", "delivered"] as const) expect(fulfilmentPath(current, target)).toEqual([]);
    }
  });

  test("every step of every path is a transition TRANSITIONS allows", () => {
    const targets: (OrderStatus | null)[] = [null, "partially_fulfilled", "fulfilled", "delivered"];
    for (const current of ORDER_STATUSES) {
      for (const target of targets) {
        let at: OrderStatus = current;
        for (const step of fulfilmentPath(current, target)) {
          expect(canTransition(at, step), `${current} → ${target}: step ${at} → ${step}`).toBe(true);
          at = step;
        }
        // A path, when there is one, ends at the target.
        if (fulfilmentPath(current, target).length) expect(at).toBe(target);
      }
    }
  });
});

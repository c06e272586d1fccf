import { describe, expect, test } from "vitest";
import { orderCapabilities } from "../../lib/orders/capabilities.ts";

const detail = (shipComplete: boolean) => ({
  order: { status: "awaiting_fulfillment" as const, currency: "EUR", subtotal: 4_500, shipping: 500, tax: 0, total: 5_000, paid: 5_000, refunded: 0, shipComplete },
  lines: [{ id: 1, sku: "KETTLE-1", qtyOrdered: 3, qtyCancelled: 0, unitPrice: 1_500 }],
  shipments: [{ id: 7, status: "pending" as const, dropship: false, lines: [{ orderLineId: 1, qty: 3 }] }],
  backorders: [],
  refunds: [],
});

describe("order page capabilities", () => {
  test("a warehouse lead may not split or move a ship-complete order, and the page has the reason to show", () => {
    const caps = orderCapabilities(detail(true), { role: "warehouse_lead" });
    expect(caps.shipments[7]).toEqual({ next: "picking", split: false, backorder: true });
    expect(caps.splitRefusal).toBe("Ship-complete orders move whole.");
  });

  test("an ordinary order may be split, with nothing to explain", () => {
    const caps = orderCapabilities(detail(false), { role: "warehouse_lead" });
    expect(caps.shipments[7]).toMatchObject({ split: true });
    expect(caps.splitRefusal).toBeNull();
  });
});

type ShipmentStatus = "pending" | "picking" | "packed" | "shipped" | "delivered" | "cancelled";
const withShipments = (status: "awaiting_fulfillment" | "partially_fulfilled" | "delivered" | "cancelled", shipments: [number, ShipmentStatus, number][], extra: { paid?: number; refunded?: number; qtyCancelled?: number } = {}) => ({
  order: { status, currency: "EUR", subtotal: 4_500, shipping: 500, tax: 0, total: 5_000, paid: extra.paid ?? 5_000, refunded: extra.refunded ?? 0, shipComplete: false },
  lines: [
    { id: 1, sku: "KETTLE-1", qtyOrdered: 3, qtyCancelled: extra.qtyCancelled ?? 0, unitPrice: 1_000 },
    { id: 2, sku: "MUG-2", qtyOrdered: 1, qtyCancelled: 0, unitPrice: 1_500 },
  ],
  shipments: shipments.map(([id, st, line]) => ({ id, status: st, dropship: false, lines: [{ orderLineId: line, qty: line === 1 ? 3 : 1 }] })),
  backorders: [],
  refunds: [],
});

describe("order actions say why they are closed", () => {
  test("once picking has started the whole order cannot be cancelled, and the agent is told which shipment and what to do instead", () => {
    const caps = orderCapabilities(withShipments("awaiting_fulfillment", [[7, "picking", 1], [8, "pending", 2]]), { role: "agent" });
    expect(caps.cancelOrder).toBe(false);
    expect(caps.why.cancelOrder).toBe("Cannot cancel the whole order: the warehouse has started on it (shipment #7 is picking). Cancel the items still pending instead, or ask the warehouse to stop.");
    // The pending shipment's units can still go: the items action stays open and says nothing.
    expect(caps.cancelUnits).toBe(true);
    expect(caps.why.cancelUnits).toBeNull();
    expect(caps.cancellable).toEqual({ 1: 0, 2: 1 });
    expect(caps.lineWhy).toEqual({ 1: "picking started", 2: null });
  });

  test("when every unit is with the warehouse, cancelling items is closed with the reason", () => {
    const caps = orderCapabilities(withShipments("awaiting_fulfillment", [[7, "packed", 1], [8, "picking", 2]]), { role: "agent" });
    expect(caps.cancelUnits).toBe(false);
    expect(caps.why.cancelUnits).toBe("No units are still pending: the warehouse has started on it (shipment #7 is packed).");
  });

  test("a partly shipped order: cancel the rest by items, not the order", () => {
    const caps = orderCapabilities(withShipments("partially_fulfilled", [[7, "shipped", 1], [8, "pending", 2]]), { role: "agent" });
    expect(caps.why.cancelOrder).toBe("Part of the order has shipped: cancel the items still pending instead.");
    expect(caps.lineWhy[1]).toBe("already shipped");
    expect(caps.cancelUnits).toBe(true);
  });

  test("a delivered order cannot be cancelled at all; a cancelled one says so; a fully refunded one has nothing to refund", () => {
    const delivered = orderCapabilities(withShipments("delivered", [[7, "delivered", 1], [8, "delivered", 2]]), { role: "agent" });
    expect(delivered.why).toMatchObject({
      cancelOrder: "The order has shipped: shipped units are refunded or returned, not cancelled.",
      cancelUnits: "The order has shipped: shipped units are refunded or returned, not cancelled.",
      refund: null,
    });
    const cancelled = orderCapabilities(withShipments("cancelled", [[7, "cancelled", 1]], { refunded: 5_000, qtyCancelled: 3 }), { role: "agent" });
    expect(cancelled.why).toEqual({ cancelOrder: "The order is already cancelled.", cancelUnits: "The order is already cancelled.", refund: "Everything paid has been refunded." });
    expect(cancelled.refund).toBe(false);
  });

  test("a role that may not take an action gets no reason, so the page shows no button for it", () => {
    const caps = orderCapabilities(withShipments("awaiting_fulfillment", [[7, "picking", 1]]), { role: "warehouse_lead" });
    expect(caps.why).toEqual({ cancelOrder: null, cancelUnits: null, refund: null });
    expect(caps.cancelOrder || caps.cancelUnits || caps.refund).toBe(false);
  });

  test("an open action has no reason and is offered", () => {
    const caps = orderCapabilities(withShipments("awaiting_fulfillment", [[7, "pending", 1], [8, "pending", 2]]), { role: "agent" });
    expect(caps).toMatchObject({ cancelOrder: true, cancelUnits: true, refund: true, why: { cancelOrder: null, cancelUnits: null, refund: null } });
  });
});

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

import { describe, expect, test } from "vitest";
import { afterCancellation, cancellationAmount, refundForLines, refundable, type OrderMoney } from "../../lib/orders/money.ts";

/** An order of 2 × 30.00 + 1 × 40.00, 5.00 shipping, 20% tax on goods and shipping: 105.00 + 21.00 = 126.00, paid in full. */
const PAID: OrderMoney = { subtotal: 10_000, shipping: 500, tax: 2_100, total: 12_600, paid: 12_600, refunded: 0 };

describe("refundable", () => {
  test("is what was paid minus what was refunded", () => {
    expect(refundable({ paid: 12_600, refunded: 0 })).toBe(12_600);
    expect(refundable({ paid: 12_600, refunded: 2_600 })).toBe(10_000);
  });

  test("refunds waiting for approval count against it, so two requests never exceed what was paid", () => {
    expect(refundable({ paid: 12_600, refunded: 2_600 }, 4_000)).toBe(6_000);
    expect(refundable({ paid: 12_600, refunded: 2_600 }, 10_000)).toBe(0);
  });

  test("is never negative, and an unpaid order has nothing refundable", () => {
    expect(refundable({ paid: 12_600, refunded: 12_600 }, 500)).toBe(0);
    expect(refundable({ paid: 0, refunded: 0 })).toBe(0);
  });
});

describe("cancellationAmount", () => {
  test("cancelling some units takes their price plus their share of tax, and no shipping", () => {
    // 30.00 of 105.00 taxable base carries 30/105 of 21.00 = 6.00 tax.
    expect(cancellationAmount(PAID, [{ unitPrice: 3_000, qty: 1 }], false)).toEqual({ items: 3_000, shipping: 0, tax: 600, total: 3_600 });
    expect(cancellationAmount(PAID, [{ unitPrice: 3_000, qty: 2 }, { unitPrice: 4_000, qty: 1 }], false)).toEqual({
      items: 10_000,
      shipping: 0,
      tax: 2_000,
      total: 12_000,
    });
  });

  test("the tax share is rounded to whole minor units", () => {
    const order = { subtotal: 1_000, shipping: 0, tax: 100 };
    // 333 of 1,000 carries 33.3 → 33.
    expect(cancellationAmount(order, [{ unitPrice: 333, qty: 1 }], false)).toEqual({ items: 333, shipping: 0, tax: 33, total: 366 });
    // 335 of 1,000 carries 33.5 → 34.
    expect(cancellationAmount(order, [{ unitPrice: 335, qty: 1 }], false).tax).toBe(34);
  });

  test("the tax share never exceeds the order's tax", () => {
    expect(cancellationAmount({ subtotal: 1_000, shipping: 0, tax: 100 }, [{ unitPrice: 2_000, qty: 1 }], false).tax).toBe(100);
  });

  test("cancelling everything takes off the whole subtotal, shipping and all tax", () => {
    expect(cancellationAmount(PAID, [{ unitPrice: 3_000, qty: 2 }, { unitPrice: 4_000, qty: 1 }], true)).toEqual({
      items: 10_000,
      shipping: 500,
      tax: 2_100,
      total: 12_600,
    });
  });

  test("an order with no taxable base gets no tax share", () => {
    expect(cancellationAmount({ subtotal: 0, shipping: 0, tax: 0 }, [{ unitPrice: 0, qty: 3 }], false)).toEqual({ items: 0, shipping: 0, tax: 0, total: 0 });
  });
});

describe("afterCancellation", () => {
  test("a paid order's totals shrink by the cut and the cut is refunded", () => {
    const cut = cancellationAmount(PAID, [{ unitPrice: 3_000, qty: 1 }], false);
    expect(afterCancellation(PAID, cut)).toEqual({ totals: { subtotal: 7_000, shipping: 500, tax: 1_500, total: 9_000 }, refund: 3_600 });
  });

  test("cancelling everything of a paid order brings its totals to zero and refunds all that was paid", () => {
    const cut = cancellationAmount(PAID, [{ unitPrice: 3_000, qty: 2 }, { unitPrice: 4_000, qty: 1 }], true);
    expect(afterCancellation(PAID, cut)).toEqual({ totals: { subtotal: 0, shipping: 0, tax: 0, total: 0 }, refund: 12_600 });
  });

  test("an unpaid order just costs less: nothing is refunded", () => {
    const unpaid = { ...PAID, paid: 0 };
    const cut = cancellationAmount(unpaid, [{ unitPrice: 3_000, qty: 1 }], false);
    expect(afterCancellation(unpaid, cut)).toEqual({ totals: { subtotal: 7_000, shipping: 500, tax: 1_500, total: 9_000 }, refund: 0 });
    const all = cancellationAmount(unpaid, [{ unitPrice: 3_000, qty: 2 }, { unitPrice: 4_000, qty: 1 }], true);
    expect(afterCancellation(unpaid, all).refund).toBe(0);
  });

  test("the refund is capped at what is still refundable after earlier refunds", () => {
    // 120.00 of 126.00 was already refunded as goodwill: cancelling 36.00 of goods gives back only the 6.00 left.
    const order = { ...PAID, refunded: 12_000 };
    const cut = cancellationAmount(order, [{ unitPrice: 3_000, qty: 1 }], false);
    expect(afterCancellation(order, cut).refund).toBe(600);
  });

  test("a refund already given for other units does not eat into this cancellation's refund", () => {
    // The 40.00 unit was returned and refunded by lines (48.00); cancelling a 30.00 unit still pending gives back its 36.00.
    const order = { ...PAID, refunded: 4_800 };
    const cut = cancellationAmount(order, [{ unitPrice: 3_000, qty: 1 }], false);
    expect(afterCancellation(order, cut)).toEqual({ totals: { subtotal: 7_000, shipping: 500, tax: 1_500, total: 9_000 }, refund: 3_600 });
  });

  test("refunds waiting for approval count against the cap", () => {
    const cut = cancellationAmount(PAID, [{ unitPrice: 3_000, qty: 2 }, { unitPrice: 4_000, qty: 1 }], true);
    expect(afterCancellation(PAID, cut, 10_000).refund).toBe(2_600);
    expect(afterCancellation(PAID, cut, 12_600).refund).toBe(0);
  });

  test("only money paid beyond the new total comes back (an order paid in part)", () => {
    // 100.00 of 126.00 paid; cancelling 36.00 leaves a 90.00 total, so 10.00 is over-paid and refunded.
    const order = { ...PAID, paid: 10_000 };
    const cut = cancellationAmount(order, [{ unitPrice: 3_000, qty: 1 }], false);
    expect(afterCancellation(order, cut).refund).toBe(1_000);
  });
});

describe("refundForLines", () => {
  test("is the units' price plus their tax share, without shipping", () => {
    expect(refundForLines(PAID, [{ unitPrice: 4_000, qty: 1 }])).toBe(4_800);
    expect(refundForLines(PAID, [{ unitPrice: 3_000, qty: 2 }, { unitPrice: 4_000, qty: 1 }])).toBe(12_000);
  });
});

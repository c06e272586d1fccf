import { describe, expect, test } from "vitest";
import { fromParam, listQuery, ordersListHref, withFrom } from "../../lib/orders/list-link.ts";

describe("the way back to the orders list", () => {
  test("an order opened from a search links back to the same search and status chip", () => {
    const from = listQuery({ q: " garsia jacket ", status: "paid" });
    expect(from).toBe("q=garsia+jacket&status=paid");
    const orderHref = withFrom("/orders/SY-100001", from);
    expect(orderHref).toBe("/orders/SY-100001?from=q%3Dgarsia%2Bjacket%26status%3Dpaid");
    const carried = new URL(orderHref, "http://x").searchParams.get("from")!;
    expect(ordersListHref(carried)).toBe("/orders?q=garsia+jacket&status=paid");
  });

  test("only the search and a known status survive: anything else in `from` is dropped, never followed", () => {
    expect(ordersListHref("q=x&status=nonsense&after=1.2&next=//evil.example")).toBe("/orders?q=x");
    expect(ordersListHref("//evil.example")).toBe("/orders");
    expect(ordersListHref(undefined)).toBe("/orders");
    expect(ordersListHref(["q=a", "q=b"])).toBe("/orders");
    expect(fromParam("status=delivered")).toBe("status=delivered");
    expect(withFrom("/customers/3", "")).toBe("/customers/3");
  });
});

import { describe, expect, test } from "vitest";
import { dueAt, isOverdue } from "../../lib/orders/ship-by.ts";
import { dueWindow, queueHref, readQueueFilters } from "../../lib/shipments/queue.ts";
import { alertScopeFor } from "../../lib/alerts/scope.ts";
import { trackingUrl } from "../../lib/orders/tracking.ts";

const DAY = 86_400_000;
// Wednesday 2026-11-25 15:30 UTC
const wed = Date.UTC(2026, 10, 25, 15, 30);

describe("a shipment is due by its ship-by, or by the earlier promise it kept through a move", () => {
  test("never moved: its ship-by", () => {
    expect(dueAt({ shipBy: 100, promisedShipBy: null })).toBe(100);
  });
  test("moved later than promised: the promise", () => {
    expect(dueAt({ shipBy: 500, promisedShipBy: 100 })).toBe(100);
    expect(isOverdue({ status: "pending", shipBy: 500, promisedShipBy: 100 }, 200)).toBe(true);
  });
  test("moved earlier than promised: the new ship-by", () => {
    expect(dueAt({ shipBy: 100, promisedShipBy: 500 })).toBe(100);
  });
  test("a shipment that left or was cancelled is never overdue", () => {
    for (const status of ["shipped", "delivered", "cancelled"]) expect(isOverdue({ status, shipBy: 1, promisedShipBy: null }, 10)).toBe(false);
    for (const status of ["pending", "picking", "packed"]) expect(isOverdue({ status, shipBy: 1, promisedShipBy: null }, 10)).toBe(true);
  });
});

describe("the queue's ship-by windows are UTC days", () => {
  const today = Date.UTC(2026, 10, 25);
  test("today, tomorrow, and this week through Sunday", () => {
    expect(dueWindow("today", wed)).toEqual({ from: today, to: today + DAY });
    expect(dueWindow("tomorrow", wed)).toEqual({ from: today + DAY, to: today + 2 * DAY });
    expect(dueWindow("week", wed)).toEqual({ from: today, to: Date.UTC(2026, 10, 30) });
    expect(dueWindow("overdue", wed)).toBeNull();
    expect(dueWindow(null, wed)).toBeNull();
  });
  test("on a Sunday this week ends at midnight", () => {
    const sunday = Date.UTC(2026, 10, 29, 9);
    expect(dueWindow("week", sunday)).toEqual({ from: Date.UTC(2026, 10, 29), to: Date.UTC(2026, 10, 30) });
  });
});

describe("queue filters in the URL", () => {
  test("no location in the URL applies the saved one; location=all overrides it", () => {
    expect(readQueueFilters({}, 3)).toEqual({ locationId: 3, status: null, due: null, after: null });
    expect(readQueueFilters({ location: "all" }, 3).locationId).toBeNull();
    expect(readQueueFilters({ location: "5", status: "packed", due: "today", after: "1700000000000.42" }, 3)).toEqual({
      locationId: 5,
      status: "packed",
      due: "today",
      after: { shipBy: 1_700_000_000_000, id: 42 },
    });
  });
  test("unknown values are ignored, not trusted", () => {
    expect(readQueueFilters({ status: "shipped", due: "yesterday", after: "x", location: "1;DROP" }, null)).toEqual({ locationId: null, status: null, due: null, after: null });
  });
  test("a link keeps the location explicit and round-trips", () => {
    const href = queueHref({ locationId: 2, status: "pending", due: "overdue", after: null });
    expect(href).toBe("/shipments?location=2&status=pending&due=overdue");
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(readQueueFilters(params, 9)).toEqual({ locationId: 2, status: "pending", due: "overdue", after: null });
    expect(queueHref({ locationId: null })).toBe("/shipments?location=all");
  });
});

describe("alert scope", () => {
  test("managers and admins see every alert; a lead sees their location's shipment alerts", () => {
    expect(alertScopeFor({ role: "manager" }, 4)).toEqual({ shipmentsOnly: false, locationId: null });
    expect(alertScopeFor({ role: "admin" }, null)).toEqual({ shipmentsOnly: false, locationId: null });
    expect(alertScopeFor({ role: "warehouse_lead" }, 4)).toEqual({ shipmentsOnly: true, locationId: 4 });
    expect(alertScopeFor({ role: "warehouse_lead" }, null)).toEqual({ shipmentsOnly: true, locationId: null });
  });
});

describe("carrier tracking links", () => {
  test("known carriers link to their tracking page with the number encoded; others show the number only", () => {
    expect(trackingUrl("UPS", "1Z999AA10123456784")).toBe("https://www.ups.com/track?tracknum=1Z999AA10123456784");
    expect(trackingUrl("dhl", "JD0146")).toContain("tracking-id=JD0146");
    expect(trackingUrl("Royal Mail", "AB 12")).toContain("AB%2012");
    expect(trackingUrl("Pigeon Post", "X123456")).toBeNull();
    expect(trackingUrl(null, "X123456")).toBeNull();
  });
});

import { describe, expect, test } from "vitest";
import { decodeRefundCursor, encodeRefundCursor, parseRefundFilters, refundQuery } from "../../lib/refunds/filters.ts";
import { refundWhere } from "../../db/queries/refund-filters.ts";
import { csvField, csvLine } from "../../lib/refunds/csv.ts";

describe("refund filters in the URL", () => {
  test("reads every filter, amounts to minor units, order numbers upper-cased", () => {
    const { filters, errors } = parseRefundFilters(new URLSearchParams("from=2026-10-01&to=2026-10-31&status=succeeded&min=10.5&max=200&requestedBy=3&decidedBy=4&order=sy-1001"));
    expect(errors).toEqual({});
    expect(filters).toEqual({ from: "2026-10-01", to: "2026-10-31", status: "succeeded", min: 1050, max: 20000, requestedBy: 3, decidedBy: 4, order: "SY-1001" });
  });

  test("empty values are no filter; unreadable ones are dropped and reported", () => {
    const { filters, errors } = parseRefundFilters({ from: "", status: "bogus", min: "ten", to: "2026-02-30x", order: "   " });
    expect(filters).toEqual({});
    expect(Object.keys(errors).sort()).toEqual(["min", "status", "to"]);
  });

  test("a query string round-trips through refundQuery", () => {
    const { filters } = parseRefundFilters(new URLSearchParams("from=2026-10-01&min=10.50&order=SY-1"));
    expect(refundQuery(filters, { after: "1.2" })).toBe("from=2026-10-01&min=10.50&order=SY-1&after=1.2");
    expect(parseRefundFilters(new URLSearchParams(refundQuery(filters))).filters).toEqual(filters);
  });

  test("dates are whole UTC days, the end day included; order numbers match as a prefix with LIKE wildcards escaped", () => {
    const w = refundWhere({ from: "2026-10-01", to: "2026-10-01", order: "SY_1%" });
    expect(w.sql).toBe("WHERE r.created_at >= ? AND r.created_at < ? AND o.number LIKE ? ESCAPE '\\'");
    expect(w.params).toEqual([Date.UTC(2026, 9, 1), Date.UTC(2026, 9, 2), "SY\\_1\\%%"]);
    expect(refundWhere({})).toEqual({ sql: "", params: [] });
  });

  test("cursors encode and decode, and garbage decodes to null", () => {
    expect(decodeRefundCursor(encodeRefundCursor({ createdAt: 1_790_000_000_000, id: 42 }))).toEqual({ createdAt: 1_790_000_000_000, id: 42 });
    expect(decodeRefundCursor("1;DROP")).toBeNull();
    expect(decodeRefundCursor(undefined)).toBeNull();
  });
});

describe("CSV", () => {
  test("quotes fields with commas, quotes and line breaks; neutralises formulas", () => {
    expect(csvField('Damaged, "badly"')).toBe('"Damaged, ""badly"""');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvField("@cmd")).toBe("'@cmd");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(null)).toBe("");
    expect(csvLine(["x", 1, null])).toBe("x,1,\r\n");
  });
});

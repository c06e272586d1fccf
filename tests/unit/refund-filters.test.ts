import { describe, expect, test } from "vitest";
import { decodeRefundCursor, describeFilters, encodeRefundCursor, exportFileName, parseRefundFilters, refundExportQuery, refundQuery } from "../../lib/refunds/filters.ts";
import { refundWhere } from "../../db/queries/refund-filters.ts";
import { csvField, csvLine } from "../../lib/refunds/csv.ts";

describe("refund filters in the URL", () => {
  test("reads every filter, amounts to minor units in the chosen currency, order numbers upper-cased", () => {
    const { query, filters, errors } = parseRefundFilters(
      new URLSearchParams("from=2026-10-01&to=31/10/2026&tz=Europe/Madrid&status=succeeded&currency=gbp&min=10,5&max=200&requestedBy=3&decidedBy=4&order=sy-1001"),
    );
    expect(errors).toEqual({});
    expect(query).toEqual({ period: "custom", from: "2026-10-01", to: "2026-10-31", tz: "Europe/Madrid", status: "succeeded", currency: "GBP", min: 1050, max: 20000, requestedBy: 3, decidedBy: 4, order: "SY-1001" });
    // Madrid is UTC+2 on 1 Oct and UTC+1 after the clocks go back on 25 Oct.
    expect(filters).toEqual({ createdFrom: Date.UTC(2026, 8, 30, 22), createdTo: Date.UTC(2026, 9, 31, 23), status: "succeeded", currency: "GBP", min: 1050, max: 20000, requestedBy: 3, decidedBy: 4, order: "SY-1001" });
  });

  test("empty values are no filter; every unreadable one is reported, a typed date included", () => {
    const { filters, errors } = parseRefundFilters({ from: "", status: "bogus", min: "ten", to: "2026-02-30", order: "   ", currency: "XYZ", tz: "Mars/Olympus" });
    expect(filters).toEqual({});
    expect(Object.keys(errors).sort()).toEqual(["currency", "min", "status", "to", "tz"]);
    expect(errors.to).toMatch(/"2026-02-30" is not a date/);
    expect(parseRefundFilters({ from: "31/02/2026" }).errors.from).toBeDefined();
    expect(parseRefundFilters({ from: "2026-10-05", to: "2026-10-01" }).errors.to).toBe("The end date is before the start date.");
  });

  test("a query string round-trips through refundQuery", () => {
    const { query } = parseRefundFilters(new URLSearchParams("from=2026-10-01&min=10.50&order=SY-1&tz=Europe/London"));
    expect(refundQuery(query, { after: "1.2" })).toBe("period=custom&from=2026-10-01&tz=Europe%2FLondon&min=10.50&order=SY-1&after=1.2");
    expect(parseRefundFilters(new URLSearchParams(refundQuery(query))).query).toEqual(query);
  });

  test("order numbers match as a prefix with LIKE wildcards escaped (and as the same prefix's index range); instants are half-open", () => {
    const w = refundWhere({ createdFrom: 1, createdTo: 2, currency: "EUR", order: "SY_1%" });
    expect(w.sql).toBe("WHERE r.created_at >= ? AND r.created_at < ? AND r.currency = ? AND o.number LIKE ? ESCAPE '\\' AND o.number >= ? AND o.number < ?");
    expect(w.params).toEqual([1, 2, "EUR", "SY\\_1\\%%", "SY_1%", "SY_1%\uffff"]);
    expect(refundWhere({})).toEqual({ sql: "", params: [] });
  });

  test("cursors encode and decode, and garbage decodes to null", () => {
    expect(decodeRefundCursor(encodeRefundCursor({ createdAt: 1_790_000_000_000, id: 42 }))).toEqual({ createdAt: 1_790_000_000_000, id: 42 });
    expect(decodeRefundCursor("1;DROP")).toBeNull();
    expect(decodeRefundCursor(undefined)).toBeNull();
  });
});

describe("periods in the viewer's zone", () => {
  // Sunday 1 Nov 2026, 00:30 in Madrid (23:30 UTC on 31 Oct): already November there, still October in UTC.
  const now = Date.UTC(2026, 9, 31, 23, 30);

  test("last month in Madrid is 1–31 Oct local time, across the clocks going back on 25 Oct", () => {
    const p = parseRefundFilters({ period: "last_month", tz: "Europe/Madrid" }, { now });
    expect(p.filters).toEqual({ createdFrom: Date.UTC(2026, 8, 30, 22), createdTo: Date.UTC(2026, 9, 31, 23) });
    expect(p.range?.label).toBe("1–31 Oct 2026 (Europe/Madrid)");
    // The same instant in UTC is still October: its last month is September.
    expect(parseRefundFilters({ period: "last_month", tz: "UTC" }, { now }).range?.label).toBe("1–30 Sept 2026 (UTC)");
    // The range is 31 days and one hour long: the day the clocks went back had 25 hours.
    expect(p.filters.createdTo! - p.filters.createdFrom!).toBe(31 * 86_400_000 + 3_600_000);
  });

  test("today, this week (Monday to Sunday), last week and this month", () => {
    const r = (period: string) => parseRefundFilters({ period, tz: "Europe/Madrid" }, { now }).range?.label;
    expect(r("today")).toBe("1 Nov 2026 (Europe/Madrid)");
    expect(r("this_week")).toBe("26 Oct – 1 Nov 2026 (Europe/Madrid)");
    expect(r("last_week")).toBe("19–25 Oct 2026 (Europe/Madrid)");
    expect(r("this_month")).toBe("1–30 Nov 2026 (Europe/Madrid)");
  });

  test("spring forward: 29 Mar 2026 in Madrid is 23 hours long", () => {
    const { filters } = parseRefundFilters({ from: "2026-03-29", to: "2026-03-29", tz: "Europe/Madrid" });
    expect(filters).toEqual({ createdFrom: Date.UTC(2026, 2, 28, 23), createdTo: Date.UTC(2026, 2, 29, 22) });
  });

  test("a zone east of UTC by more than half a day and one west of it", () => {
    expect(parseRefundFilters({ from: "2026-10-01", to: "2026-10-01", tz: "Pacific/Auckland" }).filters).toEqual({ createdFrom: Date.UTC(2026, 8, 30, 11), createdTo: Date.UTC(2026, 9, 1, 11) });
    expect(parseRefundFilters({ from: "2026-10-01", to: "2026-10-01", tz: "America/New_York" }).filters).toEqual({ createdFrom: Date.UTC(2026, 9, 1, 4), createdTo: Date.UTC(2026, 9, 2, 4) });
  });

  test("a preset wins over leftover typed days; the export pins it to the days shown; the file name carries the range", () => {
    const p = parseRefundFilters({ period: "last_month", from: "garbage", tz: "Europe/Madrid", currency: "EUR", min: "100" }, { now });
    expect(p.errors).toEqual({});
    expect(refundExportQuery(p)).toBe("period=custom&from=2026-10-01&to=2026-10-31&tz=Europe%2FMadrid&currency=EUR&min=100.00");
    expect(exportFileName(p, "2026-11-01")).toBe("refunds_2026-10-01_to_2026-10-31_EUR.csv");
    expect(describeFilters(p)).toEqual(["EUR", "€100.00 or more", "last month, 1–31 Oct 2026 (Europe/Madrid)"]);
    expect(exportFileName(parseRefundFilters({}), "2026-11-01")).toBe("refunds_all-dates_to_2026-11-01.csv");
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

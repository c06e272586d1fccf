import { describe, expect, test } from "vitest";
import { changeOf, dayBuckets, parseMetricsPeriod } from "../../lib/metrics/range.ts";

// Wednesday 25 Nov 2026, 12:00 UTC.
const now = Date.UTC(2026, 10, 25, 12);

describe("the metrics range", () => {
  test("defaults to this week (Monday to Sunday in the viewer's zone) compared with last week", () => {
    const r = parseMetricsPeriod({}, { now, defaultTz: "Europe/Madrid" });
    expect(r.period).toBe("this_week");
    expect(r.label).toBe("23–29 Nov 2026 (Europe/Madrid)");
    expect(r.previousLabel).toBe("16–22 Nov 2026 (Europe/Madrid)");
    expect(r.current.from).toBe(Date.UTC(2026, 10, 22, 23));
    expect(r.previous.to).toBe(r.current.from);
  });

  test("a month is compared with the whole month before it; custom days with the same number of days before them", () => {
    expect(parseMetricsPeriod({ period: "last_month", tz: "UTC" }, { now }).previousLabel).toBe("1–30 Sept 2026 (UTC)");
    expect(parseMetricsPeriod({ period: "this_month", tz: "UTC" }, { now }).previousLabel).toBe("1–31 Oct 2026 (UTC)");
    const custom = parseMetricsPeriod({ period: "custom", from: "2026-10-19", to: "25/10/2026", tz: "Europe/Madrid" }, { now });
    expect([custom.label, custom.previousLabel]).toEqual(["19–25 Oct 2026 (Europe/Madrid)", "12–18 Oct 2026 (Europe/Madrid)"]);
  });

  test("an unreadable custom range says so and shows this week", () => {
    const r = parseMetricsPeriod({ period: "custom", from: "31/02/2026", to: "2026-03-05" }, { now });
    expect(r.period).toBe("this_week");
    expect(r.error).toMatch(/showing this week/);
    expect(parseMetricsPeriod({ period: "custom", from: "2026-03-05", to: "2026-03-01" }, { now }).error).toMatch(/before the start/);
  });

  test("every day of the range has its own bucket, the day the clocks go back 25 hours long", () => {
    const r = parseMetricsPeriod({ period: "custom", from: "2026-10-24", to: "2026-10-26", tz: "Europe/Madrid" }, { now });
    const days = dayBuckets(r.current);
    expect(days.map((d) => d.day)).toEqual(["2026-10-24", "2026-10-25", "2026-10-26"]);
    expect(days.map((d) => (d.to - d.from) / 3_600_000)).toEqual([24, 25, 24]);
    expect(days[0]!.label).toBe("Sat 24");
    for (let i = 1; i < days.length; i++) expect(days[i]!.from).toBe(days[i - 1]!.to);
  });

  test("changes: relative % for counts, points for rates, nothing to compare said so", () => {
    expect(changeOf(120, 100, "relative")).toEqual({ direction: "up", text: "▲ +20.0 %" });
    expect(changeOf(75, 100, "relative")).toEqual({ direction: "down", text: "▼ −25.0 %" });
    expect(changeOf(0.03, 0.02, "points")).toEqual({ direction: "up", text: "▲ +1.0 pt" });
    expect(changeOf(5, 0, "relative")).toEqual({ direction: "new", text: "none before" });
    expect(changeOf(null, 3, "relative")).toEqual({ direction: "new", text: "no comparison" });
    expect(changeOf(0, 0, "relative")).toEqual({ direction: "same", text: "no change" });
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { splitByHour, sumByKey } from "../../db/queries/hours";

const H = 3_600_000;

describe("a range read from hourly rollups (splitByHour)", () => {
  it("a day in a whole-hour zone is whole hours, no edges", () => {
    const from = Date.UTC(2026, 10, 29, 23); // 30 Nov 00:00 in Madrid
    expect(splitByHour({ from, to: from + 24 * H })).toEqual({ hours: { from: from / H, to: from / H + 24 }, edges: [] });
  });

  it("a day in a :30 zone reads a partial hour at each end", () => {
    const from = Date.UTC(2026, 10, 29, 18, 30); // 30 Nov 00:00 in Kolkata
    const to = from + 24 * H;
    expect(splitByHour({ from, to })).toEqual({
      hours: { from: Math.ceil(from / H), to: Math.floor(to / H) },
      edges: [
        { from, to: Math.ceil(from / H) * H },
        { from: Math.floor(to / H) * H, to },
      ],
    });
  });

  it("a range inside one hour is one edge; an empty or backwards range reads nothing", () => {
    const at = Date.UTC(2026, 10, 30, 9, 10);
    expect(splitByHour({ from: at, to: at + 20 * 60_000 })).toEqual({ hours: null, edges: [{ from: at, to: at + 20 * 60_000 }] });
    expect(splitByHour({ from: at, to: at })).toEqual({ hours: null, edges: [] });
    expect(splitByHour({ from: at, to: at - 1 })).toEqual({ hours: null, edges: [] });
  });

  it("whole hours and edges cover the range exactly once, with no overlap, and the base table is read for under two hours", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000_000 }), fc.integer({ min: 1, max: 40 * H }), (from, length) => {
        const to = from + length;
        const { hours, edges } = splitByHour({ from, to });
        const pieces = [...(hours ? [{ from: hours.from * H, to: hours.to * H }] : []), ...edges].sort((a, b) => a.from - b.from);
        expect(pieces[0]!.from).toBe(from);
        expect(pieces.at(-1)!.to).toBe(to);
        for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.from).toBe(pieces[i - 1]!.to);
        // The base table is read for less than two hours whatever the range; the rest comes from the rollup.
        expect(edges.reduce((t, e) => t + (e.to - e.from), 0)).toBeLessThan(2 * H);
        expect(edges.length).toBeLessThanOrEqual(hours ? 2 : 1);
      }),
    );
  });
});

describe("rows of both reads added up (sumByKey)", () => {
  it("adds every other column of rows with the same key, in order of first appearance", () => {
    expect(sumByKey([{ k: "EUR", n: 2, total: 100 }, { k: "GBP", n: 1, total: 5 }, { k: "EUR", n: 1, total: 50 }], "k")).toEqual([
      { k: "EUR", n: 3, total: 150 },
      { k: "GBP", n: 1, total: 5 },
    ]);
  });

  it("does not change the rows it was given", () => {
    const rows = [{ k: 1, n: 1 }, { k: 1, n: 2 }];
    sumByKey(rows, "k");
    expect(rows).toEqual([{ k: 1, n: 1 }, { k: 1, n: 2 }]);
  });
});

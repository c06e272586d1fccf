import { describe, expect, test } from "vitest";
import { distanceKm } from "../../lib/geo.ts";
import { planRouting } from "../../lib/routing/plan.ts";
import type { PlanLocation, PlanOrder, RoutingSnapshot } from "../../lib/routing/types.ts";
import {
  ALL_LOCATIONS,
  BLENDER,
  DAY,
  DS_NORD,
  DS_SUD,
  GRINDER,
  HOUR,
  KETTLE,
  LEJ,
  LYS,
  MAN,
  MUG,
  NOW,
  PLACES,
  RTM,
  TOASTER,
  candidate,
  line,
  order,
  quantities,
  shippedByLine,
  snapshot,
  summary,
} from "../support/routing-fixtures.ts";

const settings = { now: NOW };
const plan = (o: PlanOrder, s: RoutingSnapshot) => planRouting(o, s, settings);

describe("rule 1: candidates are every location, each with a verdict and its reasons", () => {
  const s = snapshot(
    [
      [RTM, [[KETTLE, 1]]],
      [LEJ, [[KETTLE, 5]]],
      [LYS, [[KETTLE, 9]]],
    ],
    [[DS_NORD, [[KETTLE, 3]]]],
    [RTM, LEJ, LYS, { ...MAN, active: false }, DS_NORD, DS_SUD],
  );
  const p = plan(order(PLACES.munich, [line(1, KETTLE, 4)]), s);

  test("lists every location once, nearest first, with its distance and priority", () => {
    expect(p.candidates.map((c) => c.code)).toEqual(["DS-SUD", "LEJ", "LYS", "DS-NORD", "RTM", "MAN-3PL"]);
    for (const c of p.candidates) {
      const loc = ALL_LOCATIONS.find((l) => l.id === c.locationId)!;
      expect(c.distanceKm).toBe(distanceKm(loc, PLACES.munich));
      expect(c.priority).toBe(loc.priority);
      expect(c.kind).toBe(loc.kind);
      expect(c.reasons.length).toBeGreaterThan(0);
    }
  });

  test("only the location that ships is chosen; the rest are rejected", () => {
    expect(p.candidates.filter((c) => c.verdict === "chosen").map((c) => c.code)).toEqual(["LEJ"]);
    expect(summary(p)).toEqual(["LEJ: 4 × KTL-100"]);
  });

  test("a location short of stock is rejected for insufficient stock, naming the SKU", () => {
    const rtm = candidate(p, RTM);
    expect(rtm.verdict).toBe("rejected");
    expect(rtm.reasons.join(" ")).toMatch(/insufficient stock/);
    expect(rtm.reasons.join(" ")).toContain("KTL-100 needs 4, has 1");
  });

  test("an able but farther location is rejected as farther", () => {
    expect(candidate(p, LYS).verdict).toBe("rejected");
    expect(candidate(p, LYS).reasons.join(" ")).toMatch(/farther/);
  });

  test("an inactive location is rejected as inactive", () => {
    expect(candidate(p, MAN).verdict).toBe("rejected");
    expect(candidate(p, MAN).reasons).toEqual(["inactive"]);
  });

  test("dropship suppliers are listed and rejected when stock covers the order", () => {
    expect(candidate(p, DS_NORD).verdict).toBe("rejected");
    expect(candidate(p, DS_SUD).verdict).toBe("rejected");
  });

  test("the plan explains itself in at least one sentence", () => {
    expect(p.explanation.length).toBeGreaterThan(0);
    expect(p.explanation.join(" ")).toContain("LEJ");
  });
});

describe("rule 2: one location ships the whole order when one can, the cheapest of those", () => {
  const everywhere = snapshot([
    [RTM, [[KETTLE, 10], [TOASTER, 10]]],
    [LEJ, [[KETTLE, 10], [TOASTER, 10]]],
    [LYS, [[KETTLE, 10], [TOASTER, 10]]],
    [MAN, [[KETTLE, 10], [TOASTER, 10]]],
  ]);
  const twoLines = (to: { lat: number; lng: number }) => order(to, [line(1, KETTLE, 2), line(2, TOASTER, 1)]);

  test.each([
    ["Amsterdam", PLACES.amsterdam, "RTM"],
    ["Munich", PLACES.munich, "LEJ"],
    ["Paris", PLACES.paris, "RTM"],
  ])("an order to %s ships whole from the nearest location (%s)", (_city, to, code) => {
    const p = plan(twoLines(to), everywhere);
    expect(p.outcome).toBe("single");
    expect(p.split).toBe(false);
    expect(summary(p)).toEqual([`${code}: 2 × KTL-100, 1 × TST-200`]);
    expect(p.backorders).toEqual([]);
    expect(p.hold).toBeNull();
  });

  test("a nearer location that lacks one SKU loses to a farther one that holds everything", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 10]]],
      [LEJ, [[KETTLE, 1], [TOASTER, 5]]],
      [LYS, [[KETTLE, 5], [TOASTER, 5]]],
    ]);
    const p = plan(twoLines(PLACES.amsterdam), s);
    expect(summary(p)).toEqual(["LYS: 2 × KTL-100, 1 × TST-200"]);
    expect(candidate(p, RTM).reasons.join(" ")).toContain("insufficient stock: TST-200 needs 1, has 0");
    expect(candidate(p, LEJ).reasons.join(" ")).toContain("insufficient stock: KTL-100 needs 2, has 1");
  });

  test("two lines of the same SKU count together against one location's stock", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 3]]],
      [LEJ, [[KETTLE, 4]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 2), line(2, KETTLE, 2)]), s);
    expect(p.outcome).toBe("single");
    expect(summary(p)).toEqual(["LEJ: 2 × KTL-100, 2 × KTL-100"]);
  });

  test("an inactive location is never used, however near and well stocked", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 50], [TOASTER, 50]]],
      [LEJ, [[KETTLE, 5], [TOASTER, 5]]],
    ], [], [{ ...RTM, active: false }, LEJ, LYS, MAN]);
    const p = plan(twoLines(PLACES.amsterdam), s);
    expect(summary(p)).toEqual(["LEJ: 2 × KTL-100, 1 × TST-200"]);
    expect(candidate(p, RTM)).toMatchObject({ verdict: "rejected", reasons: ["inactive"] });
  });

  describe("at equal distance the lower priority number wins", () => {
    // A second Rotterdam site at the same coordinates: distance ties exactly.
    const waalhaven: PlanLocation = { ...RTM, id: 7, code: "RTM-WH", name: "Rotterdam Waalhaven", priority: 4 };
    const stock = (a: PlanLocation, b: PlanLocation) =>
      snapshot([
        [a, [[KETTLE, 5], [TOASTER, 5]]],
        [b, [[KETTLE, 5], [TOASTER, 5]]],
      ], [], [a, b, LEJ]);

    test("priority 1 beats priority 4, and the loser is rejected for lower priority", () => {
      const p = plan(twoLines(PLACES.amsterdam), stock(RTM, waalhaven));
      expect(summary(p)).toEqual(["RTM: 2 × KTL-100, 1 × TST-200"]);
      expect(candidate(p, waalhaven).reasons.join(" ")).toMatch(/lower priority \(4 vs 1\)/);
    });

    test("the priority decides, not the location id", () => {
      const first = { ...waalhaven, priority: 0 };
      const p = plan(twoLines(PLACES.amsterdam), stock(RTM, first));
      expect(summary(p)).toEqual(["RTM-WH: 2 × KTL-100, 1 × TST-200"]);
      expect(candidate(p, RTM).reasons.join(" ")).toMatch(/lower priority/);
    });

    test("priorities compare as numbers (9 beats 10)", () => {
      const p = plan(twoLines(PLACES.amsterdam), stock({ ...RTM, priority: 10 }, { ...waalhaven, priority: 9 }));
      expect(summary(p)).toEqual(["RTM-WH: 2 × KTL-100, 1 × TST-200"]);
    });
  });
});

describe("rule 3: otherwise as few shipments as possible, splitting a line only when no location holds it", () => {
  test("two lines each stocked only at a different warehouse make two shipments", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 5]]],
      [LEJ, [[TOASTER, 5]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 2), line(2, TOASTER, 1)]), s);
    expect(p.outcome).toBe("split");
    expect(p.split).toBe(true);
    expect(summary(p)).toEqual(["RTM: 2 × KTL-100", "LEJ: 1 × TST-200"]);
    expect(candidate(p, RTM).verdict).toBe("chosen");
    expect(candidate(p, LEJ).verdict).toBe("chosen");
    expect(candidate(p, LYS).verdict).toBe("rejected");
  });

  test("three lines where one location covers two of them make two shipments, not three", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 5]]],
      [MAN, [[TOASTER, 5]]],
      [LEJ, [[TOASTER, 5], [BLENDER, 5]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 1), line(2, TOASTER, 1), line(3, BLENDER, 1)]), s);
    expect(p.outcome).toBe("split");
    expect(summary(p)).toEqual(["RTM: 1 × KTL-100", "LEJ: 1 × TST-200, 1 × BLN-300"]);
    expect(candidate(p, MAN).verdict).toBe("rejected");
  });

  test("a line no single location holds is split across locations", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 4]]],
      [LEJ, [[KETTLE, 3]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 6)]), s);
    expect(p.outcome).toBe("split");
    expect(p.split).toBe(true);
    expect(summary(p)).toEqual(["RTM: 4 × KTL-100", "LEJ: 2 × KTL-100"]);
    expect(shippedByLine(p).get(1)).toBe(6);
  });

  test("a line one location holds is not split, even when the order as a whole must be", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 4], [TOASTER, 2]]],
      [LEJ, [[KETTLE, 8]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 6), line(2, TOASTER, 2)]), s);
    expect(summary(p)).toEqual(["RTM: 2 × TST-200", "LEJ: 6 × KTL-100"]);
  });

  test("a split line uses the fewest locations, not the nearest ones first", () => {
    // 3 + 7 at Rotterdam and Leipzig fill 10 in two shipments; nearest-first would take Manchester's 4 too.
    const s = snapshot([
      [RTM, [[KETTLE, 3]]],
      [MAN, [[KETTLE, 4]]],
      [LEJ, [[KETTLE, 7]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 10)]), s);
    expect(p.shipments).toHaveLength(2);
    expect(shippedByLine(p).get(1)).toBe(10);
    expect(summary(p)).toEqual(["RTM: 3 × KTL-100", "LEJ: 7 × KTL-100"]);
  });

  test("a whole line goes where the split line's stock also is, when that saves a shipment", () => {
    // Toaster could ship from Manchester (nearer) or Lyon; Lyon also holds most of the kettles.
    const s = snapshot([
      [MAN, [[TOASTER, 2]]],
      [LYS, [[TOASTER, 2], [KETTLE, 6]]],
      [LEJ, [[KETTLE, 5]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 10), line(2, TOASTER, 2)]), s);
    expect(p.shipments).toHaveLength(2);
    expect(summary(p)).toEqual(["LEJ: 5 × KTL-100", "LYS: 5 × KTL-100, 2 × TST-200"]);
  });

  test("a line is not split because two other lines compete for the same SKU", () => {
    // Two toaster lines compete for Rotterdam's 5; the blender line has nothing to do with that.
    const s = snapshot(
      [
        [RTM, [[KETTLE, 5], [TOASTER, 5], [BLENDER, 1]]],
        [LEJ, [[BLENDER, 3]]],
      ],
      [[DS_NORD, [[TOASTER, 2]]]],
    );
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 5), line(2, TOASTER, 4), line(3, TOASTER, 4), line(4, BLENDER, 3)]), s);
    const blenderFrom = p.shipments.filter((sh) => sh.lines.some((l) => l.orderLineId === 4)).map((sh) => sh.locationCode);
    expect(blenderFrom).toEqual(["LEJ"]);
    expect(shippedByLine(p)).toEqual(new Map([[1, 5], [2, 4], [3, 4], [4, 3]]));
  });

  test("at equal distance the lower priority number wins in a split too", () => {
    const near: PlanLocation = { ...RTM, priority: 9 };
    const twin: PlanLocation = { ...RTM, id: 7, code: "RTM-WH", name: "Rotterdam Waalhaven", priority: 10 };
    const s = snapshot([
      [near, [[TOASTER, 5]]],
      [twin, [[TOASTER, 5]]],
      [LEJ, [[MUG, 5]]],
    ], [], [near, twin, LEJ]);
    const p = plan(order(PLACES.amsterdam, [line(1, TOASTER, 2), line(2, MUG, 3)]), s);
    expect(summary(p)).toEqual(["RTM: 2 × TST-200", "LEJ: 3 × MUG-400"]);
  });
});

describe("rule 4: what stock cannot cover is dropshipped, else backordered, else the order is held", () => {
  test("a SKU no warehouse holds goes to a supplier that carries it, ready after its lead days", () => {
    const s = snapshot([[RTM, [[KETTLE, 5]]]], [
      [DS_SUD, [[BLENDER, 2]]],
      [DS_NORD, [[MUG, 4]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 1), line(2, MUG, 3)]), s);
    expect(p.outcome).toBe("dropship");
    expect(summary(p)).toEqual(["RTM: 1 × KTL-100", "DS-NORD: 3 × MUG-400"]);
    const drop = p.shipments.find((sh) => sh.locationCode === "DS-NORD")!;
    expect(drop.dropship).toBe(true);
    expect(drop.shipBy).toBe(NOW + 4 * DAY);
    expect(p.shipments.find((sh) => sh.locationCode === "RTM")!.dropship).toBe(false);
    expect(candidate(p, DS_NORD).verdict).toBe("chosen");
    expect(candidate(p, DS_SUD).verdict).toBe("rejected");
    expect(p.backorders).toEqual([]);
  });

  test("only the uncovered part of a line is dropshipped", () => {
    const s = snapshot([[RTM, [[GRINDER, 2]]]], [[DS_NORD, [[GRINDER, 6]]]]);
    const p = plan(order(PLACES.amsterdam, [line(1, GRINDER, 5)]), s);
    expect(p.outcome).toBe("dropship");
    expect(summary(p)).toEqual(["RTM: 2 × GRD-500", "DS-NORD: 3 × GRD-500"]);
  });

  test("a supplier whose catalogue entry is inactive, or who is inactive, is not used", () => {
    const s = snapshot(
      [],
      [[DS_NORD, [[BLENDER, 2]]]],
      [RTM, { ...DS_SUD, active: false }, DS_NORD],
      [[DS_NORD, MUG]],
    );
    const withSud = { ...s, catalog: [...s.catalog, { locationId: DS_SUD.id, productId: MUG.productId, leadDays: 1, active: true }] };
    const p = plan(order(PLACES.amsterdam, [line(1, MUG, 1)]), withSud);
    expect(p.shipments).toEqual([]);
    expect(p.outcome).toBe("held");
    expect(candidate(p, DS_SUD).reasons).toContain("inactive");
  });

  test("dropship comes before a backorder even when the SKU allows backorders", () => {
    const s = snapshot([], [[DS_SUD, [[KETTLE, 7]]]]);
    const p = plan(order(PLACES.munich, [line(1, KETTLE, 2)]), s);
    expect(p.outcome).toBe("dropship");
    expect(p.backorders).toEqual([]);
    expect(summary(p)).toEqual(["DS-SUD: 2 × KTL-100"]);
    expect(p.shipments[0]!.shipBy).toBe(NOW + 7 * DAY);
  });

  test("with no stock and no supplier, a SKU that allows it is backordered; stock still ships", () => {
    const s = snapshot([[LEJ, [[KETTLE, 3], [TOASTER, 1]]]], [[DS_NORD, [[MUG, 2]]]]);
    const p = plan(order(PLACES.munich, [line(1, KETTLE, 5), line(2, TOASTER, 1)]), s);
    expect(p.outcome).toBe("backordered");
    expect(summary(p)).toEqual(["LEJ: 3 × KTL-100, 1 × TST-200"]);
    expect(p.backorders).toEqual([{ orderLineId: 1, productId: KETTLE.productId, sku: "KTL-100", qty: 2 }]);
    expect(p.hold).toBeNull();
  });

  test("with no stock, no supplier and no backorders allowed, the order is held with what is stuck", () => {
    const s = snapshot([[RTM, [[KETTLE, 5], [TOASTER, 1]]]]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 2), line(2, TOASTER, 3)]), s);
    expect(p.outcome).toBe("held");
    expect(p.shipments).toEqual([]);
    expect(p.backorders).toEqual([]);
    expect(quantities(p.hold!.lines)).toEqual(["2 × TST-200"]);
    expect(p.hold!.reason).toContain("TST-200");
    expect(p.candidates.every((c) => c.verdict === "rejected")).toBe(true);
  });
});

describe("rule 5: a ship-complete order is never split", () => {
  const splittable = snapshot([
    [RTM, [[KETTLE, 5]]],
    [LEJ, [[BLENDER, 5], [TOASTER, 5]]],
  ]);

  test("one location that holds everything still ships it", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 5]]],
      [LEJ, [[KETTLE, 5], [BLENDER, 5]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 2), line(2, BLENDER, 1)], true), s);
    expect(p.outcome).toBe("single");
    expect(summary(p)).toEqual(["LEJ: 2 × KTL-100, 1 × BLN-300"]);
  });

  test("when no one location can fill it and every SKU allows it, it is backordered whole", () => {
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 2), line(2, BLENDER, 1)], true), splittable);
    expect(p.outcome).toBe("backordered");
    expect(p.shipments).toEqual([]);
    expect(quantities(p.backorders)).toEqual(["2 × KTL-100", "1 × BLN-300"]);
    expect(p.hold).toBeNull();
  });

  test("when no one location can fill it and a SKU may not be backordered, it is held whole", () => {
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 2), line(2, TOASTER, 1)], true), splittable);
    expect(p.outcome).toBe("held");
    expect(p.shipments).toEqual([]);
    expect(p.backorders).toEqual([]);
    expect(quantities(p.hold!.lines)).toEqual(["2 × KTL-100", "1 × TST-200"]);
  });

  test("a single line is not split across locations either", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 4]]],
      [LEJ, [[KETTLE, 3]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 6)], true), s);
    expect(p.shipments).toEqual([]);
    expect(quantities(p.backorders)).toEqual(["6 × KTL-100"]);
  });

  test("a supplier that carries every SKU counts as one location and dropships it whole", () => {
    const s = snapshot([[RTM, [[KETTLE, 5]]]], [[DS_NORD, [[KETTLE, 2], [TOASTER, 5]]]]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 2), line(2, TOASTER, 1)], true), s);
    expect(p.outcome).toBe("dropship");
    expect(summary(p)).toEqual(["DS-NORD: 2 × KTL-100, 1 × TST-200"]);
    expect(p.shipments[0]!.shipBy).toBe(NOW + 5 * DAY);
  });
});

describe("ship-by dates and cancelled quantities", () => {
  test("a stock shipment's ship-by is now plus the location's SLA hours", () => {
    const s = snapshot([
      [RTM, [[KETTLE, 5]]],
      [MAN, [[TOASTER, 5]]],
    ]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 1), line(2, TOASTER, 1)]), s);
    expect(p.shipments.map((sh) => [sh.locationCode, sh.shipBy])).toEqual([
      ["RTM", NOW + 24 * HOUR],
      ["MAN-3PL", NOW + 72 * HOUR],
    ]);
  });

  test("a shipment records its distance to the ship-to address", () => {
    const p = plan(order(PLACES.paris, [line(1, KETTLE, 1)]), snapshot([[LYS, [[KETTLE, 1]]]]));
    expect(p.shipments[0]!.distanceKm).toBe(distanceKm(LYS, PLACES.paris));
  });

  test("lines with quantity 0 are ignored", () => {
    const s = snapshot([[RTM, [[KETTLE, 5]]]]);
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 1), line(2, TOASTER, 0)]), s);
    expect(p.outcome).toBe("single");
    expect(summary(p)).toEqual(["RTM: 1 × KTL-100"]);
    expect(p.hold).toBeNull();
  });

  test("an order whose lines are all at 0 yields no shipments, backorders or hold", () => {
    const p = plan(order(PLACES.amsterdam, [line(1, KETTLE, 0), line(2, TOASTER, 0)]), snapshot([[RTM, [[KETTLE, 5]]]]));
    expect(p.shipments).toEqual([]);
    expect(p.backorders).toEqual([]);
    expect(p.hold).toBeNull();
    expect(p.split).toBe(false);
  });
});

describe("rule 7: the same inputs give the same plan", () => {
  const s = snapshot(
    [
      [RTM, [[KETTLE, 3], [TOASTER, 1]]],
      [LEJ, [[KETTLE, 3], [BLENDER, 2]]],
      [LYS, [[TOASTER, 4], [BLENDER, 4]]],
      [MAN, [[KETTLE, 1]]],
    ],
    [
      [DS_NORD, [[MUG, 3]]],
      [DS_SUD, [[MUG, 2], [GRINDER, 6]]],
    ],
  );
  const o = order(PLACES.paris, [line(1, KETTLE, 5), line(2, TOASTER, 3), line(3, BLENDER, 2), line(4, MUG, 2), line(5, GRINDER, 1)]);

  test("planning twice gives deep-equal plans", () => {
    expect(plan(o, s)).toEqual(plan(o, s));
  });

  test("the order of the snapshot's arrays does not change the plan", () => {
    const shuffled: RoutingSnapshot = {
      locations: [...s.locations].reverse(),
      available: [...s.available].reverse(),
      catalog: [...s.catalog].reverse(),
    };
    expect(plan(o, shuffled)).toEqual(plan(o, s));
  });

  test("planning does not modify its inputs", () => {
    const before = structuredClone({ o, s });
    plan(o, s);
    expect({ o, s }).toEqual(before);
  });
});

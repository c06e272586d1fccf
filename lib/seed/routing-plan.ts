import type { RouteKind } from "./plan.ts";
import { LOCATIONS, distanceKm } from "./places.ts";

/**
 * The stored explanation of a seeded routing decision, in the shape lib/routing writes
 * (RoutingPlan in lib/routing/types.ts): every location as a candidate with a verdict and
 * reasons, plus one sentence per step, so the routing review screen reads seeded and live plans alike.
 */
export type PlanCandidate = {
  locationId: number;
  code: string;
  name: string;
  kind: string;
  distanceKm: number;
  priority: number;
  verdict: "chosen" | "rejected";
  reasons: string[];
};

type Line = { sku: string; qty: number };
type Part = { line: number; qty: number };

export type RoutingStory = {
  route: RouteKind;
  shipTo: { lat: number; lng: number };
  lines: readonly Line[];
  /** Location index -> planned parts (before any later partial cancel). */
  groups: ReadonlyMap<number, readonly Part[]>;
  /** A nearer stocking location passed over for lack of stock (single route only). */
  skipped: number | null;
  backorders: readonly Part[];
};

export function explainRouting(story: RoutingStory): { candidates: PlanCandidate[]; explanation: string[] } {
  const { route, lines, groups, backorders } = story;
  const sites = LOCATIONS.map((l, loc) => ({ loc, km: distanceKm(story.shipTo.lat, story.shipTo.lng, l.lat, l.lng) })).sort(
    (a, b) => a.km - b.km || LOCATIONS[a.loc]!.priority - LOCATIONS[b.loc]!.priority || a.loc - b.loc,
  );
  const first = lines[0]!;
  const parts = (ps: readonly Part[]) => ps.map((p) => `${p.qty} × ${lines[p.line]!.sku}`).join(", ");
  const missing = (ps: readonly Part[]) => ps.map((p) => `${lines[p.line]!.sku} needs ${lines[p.line]!.qty}, has 0`).join("; ");
  const best = sites.find((s) => groups.has(s.loc) && LOCATIONS[s.loc]!.kind !== "dropship");
  // What the nearest chosen location holds of the first line (the one short everywhere on dropship and backorder routes).
  const hasFirst = best ? (groups.get(best.loc)?.find((p) => p.line === 0)?.qty ?? 0) : 0;
  const explanation: string[] = [];

  const candidates = sites.map(({ loc, km }): PlanCandidate => {
    const l = LOCATIONS[loc]!;
    const group = groups.get(loc);
    const reasons: string[] = [];
    if (l.kind === "dropship") {
      if (group) reasons.push(`dropships ${parts(group)} that no stock covers`);
      else reasons.push(route === "dropship" || route === "backorder" ? "does not carry the uncovered SKUs" : "not needed: own stock covers the order");
    } else if (route === "single") {
      if (group) reasons.push(`holds every unit; nearest able location (${km} km, priority ${l.priority})`);
      else if (loc === story.skipped) reasons.push(`insufficient stock: ${first.sku} needs ${first.qty}, has 0`);
      else reasons.push(`could ship it all but is farther (${km} km vs ${best!.km} km)`);
    } else if (route === "split") {
      const other = [...groups].filter(([g]) => g !== loc).flatMap(([, ps]) => ps);
      reasons.push(`cannot ship it all: ${group ? missing(other) : `${first.sku} needs ${first.qty}, has 0`}`);
      reasons.push(group ? `ships ${parts(group)}` : "not needed: fewer shipments without it");
    } else {
      reasons.push(`cannot ship it all: ${first.sku} needs ${first.qty}, has ${loc === best?.loc ? hasFirst : 0}`);
      if (group) reasons.push(`ships ${parts(group)}`);
    }
    return { locationId: loc + 1, code: l.code, name: l.name, kind: l.kind, distanceKm: km, priority: l.priority, verdict: group ? "chosen" : "rejected", reasons };
  });

  if (route === "single") explanation.push(`${LOCATIONS[best!.loc]!.code} ships the whole order.`);
  for (const b of backorders) {
    if (b.qty < first.qty) explanation.push(`No single location holds ${first.qty} × ${first.sku}: split across locations, ${b.qty} still uncovered.`);
    explanation.push(`${b.qty} × ${first.sku}: no stock and no supplier carries it; backordered.`);
  }
  if (groups.size > 1) explanation.push(`No one location holds every unit: ${groups.size} shipments, the fewest possible.`);
  else if (route === "dropship") explanation.push(`No stock covers ${first.sku}: ${LOCATIONS[[...groups.keys()][0]!]!.code} dropships it.`);
  return { candidates, explanation };
}

import { inArray } from "drizzle-orm";
import { z } from "zod";
import { products } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import { DomainError } from "../errors.ts";
import { placeAddress, type Placement } from "../geo.ts";
import { planRouting } from "./plan.ts";
import { loadSnapshot } from "./snapshot.ts";
import type { RoutingPlan } from "./types.ts";

export const previewInput = z.object({
  lines: z
    .array(z.object({ sku: z.string().trim().min(1).max(64), qty: z.number().int().min(1).max(10_000) }))
    .min(1, "Add at least one line.")
    .max(100),
  shipTo: z.union([
    z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
    z.object({
      country: z.string().trim().length(2, "Use a two-letter country code."),
      city: z.string().trim().max(100).optional(),
      postcode: z.string().trim().max(20).optional(),
    }),
  ]),
  shipComplete: z.boolean().default(false),
});
export type PreviewInput = z.input<typeof previewInput>;

export type PreviewResult = {
  outcome: RoutingPlan["outcome"];
  split: boolean;
  shipments: { location: string; kind: "stock" | "dropship"; shipBy: string; distanceKm: number; lines: { sku: string; qty: number }[] }[];
  backorders: { sku: string; qty: number }[];
  hold: { reason: string; lines: { sku: string; qty: number }[] } | null;
  explanation: string[];
  warnings: string[];
  /** Where the ship-to was placed and how: a note when it had to be approximated. */
  shipTo: Placement;
};

function resolveShipTo(shipTo: z.output<typeof previewInput>["shipTo"]): Placement {
  if ("lat" in shipTo) return { lat: shipTo.lat, lng: shipTo.lng, precision: "coordinates", place: `${shipTo.lat}, ${shipTo.lng}`, note: null };
  const placed = placeAddress(shipTo);
  if (!placed) throw new DomainError("invalid_input", `Country ${shipTo.country.toUpperCase()} is not one we can place addresses in; send lat and lng instead.`);
  return placed;
}

/** What routing would do for a cart right now, reserving nothing: for a checkout to warn about a split. */
export function previewRouting(db: DB, input: z.output<typeof previewInput>, now = Date.now()): PreviewResult {
  const skus = [...new Set(input.lines.map((l) => l.sku.toUpperCase()))];
  const found = db.select().from(products).where(inArray(products.sku, skus)).all();
  const missing = skus.filter((s) => !found.some((p) => p.sku === s));
  if (missing.length) throw new DomainError("not_found", `Unknown SKU(s): ${missing.join(", ")}.`);
  const bySku = new Map(found.map((p) => [p.sku, p]));
  const lines = input.lines.map((l, i) => {
    const p = bySku.get(l.sku.toUpperCase())!;
    return { orderLineId: i + 1, productId: p.id, sku: p.sku, qty: l.qty, allowBackorder: p.allowBackorder };
  });
  const shipTo = resolveShipTo(input.shipTo);
  const plan = db.transaction((tx) => {
    const snapshot = loadSnapshot(tx, [...new Set(lines.map((l) => l.productId))]);
    return planRouting({ orderId: 0, shipComplete: input.shipComplete, shipTo, lines }, snapshot, { now });
  });
  const names = new Map(plan.candidates.map((c) => [c.locationId, c.name]));
  const strip = (ls: { sku: string; qty: number }[]) => ls.map(({ sku, qty }) => ({ sku, qty }));
  const warnings: string[] = [];
  if (shipTo.note) warnings.push(shipTo.note);
  if (plan.shipments.length > 1) warnings.push(`This order will arrive in ${plan.shipments.length} shipments.`);
  if (plan.backorders.length) warnings.push("Some items are on backorder and will ship later.");
  if (plan.hold) warnings.push("Some items cannot be supplied right now.");
  return {
    outcome: plan.outcome,
    split: plan.split,
    shipments: plan.shipments.map((s) => ({
      location: names.get(s.locationId) ?? s.locationCode,
      kind: s.dropship ? "dropship" : "stock",
      shipBy: new Date(s.shipBy).toISOString(),
      distanceKm: s.distanceKm,
      lines: strip(s.lines),
    })),
    backorders: strip(plan.backorders),
    hold: plan.hold ? { reason: plan.hold.reason, lines: strip(plan.hold.lines) } : null,
    explanation: plan.explanation,
    warnings,
    shipTo,
  };
}


import { database } from "../../../../db/index.ts";
import { route } from "../../../../lib/http.ts";
import { previewInput, previewRouting } from "../../../../lib/routing/preview.ts";

export const dynamic = "force-dynamic";

/** POST { lines: [{ sku, qty }], shipTo: { lat, lng } | { country, city?, postcode? }, shipComplete? } → predicted shipments and where the ship-to was placed. */
export const POST = route({ schema: previewInput, permission: "orders:read" }, (input) => previewRouting(database(), input));

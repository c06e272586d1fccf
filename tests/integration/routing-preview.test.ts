import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { distanceKm } from "../../lib/geo.ts";
import { DomainError } from "../../lib/errors.ts";
import { previewInput, previewRouting, type PreviewInput } from "../../lib/routing/preview.ts";
import { PLACES, T0, createWorld, setStock, type World } from "../support/routing-world.ts";

let w: World;
beforeAll(() => {
  w = createWorld();
  setStock(w.db, w.loc.LYS, w.product.KETTLE.id, 10);
  setStock(w.db, w.loc.RTM, w.product.KETTLE.id, 10);
});
afterAll(() => w.cleanup());

const preview = (shipTo: PreviewInput["shipTo"]) => previewRouting(w.db, previewInput.parse({ lines: [{ sku: "KTL-100", qty: 1 }], shipTo }), T0);
const MALAGA = { lat: 36.7213, lng: -4.4214 };

describe("routing preview places the ship-to, and says how", () => {
  test("a city typed without its accent or in another case is found: Malaga is Málaga", () => {
    for (const city of ["Malaga", "MÁLAGA", " málaga "]) {
      const r = preview({ country: "es", city });
      expect(r.shipTo).toEqual({ ...MALAGA, precision: "city", place: "Málaga, ES", note: null });
      expect(r.shipments).toEqual([expect.objectContaining({ location: "Lyon DC", distanceKm: distanceKm(MALAGA, PLACES.lyon) })]);
      expect(r.warnings).toEqual([]);
    }
    expect(preview({ country: "DE", city: "Munich" }).shipTo).toMatchObject({ precision: "city", place: "München, DE" });
  });

  test("an unknown city is approximated from the country's centre, and the preview says so instead of using another city", () => {
    const r = preview({ country: "ES", city: "Springfield" });
    expect(r.shipTo).toMatchObject({ lat: 40.4637, lng: -3.7492, precision: "country", place: "Spain (ES)" });
    expect(r.shipTo.note).toBe("City “Springfield” is not one we can place in Spain: approximated from the centre of Spain (ES), so distances and dates are rough.");
    expect(r.warnings).toContain(r.shipTo.note);
    // No city at all is said too.
    expect(preview({ country: "FR" }).shipTo).toMatchObject({ precision: "country", note: expect.stringContaining("No city given: approximated from the centre of France (FR)") });
  });

  test("a postcode places an address whose city is not known, by the area it belongs to", () => {
    const r = preview({ country: "ES", city: "Torremolinos", postcode: "29620" });
    expect(r.shipTo).toMatchObject({ ...MALAGA, precision: "postcode", place: "Málaga area, ES" });
    expect(r.warnings).toContain("City “Torremolinos” is not one we can place in Spain: approximated from postcode 29620 (Málaga area).");
  });

  test("a country with no known places is refused with what to send instead", () => {
    expect(() => preview({ country: "ZZ", city: "Nowhere" })).toThrow(DomainError);
    expect(() => preview({ country: "ZZ" })).toThrow(/Country ZZ is not one we can place addresses in; send lat and lng instead/);
  });
});

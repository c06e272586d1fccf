import { GAZETTEER, type GazetteerCity } from "./gazetteer.ts";
import { tokens } from "./search/normalize.ts";

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres (haversine), rounded to 0.1 km so plans compare stably. */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h))) * 10) / 10;
}

/** How an address was placed on the map: exactly, by its city, by its postcode's area, or only by its country. */
export type Placement = { lat: number; lng: number; precision: "coordinates" | "city" | "postcode" | "country"; place: string; note: string | null };

const squash = (text: string) => tokens(text).join(" ");
const postcodeKey = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, "");
const prefixOf = (pattern: string) => postcodeKey(pattern.split(/[#@]/)[0] ?? "");

/**
 * The city whose postcode prefix the code shares most of: all of it ("69001" is Lyon's "6900"; a
 * letter area must end there, so "MK9" is not Manchester's "M"), or at least its first two characters
 * (the district, "29620" near Málaga's "290").
 */
function nearestByPostcode(cities: readonly GazetteerCity[], code: string): GazetteerCity | undefined {
  let best: { city: GazetteerCity; shared: number } | undefined;
  for (const city of cities) {
    const prefix = prefixOf(city.postcode);
    if (!prefix) continue;
    let shared = 0;
    while (shared < prefix.length && prefix[shared] === code[shared]) shared++;
    const whole = shared === prefix.length && !(/[A-Z]$/.test(prefix) && /[A-Z]/.test(code[shared] ?? ""));
    const score = whole ? prefix.length + 100 : shared >= 2 ? shared : 0;
    if (score > 0 && (!best || score > best.shared)) best = { city, shared: score };
  }
  return best?.city;
}

/**
 * Places a ship-to by country, city and postcode with the gazetteer. A city matches whatever its case
 * and accents ("malaga" is Málaga) or by another name it goes by ("Munich"); else the postcode's area
 * (longest known prefix); else the country's centre, with a note saying so. Null for a country the
 * gazetteer does not know: nothing is guessed from another country's places.
 */
export function placeAddress(a: { country: string; city?: string; postcode?: string }): Placement | null {
  const country = GAZETTEER.find((c) => c.code === a.country.trim().toUpperCase());
  if (!country) return null;
  const typed = a.city?.trim() ? squash(a.city) : "";
  const city = typed ? country.cities.find((c) => [c.name, ...(c.aliases ?? [])].some((n) => squash(n) === typed)) : undefined;
  if (city) return { lat: city.lat, lng: city.lng, precision: "city", place: `${city.name}, ${country.code}`, note: null };
  const missing = typed ? `City “${a.city!.trim()}” is not one we can place in ${country.name}` : `No city given`;
  const code = a.postcode ? postcodeKey(a.postcode) : "";
  const byPostcode = code ? nearestByPostcode(country.cities, code) : undefined;
  if (byPostcode) {
    return { lat: byPostcode.lat, lng: byPostcode.lng, precision: "postcode", place: `${byPostcode.name} area, ${country.code}`, note: `${missing}: approximated from postcode ${a.postcode!.trim()} (${byPostcode.name} area).` };
  }
  return { ...country.centre, precision: "country", place: `${country.name} (${country.code})`, note: `${missing}: approximated from the centre of ${country.name} (${country.code}), so distances and dates are rough.` };
}

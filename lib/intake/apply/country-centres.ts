/** Approximate population centres, for a ship-to address sent without coordinates: routing needs a point to measure from. */
export const COUNTRY_CENTRES: Record<string, { lat: number; lng: number }> = {
  AT: { lat: 48.21, lng: 16.37 }, BE: { lat: 50.85, lng: 4.35 }, CH: { lat: 47.38, lng: 8.54 }, CZ: { lat: 50.08, lng: 14.44 },
  DE: { lat: 51.17, lng: 10.45 }, DK: { lat: 55.68, lng: 12.57 }, ES: { lat: 40.42, lng: -3.7 }, FI: { lat: 60.17, lng: 24.94 },
  FR: { lat: 46.6, lng: 2.35 }, GB: { lat: 52.5, lng: -1.5 }, IE: { lat: 53.35, lng: -6.26 }, IT: { lat: 42.5, lng: 12.5 },
  LU: { lat: 49.61, lng: 6.13 }, NL: { lat: 52.13, lng: 5.29 }, NO: { lat: 59.91, lng: 10.75 }, PL: { lat: 52.23, lng: 21.01 },
  PT: { lat: 38.72, lng: -9.14 }, SE: { lat: 59.33, lng: 18.07 }, US: { lat: 39.83, lng: -98.58 }, CA: { lat: 45.42, lng: -75.7 },
};

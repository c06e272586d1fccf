/**
 * The places the system knows by name: per country its centre and cities with coordinates, postcode
 * pattern ('#' a digit, '@' a letter; what comes before the first of them is the city's postcode
 * prefix) and other names people type. Routing preview places an address with it; the demo seed
 * draws its customers' cities from it, so both agree on where a city is.
 */
export type GazetteerCity = { name: string; postcode: string; lat: number; lng: number; region?: string; aliases?: readonly string[] };
export type GazetteerCountry = { code: string; name: string; centre: { lat: number; lng: number }; cities: readonly GazetteerCity[] };

export const GAZETTEER: readonly GazetteerCountry[] = [
  {
    code: "DE", name: "Germany", centre: { lat: 51.1657, lng: 10.4515 },
    cities: [
      { name: "Berlin", postcode: "10###", lat: 52.52, lng: 13.405, region: "Berlin" },
      { name: "München", postcode: "80###", lat: 48.1351, lng: 11.582, region: "Bayern", aliases: ["Munich"] },
      { name: "Hamburg", postcode: "20###", lat: 53.5511, lng: 9.9937, region: "Hamburg" },
      { name: "Köln", postcode: "50###", lat: 50.9375, lng: 6.9603, region: "Nordrhein-Westfalen", aliases: ["Cologne"] },
      { name: "Leipzig", postcode: "04###", lat: 51.3397, lng: 12.3731, region: "Sachsen" },
      { name: "Düsseldorf", postcode: "40###", lat: 51.2277, lng: 6.7735, region: "Nordrhein-Westfalen" },
    ],
  },
  {
    code: "FR", name: "France", centre: { lat: 46.2276, lng: 2.2137 },
    cities: [
      { name: "Paris", postcode: "750##", lat: 48.8566, lng: 2.3522 },
      { name: "Lyon", postcode: "6900#", lat: 45.764, lng: 4.8357 },
      { name: "Marseille", postcode: "130##", lat: 43.2965, lng: 5.3698 },
      { name: "Toulouse", postcode: "310##", lat: 43.6047, lng: 1.4442 },
      { name: "Nantes", postcode: "440##", lat: 47.2184, lng: -1.5536 },
      { name: "Saint-Étienne", postcode: "420##", lat: 45.4397, lng: 4.3872 },
    ],
  },
  {
    code: "NL", name: "the Netherlands", centre: { lat: 52.1326, lng: 5.2913 },
    cities: [
      { name: "Amsterdam", postcode: "10## @@", lat: 52.3676, lng: 4.9041 },
      { name: "Rotterdam", postcode: "30## @@", lat: 51.9244, lng: 4.4777 },
      { name: "Utrecht", postcode: "35## @@", lat: 52.0907, lng: 5.1214 },
      { name: "Den Haag", postcode: "25## @@", lat: 52.0705, lng: 4.3007, aliases: ["The Hague", "'s-Gravenhage"] },
      { name: "Eindhoven", postcode: "56## @@", lat: 51.4416, lng: 5.4697 },
    ],
  },
  {
    code: "GB", name: "the United Kingdom", centre: { lat: 54.0, lng: -2.5 },
    cities: [
      { name: "London", postcode: "SW# #@@", lat: 51.5072, lng: -0.1276 },
      { name: "Manchester", postcode: "M## #@@", lat: 53.4808, lng: -2.2426 },
      { name: "Birmingham", postcode: "B## #@@", lat: 52.4862, lng: -1.8904 },
      { name: "Leeds", postcode: "LS# #@@", lat: 53.8008, lng: -1.5491 },
      { name: "Edinburgh", postcode: "EH# #@@", lat: 55.9533, lng: -3.1883, region: "Scotland" },
      { name: "Bristol", postcode: "BS# #@@", lat: 51.4545, lng: -2.5879 },
    ],
  },
  {
    code: "IT", name: "Italy", centre: { lat: 41.8719, lng: 12.5674 },
    cities: [
      { name: "Milano", postcode: "201##", lat: 45.4642, lng: 9.19, region: "MI", aliases: ["Milan"] },
      { name: "Roma", postcode: "001##", lat: 41.9028, lng: 12.4964, region: "RM", aliases: ["Rome"] },
      { name: "Torino", postcode: "101##", lat: 45.0703, lng: 7.6869, region: "TO", aliases: ["Turin"] },
      { name: "Bologna", postcode: "401##", lat: 44.4949, lng: 11.3426, region: "BO" },
    ],
  },
  {
    code: "ES", name: "Spain", centre: { lat: 40.4637, lng: -3.7492 },
    cities: [
      { name: "Madrid", postcode: "280##", lat: 40.4168, lng: -3.7038, region: "Madrid" },
      { name: "Barcelona", postcode: "080##", lat: 41.3874, lng: 2.1686, region: "Barcelona" },
      { name: "Sevilla", postcode: "410##", lat: 37.3891, lng: -5.9845, region: "Sevilla", aliases: ["Seville"] },
      { name: "Málaga", postcode: "290##", lat: 36.7213, lng: -4.4214, region: "Málaga" },
    ],
  },
  {
    code: "BE", name: "Belgium", centre: { lat: 50.5039, lng: 4.4699 },
    cities: [
      { name: "Bruxelles", postcode: "10##", lat: 50.8503, lng: 4.3517, aliases: ["Brussels", "Brussel"] },
      { name: "Antwerpen", postcode: "20##", lat: 51.2194, lng: 4.4025, aliases: ["Antwerp", "Anvers"] },
      { name: "Gent", postcode: "90##", lat: 51.0543, lng: 3.7174, aliases: ["Ghent", "Gand"] },
      { name: "Liège", postcode: "40##", lat: 50.6326, lng: 5.5797, aliases: ["Luik", "Lüttich"] },
    ],
  },
  {
    code: "PL", name: "Poland", centre: { lat: 51.9194, lng: 19.1451 },
    cities: [
      { name: "Warszawa", postcode: "00-###", lat: 52.2297, lng: 21.0122, aliases: ["Warsaw"] },
      { name: "Kraków", postcode: "31-###", lat: 50.0647, lng: 19.945, aliases: ["Cracow"] },
      { name: "Łódź", postcode: "90-###", lat: 51.7592, lng: 19.456 },
      { name: "Gdańsk", postcode: "80-###", lat: 54.352, lng: 18.6466 },
      { name: "Wrocław", postcode: "50-###", lat: 51.1079, lng: 17.0385 },
    ],
  },
  {
    code: "DK", name: "Denmark", centre: { lat: 56.2639, lng: 9.5018 },
    cities: [
      { name: "København", postcode: "1###", lat: 55.6761, lng: 12.5683, aliases: ["Copenhagen"] },
      { name: "Aarhus", postcode: "80##", lat: 56.1629, lng: 10.2039 },
      { name: "Odense", postcode: "50##", lat: 55.4038, lng: 10.4024 },
    ],
  },
  {
    code: "IE", name: "Ireland", centre: { lat: 53.4129, lng: -8.2439 },
    cities: [
      { name: "Dublin", postcode: "D0# @###", lat: 53.3498, lng: -6.2603, region: "Co. Dublin" },
      { name: "Cork", postcode: "T12 @###", lat: 51.8985, lng: -8.4756, region: "Co. Cork" },
      { name: "Galway", postcode: "H91 @###", lat: 53.2707, lng: -9.0568, region: "Co. Galway" },
    ],
  },
  {
    code: "AT", name: "Austria", centre: { lat: 47.5162, lng: 14.5501 },
    cities: [
      { name: "Wien", postcode: "1###", lat: 48.2082, lng: 16.3738, aliases: ["Vienna"] },
      { name: "Graz", postcode: "80##", lat: 47.0707, lng: 15.4395 },
      { name: "Salzburg", postcode: "50##", lat: 47.8095, lng: 13.055 },
    ],
  },
  {
    code: "SE", name: "Sweden", centre: { lat: 60.1282, lng: 18.6435 },
    cities: [
      { name: "Stockholm", postcode: "1## ##", lat: 59.3293, lng: 18.0686 },
      { name: "Göteborg", postcode: "4## ##", lat: 57.7089, lng: 11.9746, aliases: ["Gothenburg"] },
    ],
  },
  {
    code: "PT", name: "Portugal", centre: { lat: 39.3999, lng: -8.2245 },
    cities: [
      { name: "Lisboa", postcode: "1###-###", lat: 38.7223, lng: -9.1393, aliases: ["Lisbon"] },
      { name: "Porto", postcode: "4###-###", lat: 41.1579, lng: -8.6291, aliases: ["Oporto"] },
    ],
  },
  {
    code: "LU", name: "Luxembourg", centre: { lat: 49.8153, lng: 6.1296 },
    cities: [{ name: "Luxembourg", postcode: "L-1###", lat: 49.6116, lng: 6.1319 }],
  },
];

/** The gazetteer's cities of a country, in their fixed order (the seed draws from them). */
export function citiesOf(code: string): readonly GazetteerCity[] {
  return GAZETTEER.find((c) => c.code === code)?.cities ?? [];
}

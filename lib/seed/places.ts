import type { LocationKind } from "../../db/schema/catalog.ts";
import { distanceKm as geoDistanceKm } from "../geo.ts";

/** Where the demo customers live: real cities, real-looking postcodes, approximate coordinates. */
export type City = { name: string; postcode: string; lat: number; lng: number; region?: string };
export type Country = {
  code: string;
  currency: "EUR" | "GBP";
  /** VAT in percent, charged on top of the subtotal and shipping. */
  vat: number;
  /** Phone number pattern in E.164 ('#' = digit). */
  phone: string;
  /** "12 High Street" rather than "Hauptstraße 12". */
  numberFirst: boolean;
  streets: readonly string[];
  cities: readonly City[];
  weight: number;
};

export const COUNTRIES: readonly Country[] = [
  {
    code: "DE", currency: "EUR", vat: 19, phone: "+4917#########", numberFirst: false, weight: 22,
    streets: ["Hauptstraße", "Schillerstraße", "Goethestraße", "Bahnhofstraße", "Lindenallee", "Mühlenweg", "Königstraße", "Am Markt"],
    cities: [
      { name: "Berlin", postcode: "10###", lat: 52.52, lng: 13.405, region: "Berlin" },
      { name: "München", postcode: "80###", lat: 48.1351, lng: 11.582, region: "Bayern" },
      { name: "Hamburg", postcode: "20###", lat: 53.5511, lng: 9.9937, region: "Hamburg" },
      { name: "Köln", postcode: "50###", lat: 50.9375, lng: 6.9603, region: "Nordrhein-Westfalen" },
      { name: "Leipzig", postcode: "04###", lat: 51.3397, lng: 12.3731, region: "Sachsen" },
      { name: "Düsseldorf", postcode: "40###", lat: 51.2277, lng: 6.7735, region: "Nordrhein-Westfalen" },
    ],
  },
  {
    code: "FR", currency: "EUR", vat: 20, phone: "+336########", numberFirst: true, weight: 16,
    streets: ["rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Voltaire", "rue des Lilas", "place de l'Église"],
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
    code: "NL", currency: "EUR", vat: 21, phone: "+316########", numberFirst: false, weight: 14,
    streets: ["Keizersgracht", "Dorpsstraat", "Kerkstraat", "Molenweg", "Stationsplein", "Coolsingel", "Oudegracht"],
    cities: [
      { name: "Amsterdam", postcode: "10## @@", lat: 52.3676, lng: 4.9041 },
      { name: "Rotterdam", postcode: "30## @@", lat: 51.9244, lng: 4.4777 },
      { name: "Utrecht", postcode: "35## @@", lat: 52.0907, lng: 5.1214 },
      { name: "Den Haag", postcode: "25## @@", lat: 52.0705, lng: 4.3007 },
      { name: "Eindhoven", postcode: "56## @@", lat: 51.4416, lng: 5.4697 },
    ],
  },
  {
    code: "GB", currency: "GBP", vat: 20, phone: "+447#########", numberFirst: true, weight: 12,
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Queen's Road"],
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
    code: "IT", currency: "EUR", vat: 22, phone: "+393#########", numberFirst: false, weight: 8,
    streets: ["Via Roma", "Via Garibaldi", "Corso Vittorio Emanuele", "Via Dante", "Piazza del Duomo", "Via dell'Orso"],
    cities: [
      { name: "Milano", postcode: "201##", lat: 45.4642, lng: 9.19, region: "MI" },
      { name: "Roma", postcode: "001##", lat: 41.9028, lng: 12.4964, region: "RM" },
      { name: "Torino", postcode: "101##", lat: 45.0703, lng: 7.6869, region: "TO" },
      { name: "Bologna", postcode: "401##", lat: 44.4949, lng: 11.3426, region: "BO" },
    ],
  },
  {
    code: "ES", currency: "EUR", vat: 21, phone: "+346########", numberFirst: false, weight: 8,
    streets: ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Avenida de la Constitución", "Calle Real", "Paseo de Gràcia"],
    cities: [
      { name: "Madrid", postcode: "280##", lat: 40.4168, lng: -3.7038, region: "Madrid" },
      { name: "Barcelona", postcode: "080##", lat: 41.3874, lng: 2.1686, region: "Barcelona" },
      { name: "Sevilla", postcode: "410##", lat: 37.3891, lng: -5.9845, region: "Sevilla" },
      { name: "Málaga", postcode: "290##", lat: 36.7213, lng: -4.4214, region: "Málaga" },
    ],
  },
  {
    code: "BE", currency: "EUR", vat: 21, phone: "+324########", numberFirst: false, weight: 6,
    streets: ["Rue Neuve", "Meir", "Grote Markt", "Avenue Louise", "Veldstraat", "Rue du Marché"],
    cities: [
      { name: "Bruxelles", postcode: "10##", lat: 50.8503, lng: 4.3517 },
      { name: "Antwerpen", postcode: "20##", lat: 51.2194, lng: 4.4025 },
      { name: "Gent", postcode: "90##", lat: 51.0543, lng: 3.7174 },
      { name: "Liège", postcode: "40##", lat: 50.6326, lng: 5.5797 },
    ],
  },
  {
    code: "PL", currency: "EUR", vat: 23, phone: "+485########", numberFirst: false, weight: 5,
    streets: ["ul. Marszałkowska", "ul. Floriańska", "ul. Piotrkowska", "ul. Długa", "ul. Świętojańska"],
    cities: [
      { name: "Warszawa", postcode: "00-###", lat: 52.2297, lng: 21.0122 },
      { name: "Kraków", postcode: "31-###", lat: 50.0647, lng: 19.945 },
      { name: "Łódź", postcode: "90-###", lat: 51.7592, lng: 19.456 },
      { name: "Gdańsk", postcode: "80-###", lat: 54.352, lng: 18.6466 },
      { name: "Wrocław", postcode: "50-###", lat: 51.1079, lng: 17.0385 },
    ],
  },
  {
    code: "DK", currency: "EUR", vat: 25, phone: "+452#######", numberFirst: false, weight: 3,
    streets: ["Vesterbrogade", "Nørrebrogade", "Strøget", "Søndergade", "Åboulevarden"],
    cities: [
      { name: "København", postcode: "1###", lat: 55.6761, lng: 12.5683 },
      { name: "Aarhus", postcode: "80##", lat: 56.1629, lng: 10.2039 },
      { name: "Odense", postcode: "50##", lat: 55.4038, lng: 10.4024 },
    ],
  },
  {
    code: "IE", currency: "EUR", vat: 23, phone: "+35386#######", numberFirst: true, weight: 3,
    streets: ["Main Street", "O'Connell Street", "Grafton Street", "Shop Street", "Strand Road"],
    cities: [
      { name: "Dublin", postcode: "D0# @###", lat: 53.3498, lng: -6.2603, region: "Co. Dublin" },
      { name: "Cork", postcode: "T12 @###", lat: 51.8985, lng: -8.4756, region: "Co. Cork" },
      { name: "Galway", postcode: "H91 @###", lat: 53.2707, lng: -9.0568, region: "Co. Galway" },
    ],
  },
  {
    code: "AT", currency: "EUR", vat: 20, phone: "+43664#######", numberFirst: false, weight: 3,
    streets: ["Mariahilfer Straße", "Getreidegasse", "Herrengasse", "Landstraße"],
    cities: [
      { name: "Wien", postcode: "1###", lat: 48.2082, lng: 16.3738 },
      { name: "Graz", postcode: "80##", lat: 47.0707, lng: 15.4395 },
      { name: "Salzburg", postcode: "50##", lat: 47.8095, lng: 13.055 },
    ],
  },
];

export type LocationSeed = {
  code: string;
  name: string;
  kind: LocationKind;
  city: string;
  country: string;
  lat: number;
  lng: number;
  priority: number;
  slaHours: number;
  carriers: readonly Carrier[];
};

export type Carrier = "UPS" | "DHL" | "PostNL" | "Colissimo" | "Royal Mail" | "DPD";

/** Own warehouses first, then the 3PL, then dropship suppliers; ids follow this order (1..6). */
export const LOCATIONS: readonly LocationSeed[] = [
  { code: "RTM", name: "Rotterdam Warehouse", kind: "warehouse", city: "Rotterdam", country: "NL", lat: 51.9244, lng: 4.4777, priority: 10, slaHours: 24, carriers: ["PostNL", "DHL", "UPS"] },
  { code: "LEJ", name: "Leipzig Warehouse", kind: "warehouse", city: "Leipzig", country: "DE", lat: 51.3397, lng: 12.3731, priority: 20, slaHours: 24, carriers: ["DHL", "DPD", "UPS"] },
  { code: "LYS", name: "Lyon Warehouse", kind: "warehouse", city: "Lyon", country: "FR", lat: 45.764, lng: 4.8357, priority: 30, slaHours: 36, carriers: ["Colissimo", "UPS", "DPD"] },
  { code: "MAN", name: "Northgate Logistics (3PL)", kind: "3pl", city: "Manchester", country: "GB", lat: 53.4808, lng: -2.2426, priority: 50, slaHours: 48, carriers: ["Royal Mail", "DPD"] },
  { code: "DS-NOS", name: "Nordic Outdoor Supply", kind: "dropship", city: "Göteborg", country: "SE", lat: 57.7089, lng: 11.9746, priority: 80, slaHours: 72, carriers: ["DHL", "UPS"] },
  { code: "DS-IHG", name: "Iberia Home Goods", kind: "dropship", city: "Valencia", country: "ES", lat: 39.4699, lng: -0.3763, priority: 90, slaHours: 96, carriers: ["UPS", "DHL"] },
];

/** Indices into LOCATIONS of the places that hold stock (warehouses and the 3PL). */
export const STOCKING = [0, 1, 2, 3] as const;
export const SUPPLIERS = [4, 5] as const;

/** Great-circle distance in kilometres: the planner's own measure, so seeded plans match live ones. */
export function distanceKm(aLat: number, aLng: number, bLat: number, bLng: number): number {
  return geoDistanceKm({ lat: aLat, lng: aLng }, { lat: bLat, lng: bLng });
}

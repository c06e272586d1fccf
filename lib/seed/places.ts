import type { LocationKind } from "../../db/schema/catalog.ts";
import { distanceKm as geoDistanceKm } from "../geo.ts";
import { citiesOf } from "../gazetteer.ts";

/** Where the demo customers live: the gazetteer's cities (real places, real-looking postcodes, approximate coordinates). */
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
    cities: citiesOf("DE"),
  },
  {
    code: "FR", currency: "EUR", vat: 20, phone: "+336########", numberFirst: true, weight: 16,
    streets: ["rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Voltaire", "rue des Lilas", "place de l'Église"],
    cities: citiesOf("FR"),
  },
  {
    code: "NL", currency: "EUR", vat: 21, phone: "+316########", numberFirst: false, weight: 14,
    streets: ["Keizersgracht", "Dorpsstraat", "Kerkstraat", "Molenweg", "Stationsplein", "Coolsingel", "Oudegracht"],
    cities: citiesOf("NL"),
  },
  {
    code: "GB", currency: "GBP", vat: 20, phone: "+447#########", numberFirst: true, weight: 12,
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Queen's Road"],
    cities: citiesOf("GB"),
  },
  {
    code: "IT", currency: "EUR", vat: 22, phone: "+393#########", numberFirst: false, weight: 8,
    streets: ["Via Roma", "Via Garibaldi", "Corso Vittorio Emanuele", "Via Dante", "Piazza del Duomo", "Via dell'Orso"],
    cities: citiesOf("IT"),
  },
  {
    code: "ES", currency: "EUR", vat: 21, phone: "+346########", numberFirst: false, weight: 8,
    streets: ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Avenida de la Constitución", "Calle Real", "Paseo de Gràcia"],
    cities: citiesOf("ES"),
  },
  {
    code: "BE", currency: "EUR", vat: 21, phone: "+324########", numberFirst: false, weight: 6,
    streets: ["Rue Neuve", "Meir", "Grote Markt", "Avenue Louise", "Veldstraat", "Rue du Marché"],
    cities: citiesOf("BE"),
  },
  {
    code: "PL", currency: "EUR", vat: 23, phone: "+485########", numberFirst: false, weight: 5,
    streets: ["ul. Marszałkowska", "ul. Floriańska", "ul. Piotrkowska", "ul. Długa", "ul. Świętojańska"],
    cities: citiesOf("PL"),
  },
  {
    code: "DK", currency: "EUR", vat: 25, phone: "+452#######", numberFirst: false, weight: 3,
    streets: ["Vesterbrogade", "Nørrebrogade", "Strøget", "Søndergade", "Åboulevarden"],
    cities: citiesOf("DK"),
  },
  {
    code: "IE", currency: "EUR", vat: 23, phone: "+35386#######", numberFirst: true, weight: 3,
    streets: ["Main Street", "O'Connell Street", "Grafton Street", "Shop Street", "Strand Road"],
    cities: citiesOf("IE"),
  },
  {
    code: "AT", currency: "EUR", vat: 20, phone: "+43664#######", numberFirst: false, weight: 3,
    streets: ["Mariahilfer Straße", "Getreidegasse", "Herrengasse", "Landstraße"],
    cities: citiesOf("AT"),
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

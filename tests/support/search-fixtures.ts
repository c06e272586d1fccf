import type { DB } from "../../db/client.ts";
import type { OrderStatus } from "../../db/schema/orders.ts";
import { indexOrder } from "../../lib/search/embedded/indexer.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";

/** Hand-made customers and orders with known names, contacts, SKUs and tracking numbers, for exact search assertions. */
export const PEOPLE = {
  jose: { name: "José García", email: "jose.garcia@example.com", phone: "+34612345678", city: "Madrid", postcode: "28013", country: "ES" },
  javier: { name: "Javier García", email: "javier.garcia@example.es", phone: "+34699111222", city: "Sevilla", postcode: "41001", country: "ES" },
  lucia: { name: "Lucía García", email: "lucia.garcia@example.es", phone: null, city: "Madrid", postcode: "28004", country: "ES" },
  john: { name: "John Smith", email: "john.smith@example.co.uk", phone: "+447700900123", city: "London", postcode: "SW1A 1AA", country: "GB" },
  jon: { name: "Jon Smyth", email: "jon.smyth@example.co.uk", phone: "+447700900456", city: "Leeds", postcode: "LS1 4AP", country: "GB" },
  zoe: { name: "Zoë O'Brien", email: "zoe.obrien@example.ie", phone: "+353861238812", city: "Dublin", postcode: "D02 X285", country: "IE" },
  emma: { name: "Emma Brown", email: "emma.brown@example.com", phone: "+447700108812", city: "Bristol", postcode: "BS1 5TR", country: "GB" },
  eva: { name: "Eva de Vries", email: "eva.devries@example.nl", phone: "+31624681357", city: "Den Haag", postcode: "2511 AA", country: "NL" },
} as const;
type Person = keyof typeof PEOPLE;

const PRODUCTS = [
  { sku: "BLU-M-0042", name: "Merino Crew Sweater — Blue, M" },
  { sku: "BLU-L-0042", name: "Merino Crew Sweater — Blue, L" },
  { sku: "GRN-S-0107", name: "Packable Rain Jacket — Forest Green, S" },
  { sku: "HOM-MUG-0311-1", name: "Stoneware Mug 350 ml — Sand" },
  { sku: "KIT-PAN-0512-2", name: "Cast Iron Skillet — 28 cm" },
] as const;

type OrderSpec = { number: string; who: Person; status: OrderStatus; skus: string[]; tracking?: string };

/** Oldest first: ids and placement times grow together, as in production. */
export const ORDERS: readonly OrderSpec[] = [
  { number: "SY-100001", who: "jose", status: "delivered", skus: ["BLU-M-0042"], tracking: "1Z999AA10123456784" },
  { number: "SY-100002", who: "john", status: "delivered", skus: ["HOM-MUG-0311-1"], tracking: "JD014600003456789012" },
  { number: "SY-100003", who: "zoe", status: "fulfilled", skus: ["GRN-S-0107", "BLU-L-0042"], tracking: "3SABCD1234567890" },
  { number: "SY-100004", who: "javier", status: "delivered", skus: ["KIT-PAN-0512-2"] },
  { number: "SY-100005", who: "lucia", status: "cancelled", skus: ["BLU-M-0042"] },
  { number: "SY-100006", who: "jon", status: "awaiting_fulfillment", skus: ["HOM-MUG-0311-1"] },
  { number: "SY-100007", who: "jose", status: "awaiting_fulfillment", skus: ["HOM-MUG-0311-1", "BLU-L-0042"] },
  { number: "SY-108812", who: "john", status: "paid", skus: ["KIT-PAN-0512-2"] },
  { number: "SY-100009", who: "emma", status: "delivered", skus: ["GRN-S-0107"], tracking: "RR123456789GB" },
  { number: "SY-100010", who: "zoe", status: "pending", skus: ["BLU-M-0042"] },
  { number: "SY-100011", who: "jose", status: "pending", skus: ["KIT-PAN-0512-2"] },
  { number: "SY-100012", who: "eva", status: "paid", skus: ["GRN-S-0107"] },
];

export const T0 = Date.UTC(2026, 9, 1);

/** The order id of a number in ORDERS (ids follow the list). */
export function orderId(number: string): number {
  const i = ORDERS.findIndex((o) => o.number === number);
  if (i < 0) throw new Error(`no order ${number}`);
  return i + 1;
}

export const USERS: Record<"agent" | "warehouse_lead" | "finance", SessionUser> = {
  agent: { id: 1, email: "agent@switchyard.test", name: "Agent", role: "agent" },
  warehouse_lead: { id: 2, email: "warehouse@switchyard.test", name: "Lead", role: "warehouse_lead" },
  finance: { id: 3, email: "finance@switchyard.test", name: "Finance", role: "finance" },
};

type Sqlite = DB["$client"];
type CustomerRow = { name: string; email: string; phone: string | null; city: string; postcode: string; country: string };

/** The one warehouse and the catalogue every fixture order draws from. */
function insertCatalogue(s: Sqlite): void {
  s.prepare("INSERT INTO locations (id, code, name, kind, city, country, lat, lng) VALUES (1, 'RTM', 'Rotterdam', 'warehouse', 'Rotterdam', 'NL', 51.9, 4.5)").run();
  PRODUCTS.forEach((p, i) => s.prepare("INSERT INTO products (id, sku, name, price) VALUES (?, ?, ?, 5000)").run(i + 1, p.sku, p.name));
}

/** A customer and their address, both with id `id`. */
function insertCustomer(s: Sqlite, id: number, c: CustomerRow, at: number): void {
  s.prepare("INSERT INTO customers (id, name, email, phone, created_at) VALUES (?, ?, ?, ?, ?)").run(id, c.name, c.email, c.phone, at);
  s.prepare("INSERT INTO addresses (id, customer_id, name, line1, city, postcode, country, lat, lng) VALUES (?, ?, ?, '1 Main Street', ?, ?, ?, 0, 0)").run(
    id,
    id,
    c.name,
    c.city,
    c.postcode,
    c.country,
  );
}

/** An order of the customer with id `customer`, one unit of each SKU (from PRODUCTS), and its index rows, in one transaction as order creation does. */
function insertOrder(db: DB, o: { id: number; number: string; customer: number; status: OrderStatus; skus: readonly string[]; tracking?: string; at: number }): void {
  const s = db.$client;
  s.transaction(() => {
    s.prepare(
      "INSERT INTO orders (id, number, customer_id, ship_address_id, status, currency, placed_at, status_changed_at, updated_at) VALUES (?, ?, ?, ?, ?, 'EUR', ?, ?, ?)",
    ).run(o.id, o.number, o.customer, o.customer, o.status, o.at, o.at, o.at);
    for (const sku of o.skus) {
      const p = PRODUCTS.findIndex((x) => x.sku === sku);
      s.prepare("INSERT INTO order_lines (order_id, product_id, sku, name, qty_ordered, unit_price) VALUES (?, ?, ?, ?, 1, 5000)").run(o.id, p + 1, sku, PRODUCTS[p]!.name);
    }
    if (o.tracking) {
      s.prepare(
        "INSERT INTO shipments (order_id, location_id, status, carrier, tracking_number, ship_by, created_at, updated_at, shipped_at) VALUES (?, 1, 'shipped', 'UPS', ?, ?, ?, ?, ?)",
      ).run(o.id, o.tracking, o.at, o.at, o.at, o.at);
    }
    indexOrder(db, o.id);
  })();
}

/** Writes the fixture, each order and its index rows in one transaction, as order creation does. */
export function seedSearchFixture(db: DB): void {
  const s = db.$client;
  s.transaction(() => {
    insertCatalogue(s);
    Object.values(PEOPLE).forEach((p, i) => insertCustomer(s, i + 1, p, T0));
  })();
  const people = Object.keys(PEOPLE) as Person[];
  ORDERS.forEach((o, i) => {
    const id = i + 1;
    insertOrder(db, { ...o, id, customer: people.indexOf(o.who) + 1, at: T0 + id * 3_600_000 });
  });
}

/** Customers whose emails lie one or two typos from each other, and many sharing the end of one. */
export const EMAIL_NEIGHBOURS = {
  /** The address typed, and the three one typo away from it: in its second half, first half, and an added digit. */
  sofia: "sofia.martin7@example.net",
  oneAway: ["sofia.martin27@example.net", "sofia_martin7@example.net", "sofia.martin8@example.net"],
  /** Two typos away: noise while anything lies within one. */
  twoAway: "sofia.martinez7@example.net",
  /** The oldest order; 600 newer customers' emails end like the second half of hers. */
  anna: "anna.jansen@example.com",
  sharingHerEnd: 600,
} as const;

/** EMAIL_NEIGHBOURS as customers with one order each, oldest first (Anna, then Sofia's group, then the 600). */
export function seedEmailNeighbours(db: DB): { orderOf: (email: string) => string } {
  const n = EMAIL_NEIGHBOURS;
  const emails = [n.anna, n.sofia, ...n.oneAway, n.twoAway, ...Array.from({ length: n.sharingHerEnd }, (_, i) => `p${i}.hansen@example.com`)];
  const numberOf = (i: number) => `SY-${200001 + i}`;
  db.$client.transaction(() => {
    insertCatalogue(db.$client);
    emails.forEach((email, i) => {
      const id = i + 1;
      const at = T0 + id * 60_000;
      insertCustomer(db.$client, id, { name: `Customer ${id}`, email, phone: null, city: "Utrecht", postcode: "3511 AA", country: "NL" }, at);
      insertOrder(db, { id, number: numberOf(i), customer: id, status: "pending", skus: [PRODUCTS[0].sku], at });
    });
  })();
  return { orderOf: (email) => numberOf(emails.indexOf(email)) };
}

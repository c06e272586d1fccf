import { sqliteTable, integer, text, real, index, primaryKey, check } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { createdAt, flag, money } from "./columns.ts";
import { users } from "./auth.ts";

export const customers = sqliteTable(
  "customers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    createdAt: createdAt(),
  },
  (t) => [index("customers_email_idx").on(t.email)],
);

export const addresses = sqliteTable(
  "addresses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    customerId: integer("customer_id").notNull().references(() => customers.id),
    name: text("name").notNull(),
    line1: text("line1").notNull(),
    line2: text("line2"),
    city: text("city").notNull(),
    region: text("region"),
    postcode: text("postcode").notNull(),
    /** ISO 3166-1 alpha-2 */
    country: text("country").notNull(),
    lat: real("lat").notNull(),
    lng: real("lng").notNull(),
  },
  (t) => [index("addresses_customer_idx").on(t.customerId)],
);

export const products = sqliteTable("products", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  sku: text("sku").notNull().unique(),
  name: text("name").notNull(),
  price: money("price"),
  currency: text("currency").notNull().default("EUR"),
  weightGrams: integer("weight_grams").notNull().default(500),
  allowBackorder: flag("allow_backorder"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
});

export const LOCATION_KINDS = ["warehouse", "3pl", "dropship"] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const locations = sqliteTable("locations", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  kind: text("kind", { enum: LOCATION_KINDS }).notNull(),
  city: text("city").notNull(),
  country: text("country").notNull(),
  lat: real("lat").notNull(),
  lng: real("lng").notNull(),
  /** Lower number wins a tie on distance. */
  priority: integer("priority").notNull().default(100),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  /** Hours a pending shipment from here may wait before it is late. */
  slaHours: integer("sla_hours").notNull().default(48),
});

export const inventory = sqliteTable(
  "inventory",
  {
    locationId: integer("location_id").notNull().references(() => locations.id),
    productId: integer("product_id").notNull().references(() => products.id),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    safetyStock: integer("safety_stock").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.locationId, t.productId] }),
    index("inventory_product_idx").on(t.productId),
    check("inventory_on_hand_nonneg", sql`${t.onHand} >= 0`),
    check("inventory_reserved_nonneg", sql`${t.reserved} >= 0`),
    check("inventory_safety_nonneg", sql`${t.safetyStock} >= 0`),
  ],
);

/** What a dropship supplier can send for us, instead of stock. */
export const supplierCatalog = sqliteTable(
  "supplier_catalog",
  {
    locationId: integer("location_id").notNull().references(() => locations.id),
    productId: integer("product_id").notNull().references(() => products.id),
    cost: money("cost"),
    currency: text("currency").notNull().default("EUR"),
    leadDays: integer("lead_days").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.productId] }), index("supplier_catalog_product_idx").on(t.productId)],
);

/**
 * Every stock receipt booked, one row per location, reference and SKU: booking the same reference
 * again at the same location is refused unless the lead says so (override).
 */
export const stockReceipts = sqliteTable(
  "stock_receipts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    locationId: integer("location_id").notNull().references(() => locations.id),
    /** The delivery note or PO, trimmed and upper-cased so "po-1 " and "PO-1" are one reference. */
    reference: text("reference").notNull(),
    productId: integer("product_id").notNull().references(() => products.id),
    sku: text("sku").notNull(),
    qty: integer("qty").notNull(),
    actorId: integer("actor_id").references(() => users.id),
    actorLabel: text("actor_label").notNull(),
    /** Booked although the reference was already booked here, on purpose. */
    override: flag("override"),
    createdAt: createdAt(),
  },
  (t) => [index("stock_receipts_reference_idx").on(t.locationId, t.reference, t.productId), check("stock_receipts_qty", sql`${t.qty} > 0`)],
);

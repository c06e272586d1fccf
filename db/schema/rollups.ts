import { sqliteTable, integer, text, primaryKey, index } from "drizzle-orm/sqlite-core";
import { timestamp } from "./columns.ts";

// Aggregates the screens read instead of scanning whole tables per request. Triggers in migration
// 0016_rollups keep each one in the same transaction as the change it counts (seed and intake included);
// the migration backfills them from the tables.
//
// Time is kept per UTC hour (`hour` = epoch ms / 3,600,000, integer), not per day: the screens' days are the
// viewer's days, and every zone with a whole-hour offset (daylight saving included) starts its days on an hour
// boundary, so any such range is a sum of whole hours. Whatever part of a range is not whole hours (a zone
// with a :30/:45 offset, an instant range) is read from the base table over its index (db/queries/rollup-range.ts).

/** Orders per status; one row per status ever seen. */
export const orderStatusCounts = sqliteTable("order_status_counts", {
  status: text("status").primaryKey(),
  orders: integer("orders").notNull().default(0),
});

/** Orders placed per UTC hour of placed_at. */
export const ordersPlacedHourly = sqliteTable("orders_placed_hourly", {
  hour: integer("hour").primaryKey(),
  orders: integer("orders").notNull().default(0),
});

/** Routing decisions per UTC hour and outcome, with how many split and backordered. */
export const routingHourly = sqliteTable(
  "routing_hourly",
  {
    hour: integer("hour").notNull(),
    outcome: text("outcome").notNull(),
    decisions: integer("decisions").notNull().default(0),
    split: integer("split").notNull().default(0),
    backordered: integer("backordered").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.outcome] })],
);

/** Per order: when it was first paid (audit) and first shipped (shipments), the inputs of paid → shipped. */
export const orderMilestones = sqliteTable(
  "order_milestones",
  {
    orderId: integer("order_id").primaryKey(),
    paidAt: timestamp("paid_at"),
    shippedAt: timestamp("shipped_at"),
  },
  // The partial hours at a range's ends are read from here by first shipment.
  (t) => [index("order_milestones_shipped_idx").on(t.shippedAt)],
);

/** Paid → first shipment, per UTC hour of the shipment, in tenths of an hour (the screen's precision). */
export const paidToShippedHourly = sqliteTable(
  "paid_to_shipped_hourly",
  {
    hour: integer("hour").notNull(),
    tenthHours: integer("tenth_hours").notNull(),
    orders: integer("orders").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.tenthHours] })],
);

/** Refunds per UTC hour of creation, currency and status: count and amount, for the refund history's totals. */
export const refundHourly = sqliteTable(
  "refund_hourly",
  {
    hour: integer("hour").notNull(),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    refunds: integer("refunds").notNull().default(0),
    amount: integer("amount").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.currency, t.status] })],
);

/** Live alerts (not resolved) per rule and status: unscoped alert chips, the metrics chart and the nav badge. */
export const alertCounts = sqliteTable(
  "alert_counts",
  {
    rule: text("rule").notNull(),
    status: text("status").notNull(),
    alerts: integer("alerts").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.rule, t.status] })],
);

/**
 * A version per table that screens cache a computation over (bumped by triggers in migration 0018 on
 * every insert, update and delete of the table): a process recomputes only when its table changed, in
 * whichever process the change was made. `refunds`: the approval queue's standing of every waiting request.
 */
export const tableVersions = sqliteTable("table_versions", {
  name: text("name").primaryKey(),
  version: integer("version").notNull().default(0),
});

import { sqliteTable, integer, text, primaryKey } from "drizzle-orm/sqlite-core";
import { timestamp } from "./columns.ts";

// Aggregates the screens read instead of scanning whole tables per request. Triggers in migration
// 0011_rollups keep each one in the same transaction as the change it counts (seed and intake included);
// the migration backfills them from the tables.

/** Orders per status; one row per status ever seen. */
export const orderStatusCounts = sqliteTable("order_status_counts", {
  status: text("status").primaryKey(),
  orders: integer("orders").notNull().default(0),
});

/** Routing decisions per UTC day and outcome, with how many split and backordered. */
export const routingDaily = sqliteTable(
  "routing_daily",
  {
    day: text("day").notNull(),
    outcome: text("outcome").notNull(),
    decisions: integer("decisions").notNull().default(0),
    split: integer("split").notNull().default(0),
    backordered: integer("backordered").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.outcome] })],
);

/** Per order: when it was first paid (audit) and first shipped (shipments), the inputs of paid → shipped. */
export const orderMilestones = sqliteTable("order_milestones", {
  orderId: integer("order_id").primaryKey(),
  paidAt: timestamp("paid_at"),
  shippedAt: timestamp("shipped_at"),
});

/** Paid → first shipment, per UTC day of the shipment, in tenths of an hour (the screen's precision). */
export const paidToShippedDaily = sqliteTable(
  "paid_to_shipped_daily",
  {
    day: text("day").notNull(),
    tenthHours: integer("tenth_hours").notNull(),
    orders: integer("orders").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.tenthHours] })],
);

/** Paid → first shipment over all time, in tenths of an hour: the metrics page without a range reads this, not every day. */
export const paidToShippedTotals = sqliteTable("paid_to_shipped_totals", {
  tenthHours: integer("tenth_hours").primaryKey(),
  orders: integer("orders").notNull().default(0),
});

/** Refunds per UTC day of creation, currency and status: count and amount, for the refund history's totals. */
export const refundDaily = sqliteTable(
  "refund_daily",
  {
    day: text("day").notNull(),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    refunds: integer("refunds").notNull().default(0),
    amount: integer("amount").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.currency, t.status] })],
);

/** Live alerts (not resolved) per rule and status: the alert chips, the metrics chart and the nav badge. */
export const alertCounts = sqliteTable(
  "alert_counts",
  {
    rule: text("rule").notNull(),
    status: text("status").notNull(),
    alerts: integer("alerts").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.rule, t.status] })],
);

import { sqliteTable, integer, text, index, check, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { createdAt, flag, money, timestamp } from "./columns.ts";
import { customers, addresses, products, locations } from "./catalog.ts";
import { users } from "./auth.ts";

export const ORDER_STATUSES = [
  "pending",
  "payment_processing",
  "paid",
  "awaiting_fulfillment",
  "partially_fulfilled",
  "fulfilled",
  "delivered",
  "refunded",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orders = sqliteTable(
  "orders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Human order number, e.g. SY-100001. */
    number: text("number").notNull().unique(),
    customerId: integer("customer_id").notNull().references(() => customers.id),
    shipAddressId: integer("ship_address_id").notNull().references(() => addresses.id),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    shipComplete: flag("ship_complete"),
    currency: text("currency").notNull(),
    subtotal: money("subtotal"),
    shipping: money("shipping"),
    tax: money("tax"),
    total: money("total"),
    paid: money("paid"),
    refunded: money("refunded"),
    placedAt: timestamp("placed_at").notNull(),
    statusChangedAt: timestamp("status_changed_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    /** Bumped by every change to the order (a trigger on its audit rows): stale screens compare it. */
    version: integer("version").notNull().default(0),
    /** The payment provider's payment intent (Stripe pi_…), set when its payment is captured; refunds are matched by it. */
    paymentIntentId: text("payment_intent_id"),
    /** The order's id in the system it was placed in, e.g. "shopify:820982911946154508"; null for our own. */
    externalRef: text("external_ref"),
  },
  (t) => [
    index("orders_status_placed_idx").on(t.status, t.placedAt, t.id),
    index("orders_placed_idx").on(t.placedAt, t.id),
    index("orders_customer_idx").on(t.customerId),
    // The orders API filters by updated_after.
    index("orders_updated_idx").on(t.updatedAt),
    uniqueIndex("orders_payment_intent_uq").on(t.paymentIntentId).where(sql`${t.paymentIntentId} IS NOT NULL`),
    uniqueIndex("orders_external_ref_uq").on(t.externalRef).where(sql`${t.externalRef} IS NOT NULL`),
    check("orders_refund_le_paid", sql`${t.refunded} <= ${t.paid}`),
    check("orders_money_nonneg", sql`${t.paid} >= 0 AND ${t.refunded} >= 0 AND ${t.total} >= 0`),
  ],
);

export const orderLines = sqliteTable(
  "order_lines",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id").notNull().references(() => orders.id),
    productId: integer("product_id").notNull().references(() => products.id),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    qtyOrdered: integer("qty_ordered").notNull(),
    qtyCancelled: integer("qty_cancelled").notNull().default(0),
    unitPrice: money("unit_price"),
  },
  (t) => [
    index("order_lines_order_idx").on(t.orderId),
    // (sku, order_id): the orders holding a SKU are read from the index alone (combined search, SKU search).
    index("order_lines_sku_idx").on(t.sku, t.orderId),
    check("order_lines_qty", sql`${t.qtyOrdered} > 0 AND ${t.qtyCancelled} >= 0 AND ${t.qtyCancelled} <= ${t.qtyOrdered}`),
  ],
);

export const SHIPMENT_STATUSES = ["pending", "picking", "packed", "shipped", "delivered", "cancelled"] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const shipments = sqliteTable(
  "shipments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id").notNull().references(() => orders.id),
    locationId: integer("location_id").notNull().references(() => locations.id),
    status: text("status", { enum: SHIPMENT_STATUSES }).notNull().default("pending"),
    /** True when a dropship supplier sends it; no stock is reserved for it. */
    dropship: flag("dropship"),
    carrier: text("carrier"),
    trackingNumber: text("tracking_number"),
    /** When the shipment should have left, from the location's SLA or the supplier's lead time. */
    shipBy: timestamp("ship_by").notNull(),
    /** The ship-by promised before the first move (kept through later moves); null while never moved. */
    promisedShipBy: timestamp("promised_ship_by"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
    shippedAt: timestamp("shipped_at"),
    deliveredAt: timestamp("delivered_at"),
  },
  (t) => [
    index("shipments_order_idx").on(t.orderId),
    index("shipments_status_idx").on(t.status, t.shipBy),
    index("shipments_tracking_idx").on(t.trackingNumber),
    // The warehouse queue: one location's open shipments by ship-by, keyset on (ship_by, id).
    index("shipments_location_status_idx").on(t.locationId, t.status, t.shipBy),
    // Moved shipments whose original promise may make them overdue before their new ship-by.
    index("shipments_promised_idx").on(t.status, t.promisedShipBy).where(sql`${t.promisedShipBy} IS NOT NULL`),
  ],
);

export const shipmentLines = sqliteTable(
  "shipment_lines",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shipmentId: integer("shipment_id").notNull().references(() => shipments.id),
    orderLineId: integer("order_line_id").notNull().references(() => orderLines.id),
    /** The units this shipment carries now (0 once every unit left it). */
    qty: integer("qty").notNull(),
    /** What left it while pending, kept as history: moved to another shipment, backordered, or cancelled. */
    qtyMoved: integer("qty_moved").notNull().default(0),
    qtyBackordered: integer("qty_backordered").notNull().default(0),
    qtyCancelled: integer("qty_cancelled").notNull().default(0),
  },
  (t) => [
    index("shipment_lines_shipment_idx").on(t.shipmentId),
    index("shipment_lines_line_idx").on(t.orderLineId),
    check(
      "shipment_lines_qty",
      sql`${t.qty} >= 0 AND ${t.qtyMoved} >= 0 AND ${t.qtyBackordered} >= 0 AND ${t.qtyCancelled} >= 0 AND ${t.qty} + ${t.qtyMoved} + ${t.qtyBackordered} + ${t.qtyCancelled} > 0`,
    ),
  ],
);

export const BACKORDER_STATUSES = ["pending", "allocated", "cancelled"] as const;
export const CUSTOMER_CHOICES = ["not_asked", "asked", "wait", "cancel"] as const;

export const backorders = sqliteTable(
  "backorders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id").notNull().references(() => orders.id),
    orderLineId: integer("order_line_id").notNull().references(() => orderLines.id),
    productId: integer("product_id").notNull().references(() => products.id),
    qty: integer("qty").notNull(),
    status: text("status", { enum: BACKORDER_STATUSES }).notNull().default("pending"),
    customerChoice: text("customer_choice", { enum: CUSTOMER_CHOICES }).notNull().default("not_asked"),
    reason: text("reason"),
    /** FIFO key for restock. */
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [
    index("backorders_fifo_idx").on(t.productId, t.status, t.createdAt, t.id),
    index("backorders_order_idx").on(t.orderId),
    check("backorders_qty", sql`${t.qty} > 0`),
  ],
);

/**
 * pending_approval: over the agent limit, waiting for finance. approved: being paid out.
 * on_hold: owed for cancelled units, but the money is held by requests waiting for finance; released
 * (paid, or resolved as already covered) when they are decided.
 */
export const REFUND_STATUSES = ["pending_approval", "approved", "on_hold", "rejected", "succeeded", "failed"] as const;
/** amount: goodwill, tied to no unit. units: chosen units of lines. cancellation: owed for cancelled units. */
export const REFUND_KINDS = ["amount", "units", "cancellation"] as const;
export type RefundKind = (typeof REFUND_KINDS)[number];
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const refunds = sqliteTable(
  "refunds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id").notNull().references(() => orders.id),
    amount: money("amount"),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: REFUND_STATUSES }).notNull(),
    kind: text("kind", { enum: REFUND_KINDS }).notNull().default("amount"),
    /** Which units this refund is for, when it was computed from lines. */
    lines: text("lines", { mode: "json" }).$type<{ orderLineId: number; qty: number }[]>(),
    requestedBy: integer("requested_by").references(() => users.id),
    decidedBy: integer("decided_by").references(() => users.id),
    decisionNote: text("decision_note"),
    /** The agent's words to the customer, sent with the refund; the reason stays internal. */
    customerMessage: text("customer_message"),
    providerRef: text("provider_ref"),
    /** Why the provider refused the payout (status failed); finance may retry it. */
    failureReason: text("failure_reason"),
    createdAt: createdAt(),
    decidedAt: timestamp("decided_at"),
    completedAt: timestamp("completed_at"),
  },
  (t) => [
    index("refunds_order_idx").on(t.orderId),
    index("refunds_status_created_idx").on(t.status, t.createdAt),
    // The history newest first; amount, status and currency ride along so totals over a filtered range
    // (an amount or a partial hour, which the hourly rollup cannot answer) read the index, not every row.
    index("refunds_created_idx").on(t.createdAt, t.id, t.currency, t.status, t.amount),
    index("refunds_requested_by_idx").on(t.requestedBy, t.createdAt, t.id),
    index("refunds_decided_by_idx").on(t.decidedBy, t.createdAt, t.id),
    // The currency picker (a few probes, not a pass over every refund) and the history's currency filter.
    index("refunds_currency_created_idx").on(t.currency, t.createdAt, t.id, t.status, t.amount),
    check("refunds_amount_pos", sql`${t.amount} > 0`),
  ],
);

/**
 * What a refund covers, per line and unit (with the units' tax share) and per shipping share: the one
 * account that refunds by units, cancellation refunds and waiting requests all draw on.
 */
export const refundItems = sqliteTable(
  "refund_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    refundId: integer("refund_id").notNull().references(() => refunds.id),
    orderId: integer("order_id").notNull().references(() => orders.id),
    /** Null for the shipping share. */
    orderLineId: integer("order_line_id").references(() => orderLines.id),
    qty: integer("qty").notNull().default(0),
    amount: money("amount"),
  },
  (t) => [
    index("refund_items_refund_idx").on(t.refundId),
    index("refund_items_order_idx").on(t.orderId),
    check("refund_items_nonneg", sql`${t.qty} >= 0 AND ${t.amount} >= 0`),
  ],
);

export const notes = sqliteTable(
  "notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id").notNull().references(() => orders.id),
    authorId: integer("author_id").references(() => users.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("notes_order_idx").on(t.orderId)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id").notNull().references(() => orders.id),
    customerId: integer("customer_id").notNull().references(() => customers.id),
    channel: text("channel", { enum: ["email", "sms"] }).notNull().default("email"),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    /** The plain-text message (what the timeline shows). */
    body: text("body").notNull(),
    /** The same message as HTML, every customer-provided text escaped; null on rows from before email. */
    html: text("html"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at"),
    /** recorded: on the timeline only (no SMTP); pending → sent / failed when email is configured (delivery_error also notes a retried attempt while pending). */
    delivery: text("delivery", { enum: ["recorded", "pending", "sent", "failed"] }).notNull().default("recorded"),
    deliveryError: text("delivery_error"),
  },
  (t) => [index("notifications_order_idx").on(t.orderId)],
);

export const ROUTING_OUTCOMES = ["single", "split", "dropship", "backordered", "held"] as const;

export const routingDecisions = sqliteTable(
  "routing_decisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: integer("order_id").notNull().references(() => orders.id),
    outcome: text("outcome", { enum: ROUTING_OUTCOMES }).notNull(),
    split: flag("split"),
    dropship: flag("dropship"),
    backordered: flag("backordered"),
    held: flag("held"),
    shipmentCount: integer("shipment_count").notNull().default(0),
    /** The plan and every candidate with the reason it was chosen or rejected. */
    plan: text("plan", { mode: "json" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("routing_decisions_order_idx").on(t.orderId), index("routing_decisions_created_idx").on(t.createdAt, t.id)],
);

export const ALERT_STATUSES = ["open", "acknowledged", "resolved"] as const;

export const alerts = sqliteTable(
  "alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    rule: text("rule").notNull(),
    /** One open alert per rule and subject, e.g. "shipment:42". */
    subject: text("subject").notNull(),
    orderId: integer("order_id").references(() => orders.id),
    status: text("status", { enum: ALERT_STATUSES }).notNull().default("open"),
    raisedAt: timestamp("raised_at").notNull(),
    /** When the stuck condition began, for the alert's age. */
    since: timestamp("since").notNull(),
    acknowledgedBy: integer("acknowledged_by").references(() => users.id),
    /** Who owns it: set by assigning (without acknowledging) or by acknowledging. */
    ownerId: integer("owner_id").references(() => users.id),
    assignedAt: timestamp("assigned_at"),
    acknowledgedAt: timestamp("acknowledged_at"),
    note: text("note"),
    snoozedUntil: timestamp("snoozed_until"),
    resolvedAt: timestamp("resolved_at"),
    data: text("data", { mode: "json" }),
    /** A shipment alert's location, kept by triggers from its subject's shipment (migration 0017): a lead's scope by index. */
    locationId: integer("location_id").references(() => locations.id),
  },
  (t) => [
    uniqueIndex("alerts_live_subject_uq").on(t.rule, t.subject).where(sql`${t.status} <> 'resolved'`),
    index("alerts_status_idx").on(t.status, t.raisedAt),
    index("alerts_order_idx").on(t.orderId, t.status),
    // The alerts list: live alerts oldest condition first, all of them, one rule's or one status's.
    index("alerts_live_since_idx").on(t.since, t.id).where(sql`${t.status} <> 'resolved'`),
    index("alerts_live_rule_since_idx").on(t.rule, t.since, t.id).where(sql`${t.status} <> 'resolved'`),
    index("alerts_status_since_idx").on(t.status, t.since, t.id),
    // A lead's alerts: their location's live shipment alerts, oldest first, and their count.
    index("alerts_live_location_since_idx").on(t.locationId, t.since, t.id).where(sql`${t.status} <> 'resolved'`),
  ],
);

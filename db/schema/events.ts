import { sqliteTable, integer, text, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { createdAt, timestamp } from "./columns.ts";
import { orders } from "./orders.ts";
import { users } from "./auth.ts";

/** Append-only: triggers in migration 0001 refuse UPDATE and DELETE. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    entityType: text("entity_type").notNull(),
    entityId: integer("entity_id").notNull(),
    orderId: integer("order_id").references(() => orders.id),
    /** Null for the system (worker, webhooks). */
    actorId: integer("actor_id").references(() => users.id),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    reason: text("reason"),
    data: text("data", { mode: "json" }),
    createdAt: createdAt(),
  },
  (t) => [index("audit_events_order_idx").on(t.orderId, t.createdAt), index("audit_events_entity_idx").on(t.entityType, t.entityId)],
);

/** Messages another system must hear about, written in the same transaction as the change. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    topic: text("topic").notNull(),
    aggregateType: text("aggregate_type").notNull(),
    aggregateId: integer("aggregate_id").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    createdAt: createdAt(),
    availableAt: timestamp("available_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    deliveredAt: timestamp("delivered_at"),
    lastError: text("last_error"),
  },
  // (topic, id): a consumer's backlog counted per topic it accepts after its cursor, without scanning the outbox.
  (t) => [index("outbox_pending_idx").on(t.availableAt).where(sql`${t.deliveredAt} IS NULL`), index("outbox_topic_id_idx").on(t.topic, t.id)],
);

/**
 * Each outbox consumer's own delivery state (search index, later webhooks, email…): every message up to
 * `last_id` is done for it. A consumer that is not running keeps its place and catches up when it runs;
 * one failing never holds back another. The per-row delivered_at / attempts / last_error of `outbox`
 * predate this table and are no longer written.
 */
export const outboxCursors = sqliteTable("outbox_cursors", {
  consumer: text("consumer").primaryKey(),
  lastId: integer("last_id").notNull().default(0),
  /** Failed attempts in a row at the batch after last_id (0 while healthy). */
  attempts: integer("attempts").notNull().default(0),
  /** While failing: not before this time (the worker may probe the target sooner). */
  retryAt: timestamp("retry_at"),
  failingSince: timestamp("failing_since"),
  /** The last outbox id of the batch that failed, so alerts can name its messages. */
  failingTo: integer("failing_to"),
  lastError: text("last_error"),
  deliveredAt: timestamp("delivered_at"),
  /** The consumer's own notes as JSON (the search index: its high-water mark and rebuild progress). */
  state: text("state", { mode: "json" }),
  updatedAt: timestamp("updated_at").notNull(),
});

/** Work for the worker process (routing after payment, alert evaluation); claimed with a lease. */
export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    /** Deduplicates queued work, e.g. "route:42". */
    key: text("key"),
    payload: text("payload", { mode: "json" }).notNull(),
    runAt: timestamp("run_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lockedBy: text("locked_by"),
    lockedUntil: timestamp("locked_until"),
    doneAt: timestamp("done_at"),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("jobs_ready_idx").on(t.kind, t.runAt).where(sql`${t.doneAt} IS NULL`),
    uniqueIndex("jobs_open_key_uq").on(t.key).where(sql`${t.doneAt} IS NULL`),
  ],
);

export const WEBHOOK_SOURCES = ["stripe", "shopify", "warehouse"] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];
/** Where a stored incoming event came from: a signed webhook, or the orders API (authenticated by an API key). */
export const INTAKE_SOURCES = [...WEBHOOK_SOURCES, "api"] as const;
export type IntakeSource = (typeof INTAKE_SOURCES)[number];
/** received: stored, not yet decided (never seen after a commit). duplicate answers are not stored again: the original's `duplicates` counts them. */
export const WEBHOOK_OUTCOMES = ["received", "applied", "ignored", "parked", "rejected"] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** Every signed event received, raw, once per (source, event id); its payload is immutable (a trigger refuses changes). */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    source: text("source", { enum: INTAKE_SOURCES }).notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    orderId: integer("order_id").references(() => orders.id),
    /** The raw body exactly as received (UTF-8). */
    payload: text("payload").notNull(),
    receivedAt: timestamp("received_at").notNull(),
    processedAt: timestamp("processed_at"),
    outcome: text("outcome", { enum: WEBHOOK_OUTCOMES }),
    /** Why it was rejected; alerts raise on it, so only rejections set it. */
    error: text("error"),
    /** Why it was ignored or parked. */
    reason: text("reason"),
    /** What a parked event waits for, e.g. "order:42", "external:shopify:1001", "pi:pi_123": retried when that order changes. */
    waitingFor: text("waiting_for"),
    /** The order's version when it was parked: the worker retries once the order has changed since. */
    orderVersion: integer("order_version"),
    attempts: integer("attempts").notNull().default(0),
    /** Deliveries of the same event after the first, answered 200 without applying. */
    duplicates: integer("duplicates").notNull().default(0),
  },
  (t) => [
    uniqueIndex("webhook_events_source_event_uq").on(t.source, t.eventId),
    index("webhook_events_order_idx").on(t.orderId),
    index("webhook_events_received_idx").on(t.receivedAt, t.id),
    index("webhook_events_waiting_idx").on(t.waitingFor).where(sql`${t.outcome} = 'parked'`),
    // The worker looks for parked events on every loop: only parked rows are in this index, so it stays small.
    index("webhook_events_parked_idx").on(t.orderId).where(sql`${t.outcome} = 'parked'`),
  ],
);

/** The signing secret per source; the previous one is still accepted until `previousValidUntil` (rotation grace). */
export const webhookEndpoints = sqliteTable("webhook_endpoints", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  source: text("source").notNull().unique(),
  /** HMAC-SHA256 secret for incoming webhooks from this source. */
  secret: text("secret").notNull(),
  createdBy: integer("created_by").references(() => users.id),
  createdAt: createdAt(),
  rotatedAt: timestamp("rotated_at"),
  previousSecret: text("previous_secret"),
  previousValidUntil: timestamp("previous_valid_until"),
});

export type AuditActor = { id: number | null; label: string };


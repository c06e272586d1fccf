import { sqliteTable, integer, text, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp } from "./columns.ts";
import { users } from "./auth.ts";

export const DEAD_LETTER_STATUSES = ["dead", "retrying", "redelivered", "discarded"] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/**
 * A message one consumer failed on N times in a row (settings.outbox_delivery.maxAttempts): a copy of the row
 * moves here so that consumer's cursor can pass it. An admin retries (the worker delivers the copy again,
 * same message id) or discards it; each is audited.
 */
export const outboxDeadLetters = sqliteTable(
  "outbox_dead_letters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    consumer: text("consumer").notNull(),
    outboxId: integer("outbox_id").notNull(),
    topic: text("topic").notNull(),
    aggregateType: text("aggregate_type").notNull(),
    aggregateId: integer("aggregate_id").notNull(),
    payload: text("payload").notNull(),
    /** When the original message was written (its age on the admin screen). */
    messageAt: timestamp("message_at").notNull(),
    status: text("status", { enum: DEAD_LETTER_STATUSES }).notNull().default("dead"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
    resolvedBy: integer("resolved_by").references(() => users.id),
  },
  (t) => [uniqueIndex("outbox_dead_letters_consumer_msg_uq").on(t.consumer, t.outboxId), index("outbox_dead_letters_status_idx").on(t.status, t.consumer)],
);

/** An admin's subscriber: the event types it hears, at a URL, signed per the Standard Webhooks spec. */
export const webhookSubscriptions = sqliteTable("webhook_subscriptions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  url: text("url").notNull(),
  /** JSON array of event types, e.g. ["order.created","refund.succeeded"]. */
  eventTypes: text("event_types").notNull(),
  /** `whsec_<base64>`; shown once when created or rotated. */
  secret: text("secret").notNull(),
  /** The secret before the last rotation: requests are signed with both until `previous_valid_until`. */
  previousSecret: text("previous_secret"),
  previousValidUntil: timestamp("previous_valid_until"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  disabledReason: text("disabled_reason"),
  createdBy: integer("created_by").references(() => users.id),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at").notNull(),
});

/** Every attempt at one subscriber: the delivery log on the admin screen. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    subscriptionId: integer("subscription_id").notNull(),
    outboxId: integer("outbox_id").notNull(),
    /** The `webhook-id` header: the same on every retry of this message to this subscriber. */
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_deliveries_sub_idx").on(t.subscriptionId, t.id), index("webhook_deliveries_msg_idx").on(t.subscriptionId, t.outboxId)],
);

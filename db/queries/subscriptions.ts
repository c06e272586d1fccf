// Outgoing webhook subscriptions and their delivery log. No "server-only": the worker delivers from here too.
import type { DB, Tx } from "../client.ts";
import { json, prepared } from "../raw.ts";

/** A subscription as the worker signs with it: secrets included. Never handed to a page. */
export type SubscriptionRow = {
  id: number;
  url: string;
  eventTypes: string[];
  secret: string;
  previousSecret: string | null;
  previousValidUntil: number | null;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: number;
  updatedAt: number;
};

/** What the admin screens show: no secret, and the last attempt at a glance. */
export type SubscriptionSummary = Omit<SubscriptionRow, "secret" | "previousSecret"> & {
  createdByName: string | null;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastOk: boolean | null;
};

type Raw = Omit<SubscriptionRow, "eventTypes" | "enabled"> & { eventTypes: string; enabled: number };
const parse = (r: Raw): SubscriptionRow => ({ ...r, eventTypes: JSON.parse(r.eventTypes) as string[], enabled: r.enabled === 1 });

const COLUMNS = `s.id, s.url, s.event_types AS eventTypes, s.secret, s.previous_secret AS previousSecret, s.previous_valid_until AS previousValidUntil,
  s.enabled, s.disabled_reason AS disabledReason, s.created_at AS createdAt, s.updated_at AS updatedAt`;

export function subscriptionById(db: DB | Tx, id: number): SubscriptionRow | undefined {
  const r = prepared(db, `SELECT ${COLUMNS} FROM webhook_subscriptions s WHERE s.id = ?`).get(id) as Raw | undefined;
  return r ? parse(r) : undefined;
}

const SUMMARY = `SELECT s.id, s.url, s.event_types AS eventTypes, s.previous_valid_until AS previousValidUntil, s.enabled, s.disabled_reason AS disabledReason,
  s.created_at AS createdAt, s.updated_at AS updatedAt, u.name AS createdByName, d.created_at AS lastAttemptAt, d.status_code AS lastStatusCode, d.ok AS lastOk
  FROM webhook_subscriptions s LEFT JOIN users u ON u.id = s.created_by
  LEFT JOIN webhook_deliveries d ON d.id = (SELECT max(id) FROM webhook_deliveries WHERE subscription_id = s.id)`;
type RawSummary = Omit<SubscriptionSummary, "eventTypes" | "enabled" | "lastOk"> & { eventTypes: string; enabled: number; lastOk: number | null };
const summary = (r: RawSummary): SubscriptionSummary => ({ ...r, eventTypes: JSON.parse(r.eventTypes) as string[], enabled: r.enabled === 1, lastOk: r.lastOk === null ? null : r.lastOk === 1 });

/** Every subscription, newest first, disabled ones last. */
export function listSubscriptions(db: DB | Tx): SubscriptionSummary[] {
  return (prepared(db, `${SUMMARY} ORDER BY s.enabled DESC, s.id DESC`).all() as RawSummary[]).map(summary);
}

export function subscriptionSummary(db: DB | Tx, id: number): SubscriptionSummary | undefined {
  const r = prepared(db, `${SUMMARY} WHERE s.id = ?`).get(id) as RawSummary | undefined;
  return r ? summary(r) : undefined;
}

export function enabledSubscriptionIds(db: DB | Tx): number[] {
  return (prepared(db, "SELECT id FROM webhook_subscriptions WHERE enabled = 1 ORDER BY id").all() as { id: number }[]).map((r) => r.id);
}

export function insertSubscription(tx: Tx, s: { url: string; eventTypes: string[]; secret: string; createdBy: number | null; at: number }): number {
  return (
    prepared(tx, "INSERT INTO webhook_subscriptions (url, event_types, secret, enabled, created_by, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?) RETURNING id").get(
      s.url,
      JSON.stringify(s.eventTypes),
      s.secret,
      s.createdBy,
      s.at,
      s.at,
    ) as { id: number }
  ).id;
}

/** The new secret signs from now on; the old one is kept (and signs too) until `previousValidUntil`. */
export function replaceSubscriptionSecret(tx: Tx, s: { id: number; secret: string; previousValidUntil: number; at: number }): void {
  prepared(tx, "UPDATE webhook_subscriptions SET previous_secret = secret, secret = ?, previous_valid_until = ?, updated_at = ? WHERE id = ?").run(s.secret, s.previousValidUntil, s.at, s.id);
}

export function updateSubscriptionEventTypes(tx: Tx, s: { id: number; eventTypes: string[]; at: number }): void {
  prepared(tx, "UPDATE webhook_subscriptions SET event_types = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(s.eventTypes), s.at, s.id);
}

/** Enables or disables a subscription that is not already so; false when it was (someone else changed it first). */
export function setSubscriptionEnabled(tx: Tx, s: { id: number; enabled: boolean; reason: string | null; at: number }): boolean {
  return (
    prepared(tx, "UPDATE webhook_subscriptions SET enabled = ?, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = ?").run(
      s.enabled ? 1 : 0,
      s.enabled ? null : s.reason,
      s.at,
      s.id,
      s.enabled ? 0 : 1,
    ).changes === 1
  );
}

export type DeliveryAttempt = {
  subscriptionId: number;
  outboxId: number;
  messageId: string;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  at: number;
};

/** One attempt at one subscriber, written on its own after the call (never inside a transaction that waits on it). */
export function insertDeliveryAttempt(db: DB | Tx, a: DeliveryAttempt): void {
  prepared(
    db,
    `INSERT INTO webhook_deliveries (subscription_id, outbox_id, message_id, event_type, attempt, status_code, ok, latency_ms, error, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(a.subscriptionId, a.outboxId, a.messageId, a.eventType, a.attempt, a.statusCode, a.ok ? 1 : 0, a.latencyMs, a.error?.slice(0, 2000) ?? null, a.at);
}

/** How often this message was tried at this subscriber, and whether one of the tries was taken (2xx). */
export function deliveryHistory(db: DB | Tx, subscriptionId: number, outboxId: number): { attempts: number; delivered: boolean } {
  const r = prepared(db, "SELECT count(*) AS attempts, coalesce(max(ok), 0) AS delivered FROM webhook_deliveries WHERE subscription_id = ? AND outbox_id = ?").get(subscriptionId, outboxId) as {
    attempts: number;
    delivered: number;
  };
  return { attempts: r.attempts, delivered: r.delivered === 1 };
}

export type DeliveryLogRow = Omit<DeliveryAttempt, "subscriptionId" | "at"> & { id: number; createdAt: number };

/** The newest attempts at one subscriber first. */
export function listDeliveryAttempts(db: DB | Tx, subscriptionId: number, limit = 100): DeliveryLogRow[] {
  return (
    prepared(
      db,
      `SELECT id, outbox_id AS outboxId, message_id AS messageId, event_type AS eventType, attempt, status_code AS statusCode, ok, latency_ms AS latencyMs, error, created_at AS createdAt
       FROM webhook_deliveries WHERE subscription_id = ? ORDER BY id DESC LIMIT ?`,
    ).all(subscriptionId, limit) as (Omit<DeliveryLogRow, "ok"> & { ok: number })[]
  ).map((r) => ({ ...r, ok: r.ok === 1 }));
}

/** The order number a message names, for subscribers who know orders by number. */
export function orderNumberById(db: DB | Tx, orderId: number): string | null {
  return (prepared(db, "SELECT number FROM orders WHERE id = ?").get(orderId) as { number: string } | undefined)?.number ?? null;
}

/** Raises the alert for a subscription the receiver turned away (idempotent: one live alert per subscription). */
export function raiseSubscriptionAlert(tx: Tx, a: { rule: string; subscriptionId: number; at: number; data: unknown }): void {
  prepared(tx, "INSERT INTO alerts (rule, subject, order_id, status, raised_at, since, data) VALUES (?, ?, NULL, 'open', ?, ?, ?) ON CONFLICT DO NOTHING").run(
    a.rule,
    `webhook_subscription:${a.subscriptionId}`,
    a.at,
    a.at,
    json(a.data),
  );
}

export function resolveSubscriptionAlert(tx: Tx, a: { rule: string; subscriptionId: number; at: number }): void {
  prepared(tx, "UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE rule = ? AND subject = ? AND status <> 'resolved'").run(a.at, a.rule, `webhook_subscription:${a.subscriptionId}`);
}

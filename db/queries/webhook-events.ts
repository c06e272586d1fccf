// The intake's reads and writes of webhook_events. No "server-only": the worker (plain Node) retries parked events too.
import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";
import type { IntakeSource, WebhookOutcome, WebhookSource } from "../schema/index.ts";

export type StoredEvent = { id: number; source: IntakeSource; eventId: string; type: string; payload: string; outcome: WebhookOutcome | null; orderId: number | null; attempts: number };

const COLUMNS = "id, source, event_id AS eventId, type, payload, outcome, order_id AS orderId, attempts";

/** Stores a received event once per (source, event id); null when it was already stored (a duplicate). */
export function insertReceivedEvent(tx: Tx, e: { source: IntakeSource; eventId: string; type: string; payload: string; at: number }): number | null {
  const row = prepared(
    tx,
    `INSERT INTO webhook_events (source, event_id, type, payload, received_at, outcome) VALUES (?, ?, ?, ?, ?, 'received')
     ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
  ).get(e.source, e.eventId, e.type, e.payload, e.at) as { id: number } | undefined;
  return row?.id ?? null;
}

/** Counts a repeated delivery on the original and returns what became of it. */
export function countDuplicate(tx: Tx, source: IntakeSource, eventId: string): { id: number; outcome: WebhookOutcome | null; orderId: number | null } {
  return prepared(tx, "UPDATE webhook_events SET duplicates = duplicates + 1 WHERE source = ? AND event_id = ? RETURNING id, outcome, order_id AS orderId").get(source, eventId) as {
    id: number;
    outcome: WebhookOutcome | null;
    orderId: number | null;
  };
}

/** fields: which fields of the event a rejection is about (answered by the orders API, not stored). */
export type EventOutcome = {
  outcome: WebhookOutcome;
  orderId: number | null;
  error?: string | null;
  reason?: string | null;
  waitingFor?: string | null;
  orderVersion?: number | null;
  fields?: { pointer: string; message: string }[];
};

export function recordOutcome(tx: Tx, id: number, o: EventOutcome, at: number): void {
  prepared(
    tx,
    `UPDATE webhook_events SET outcome = ?, order_id = coalesce(?, order_id), error = ?, reason = ?, waiting_for = ?, order_version = ?, processed_at = ?, attempts = attempts + 1
     WHERE id = ?`,
  ).run(o.outcome, o.orderId, o.error ?? null, o.reason ?? null, o.waitingFor ?? null, o.orderVersion ?? null, at, id);
}

export function storedEvent(db: DB | Tx, id: number): StoredEvent | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM webhook_events WHERE id = ?`).get(id) as StoredEvent | undefined;
}

/** Parked events waiting for any of these keys, in the order they were received. */
export function parkedWaitingFor(tx: Tx, keys: string[]): StoredEvent[] {
  if (keys.length === 0) return [];
  return prepared(tx, `SELECT ${COLUMNS} FROM webhook_events WHERE outcome = 'parked' AND waiting_for IN (${keys.map(() => "?").join(", ")}) ORDER BY id`).all(...keys) as StoredEvent[];
}

/** Parked events whose order has changed since they were parked (routing, an agent's action): worth another try. */
export function parkedWithChangedOrders(db: DB | Tx, limit: number): StoredEvent[] {
  return prepared(
    db,
    `SELECT w.id, w.source, w.event_id AS eventId, w.type, w.payload, w.outcome, w.order_id AS orderId, w.attempts
     FROM webhook_events w INDEXED BY webhook_events_parked_idx JOIN orders o ON o.id = w.order_id
     WHERE w.outcome = 'parked' AND o.version <> coalesce(w.order_version, -1) ORDER BY w.id LIMIT ?`,
  ).all(limit) as StoredEvent[];
}

export type EndpointSecrets = { secret: string; previousSecret: string | null; previousValidUntil: number | null };

export function endpointSecrets(db: DB | Tx, source: WebhookSource): EndpointSecrets | undefined {
  return prepared(db, "SELECT secret, previous_secret AS previousSecret, previous_valid_until AS previousValidUntil FROM webhook_endpoints WHERE source = ?").get(source) as
    | EndpointSecrets
    | undefined;
}

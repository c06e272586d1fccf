import type { Tx } from "../db/client.ts";
import { json, prepared } from "../db/raw.ts";

/** Who did it: a signed-in user, or the system (worker, webhook, seed) with a null id. */
export type Actor = { id: number | null; label: string };
export const SYSTEM: Actor = { id: null, label: "system" };

export type AuditEntry = {
  entityType: string;
  entityId: number;
  orderId?: number | null;
  actor: Actor;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  data?: unknown;
  at: number;
};

/** Appends one row to the append-only audit trail; call inside the change's transaction. */
export function appendAudit(tx: Tx, e: AuditEntry): void {
  prepared(
    tx,
    `INSERT INTO audit_events (entity_type, entity_id, order_id, actor_id, actor_label, action, from_status, to_status, reason, data, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.entityType, e.entityId, e.orderId ?? null, e.actor.id, e.actor.label, e.action, e.fromStatus ?? null, e.toStatus ?? null, e.reason ?? null, json(e.data), e.at);
}

export type OutboxMessage = { topic: string; aggregateType: string; aggregateId: number; payload: unknown; at: number };

/** Records a message for the worker to deliver; never call the consumer directly. */
export function enqueueOutbox(tx: Tx, m: OutboxMessage): void {
  prepared(tx, "INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES (?, ?, ?, ?, ?, ?)").run(
    m.topic,
    m.aggregateType,
    m.aggregateId,
    json(m.payload),
    m.at,
    m.at,
  );
}

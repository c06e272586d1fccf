import { auditEvents, outbox } from "../db/schema/index.ts";
import type { Tx } from "../db/client.ts";

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
  tx.insert(auditEvents)
    .values({
      entityType: e.entityType,
      entityId: e.entityId,
      orderId: e.orderId ?? null,
      actorId: e.actor.id,
      actorLabel: e.actor.label,
      action: e.action,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      reason: e.reason ?? null,
      data: e.data ?? null,
      createdAt: e.at,
    })
    .run();
}

export type OutboxMessage = { topic: string; aggregateType: string; aggregateId: number; payload: unknown; at: number };

/** Records a message for the worker to deliver; never call the consumer directly. */
export function enqueueOutbox(tx: Tx, m: OutboxMessage): void {
  tx.insert(outbox)
    .values({
      topic: m.topic,
      aggregateType: m.aggregateType,
      aggregateId: m.aggregateId,
      payload: m.payload,
      createdAt: m.at,
      availableAt: m.at,
    })
    .run();
}

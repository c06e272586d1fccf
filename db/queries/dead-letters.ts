import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";
import type { DeadLetterStatus } from "../schema/delivery.ts";

type DeadLetter = {
  id: number;
  consumer: string;
  outboxId: number;
  topic: string;
  aggregateType: string;
  aggregateId: number;
  payload: string;
  messageAt: number;
  status: DeadLetterStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
};

const COLUMNS = `id, consumer, outbox_id AS outboxId, topic, aggregate_type AS aggregateType, aggregate_id AS aggregateId, payload, message_at AS messageAt,
  status, attempts, last_error AS lastError, created_at AS createdAt, updated_at AS updatedAt`;

/** Copies one outbox row aside for a consumer that gave up on it (a second give-up on the same row updates it). */
export function insertDeadLetter(db: DB | Tx, d: { consumer: string; outboxId: number; attempts: number; lastError: string; at: number }): void {
  prepared(
    db,
    `INSERT INTO outbox_dead_letters (consumer, outbox_id, topic, aggregate_type, aggregate_id, payload, message_at, status, attempts, last_error, created_at, updated_at)
     SELECT ?, id, topic, aggregate_type, aggregate_id, payload, created_at, 'dead', ?, ?, ?, ? FROM outbox WHERE id = ?
     ON CONFLICT (consumer, outbox_id) DO UPDATE SET status = 'dead', attempts = excluded.attempts, last_error = excluded.last_error, updated_at = excluded.updated_at`,
  ).run(d.consumer, d.attempts, d.lastError.slice(0, 2000), d.at, d.at, d.outboxId);
}

/** Dead letters an admin asked to deliver again, oldest first. */
export function deadLettersToRetry(db: DB | Tx, consumer: string, limit = 50): DeadLetter[] {
  return prepared(db, `SELECT ${COLUMNS} FROM outbox_dead_letters WHERE consumer = ? AND status = 'retrying' ORDER BY outbox_id LIMIT ?`).all(consumer, limit) as DeadLetter[];
}

/** Moves a dead letter from one status to another; false when someone else moved it first. */
export function setDeadLetterStatus(db: DB | Tx, s: { id: number; from: DeadLetterStatus; to: DeadLetterStatus; at: number; by?: number | null; error?: string }): boolean {
  return (
    prepared(
      db,
      `UPDATE outbox_dead_letters SET status = ?, updated_at = ?, resolved_by = coalesce(?, resolved_by), last_error = coalesce(?, last_error),
         attempts = attempts + CASE WHEN ? IS NULL THEN 0 ELSE 1 END WHERE id = ? AND status = ?`,
    ).run(s.to, s.at, s.by ?? null, s.error ?? null, s.error ?? null, s.id, s.from).changes === 1
  );
}



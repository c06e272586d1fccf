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

export type DeadLetterListing = Omit<DeadLetter, "aggregateType" | "aggregateId"> & { orderNumber: string | null; resolvedBy: string | null };

/** One consumer's dead letters (any consumer when none is named), oldest message first, by status; for the admin screen. */
export function listDeadLetters(db: DB | Tx, f: { consumer?: string; status?: DeadLetterStatus; limit?: number }): DeadLetterListing[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.consumer) {
    where.push("d.consumer = ?");
    params.push(f.consumer);
  }
  if (f.status) {
    where.push("d.status = ?");
    params.push(f.status);
  }
  return prepared(
    db,
    `SELECT d.id, d.consumer, d.outbox_id AS outboxId, d.topic, d.payload, d.message_at AS messageAt, d.status, d.attempts, d.last_error AS lastError,
            d.created_at AS createdAt, d.updated_at AS updatedAt, o.number AS orderNumber, u.name AS resolvedBy
     FROM outbox_dead_letters d LEFT JOIN orders o ON d.aggregate_type = 'order' AND o.id = d.aggregate_id LEFT JOIN users u ON u.id = d.resolved_by
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY d.outbox_id, d.id LIMIT ?`,
  ).all(...params, f.limit ?? 200) as DeadLetterListing[];
}

/** Dead letters per consumer and status (the status index answers it). */
export function deadLetterCounts(db: DB | Tx): { consumer: string; status: DeadLetterStatus; n: number }[] {
  return prepared(db, "SELECT consumer, status, count(*) AS n FROM outbox_dead_letters GROUP BY consumer, status ORDER BY consumer, status").all() as {
    consumer: string;
    status: DeadLetterStatus;
    n: number;
  }[];
}

type Moved = { id: number; outboxId: number; topic: string; aggregateType: string; aggregateId: number };

/**
 * Moves a consumer's dead letters in status `from` to `to` (the named ones, or every one of them), marking
 * who did it; returns the letters moved. A letter in another status (someone moved it first) is left alone.
 */
export function moveDeadLetters(tx: Tx, m: { consumer: string; ids: number[] | "all"; from: DeadLetterStatus; to: DeadLetterStatus; by: number | null; at: number }): Moved[] {
  const set = `UPDATE outbox_dead_letters SET status = ?, updated_at = ?, resolved_by = ? WHERE consumer = ? AND status = ?`;
  const returning = "RETURNING id, outbox_id AS outboxId, topic, aggregate_type AS aggregateType, aggregate_id AS aggregateId";
  if (m.ids === "all") return prepared(tx, `${set} ${returning}`).all(m.to, m.at, m.by, m.consumer, m.from) as Moved[];
  const one = prepared(tx, `${set} AND id = ? ${returning}`);
  return m.ids.flatMap((id) => one.all(m.to, m.at, m.by, m.consumer, m.from, id) as Moved[]);
}


import type { DB } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { advanceCursor, openCursor, pendingFor, recordFailure } from "./cursors.ts";

export type OutboxRow = { id: number; topic: string; aggregateType: string; aggregateId: number; payload: unknown; createdAt: number };

/**
 * A consumer of outbox messages (search index; later webhooks, email, the bus). Each has its own cursor
 * (lib/worker/cursors.ts) and advances on its own. `deliver` must be idempotent: a batch that fails is
 * retried whole, so a message may arrive twice, never not at all.
 */
export type OutboxConsumer = {
  /** Names its cursor: keep it stable, or the consumer starts again from the first message. */
  name: string;
  accepts: (topic: string) => boolean;
  /** Throws to retry the batch after a backoff; throws DeliveryDeferred to wait without counting a failure. */
  deliver: (rows: OutboxRow[]) => Promise<void>;
  /** A cheap health check, polled every second while the consumer backs off: true retries at once. */
  probe?: () => Promise<boolean>;
  /** Called on every pass, messages or not: the consumer checks its own target here (rate-limited by itself). */
  maintain?: () => Promise<void>;
};

/** Not a failure: the consumer cannot take messages yet (its index is being rebuilt); the batch waits. */
export class DeliveryDeferred extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryDeferred";
  }
}

type PassOutcome = "idle" | "delivered" | "failed" | "deferred" | "waiting";
type Pass = { outcome: PassOutcome; handled: number; error?: string };

type Row = OutboxRow & { payload: string };

/** The next batch after the consumer's cursor, delivered, deferred or backed off. */
export async function deliverNext(db: DB, consumer: OutboxConsumer, o: { limit?: number; now?: number } = {}): Promise<Pass> {
  const now = o.now ?? Date.now();
  const cursor = openCursor(db, consumer.name, now);
  if (cursor.retryAt !== null && cursor.retryAt > now) return { outcome: "waiting", handled: 0 };
  const rows = (
    prepared(
      db,
      `SELECT id, topic, aggregate_type AS aggregateType, aggregate_id AS aggregateId, payload, created_at AS createdAt
       FROM outbox WHERE id > ? ORDER BY id LIMIT ?`,
    ).all(cursor.lastId, o.limit ?? 500) as Row[]
  ).map((r): OutboxRow => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
  if (rows.length === 0) return { outcome: "idle", handled: 0 };
  const last = rows.at(-1)!.id;
  const mine = rows.filter((r) => consumer.accepts(r.topic));
  try {
    if (mine.length) await consumer.deliver(mine);
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    if (error instanceof DeliveryDeferred) return { outcome: "deferred", handled: 0, error: message };
    recordFailure(db, consumer.name, { failingTo: last, error: message, now });
    return { outcome: "failed", handled: 0, error: message };
  }
  advanceCursor(db, consumer.name, last);
  return { outcome: "delivered", handled: rows.length };
}

/** One pass for every consumer, side by side (none waits for another); returns the messages handled in all. */
export async function deliverOutbox(db: DB, consumers: OutboxConsumer[], o: { limit?: number; now?: number } = {}): Promise<number> {
  const passes = await Promise.all(consumers.map((c) => deliverNext(db, c, o)));
  return passes.reduce((n, p) => n + p.handled, 0);
}

/** Messages the consumer has yet to take (all of them when it has never run). */
export function pendingOutboxCount(db: DB, consumer: string): number {
  return pendingFor(db, consumer).count;
}

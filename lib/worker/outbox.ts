import { and, asc, inArray, isNull, lte, sql } from "drizzle-orm";
import { outbox } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";

export type OutboxRow = { id: number; topic: string; aggregateType: string; aggregateId: number; payload: unknown; createdAt: number };

/**
 * A consumer of outbox messages (search index, notifier…). It must be idempotent: a batch
 * that fails is retried whole, so some messages may be delivered twice, none lost.
 */
export type OutboxConsumer = {
  name: string;
  accepts: (topic: string) => boolean;
  deliver: (rows: OutboxRow[]) => Promise<void>;
};

/** Delivers one batch of due messages to every consumer that wants them; returns how many were handled. */
export async function deliverOutbox(db: DB, consumers: OutboxConsumer[], o: { limit?: number; now?: number } = {}): Promise<number> {
  const now = o.now ?? Date.now();
  const rows = db
    .select({
      id: outbox.id,
      topic: outbox.topic,
      aggregateType: outbox.aggregateType,
      aggregateId: outbox.aggregateId,
      payload: outbox.payload,
      createdAt: outbox.createdAt,
      attempts: outbox.attempts,
    })
    .from(outbox)
    .where(and(isNull(outbox.deliveredAt), lte(outbox.availableAt, now)))
    .orderBy(asc(outbox.id))
    .limit(o.limit ?? 500)
    .all();
  if (rows.length === 0) return 0;
  try {
    for (const consumer of consumers) {
      const mine = rows.filter((r) => consumer.accepts(r.topic));
      if (mine.length) await consumer.deliver(mine);
    }
  } catch (error) {
    // Back off the whole batch; the consumer is down or refused it. Nothing is lost.
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
    const delay = Math.min(60_000, 250 * 2 ** Math.min(attempts, 8));
    db.update(outbox)
      .set({ attempts: sql`${outbox.attempts} + 1`, availableAt: now + delay, lastError: String((error as Error)?.message ?? error) })
      .where(inArray(outbox.id, rows.map((r) => r.id)))
      .run();
    return 0;
  }
  db.update(outbox)
    .set({ deliveredAt: Date.now(), lastError: null })
    .where(and(inArray(outbox.id, rows.map((r) => r.id)), isNull(outbox.deliveredAt)))
    .run();
  return rows.length;
}

export function pendingOutboxCount(db: DB): number {
  return db.select({ n: sql<number>`count(*)` }).from(outbox).where(isNull(outbox.deliveredAt)).get()?.n ?? 0;
}


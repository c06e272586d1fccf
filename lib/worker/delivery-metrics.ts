import type { DB, Tx } from "../../db/client.ts";
import { deadLetterCounts } from "../../db/queries/dead-letters.ts";
import { outboxTopics, topicBacklog } from "../../db/queries/delivery.ts";
import type { DeadLetterStatus } from "../../db/schema/delivery.ts";
import { listCursors, pendingFor } from "./cursors.ts";

export type ConsumerDelivery = {
  consumer: string;
  lastId: number;
  /** Messages after the cursor in the topics the consumer takes (every topic but those it is known to skip). */
  backlog: number;
  /** False until the worker has recorded which topics the consumer skips (its first pass): every message counts. */
  topicsKnown: boolean;
  /** Age of the oldest of those messages (null when none waits). */
  oldestMs: number | null;
  attempts: number;
  lastError: string | null;
  deadLetters: Record<DeadLetterStatus, number>;
};

/**
 * The Delivery panel of /alerts/metrics: per consumer, what waits for it and how old the oldest is, counted
 * from its cursor through the (topic, id) index, one range per topic it takes (never a scan of the
 * outbox), and its dead letters by status. A topic the worker has not yet classified for it (new since its
 * last pass) counts as waiting.
 */
export function deliveryMetrics(db: DB | Tx, now = Date.now()): ConsumerDelivery[] {
  const dead = deadLetterCounts(db);
  const topics = outboxTopics(db);
  const cursors = new Map(listCursors(db).map((c) => [c.consumer, c]));
  const names = new Set([...cursors.keys(), ...dead.map((d) => d.consumer)]);
  return [...names].sort().map((name) => {
    const c = cursors.get(name);
    const skips = Array.isArray(c?.state.skipsTopics) ? new Set(c.state.skipsTopics as string[]) : null;
    const lastId = c?.lastId ?? 0;
    const b = skips ? topicBacklog(db, lastId, topics.filter((t) => !skips.has(t))) : pendingFor(db, name);
    const deadLetters: Record<DeadLetterStatus, number> = { dead: 0, retrying: 0, redelivered: 0, discarded: 0 };
    for (const d of dead) if (d.consumer === name) deadLetters[d.status] = d.n;
    return {
      consumer: name,
      lastId,
      backlog: b.count,
      topicsKnown: skips !== null,
      oldestMs: b.oldestAt === null ? null : Math.max(0, now - b.oldestAt),
      attempts: c?.attempts ?? 0,
      lastError: c?.lastError ?? null,
      deadLetters,
    };
  });
}

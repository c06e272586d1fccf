import type { DB, Tx } from "../../db/client.ts";
import { deadLetterCounts } from "../../db/queries/dead-letters.ts";
import { topicBacklog } from "../../db/queries/delivery.ts";
import type { DeadLetterStatus } from "../../db/schema/delivery.ts";
import { listCursors, pendingFor } from "./cursors.ts";

export type ConsumerDelivery = {
  consumer: string;
  lastId: number;
  /** Messages after the cursor in the topics the consumer takes; every message after it while its topics are not known yet. */
  backlog: number;
  /** False until the worker has recorded which topics the consumer takes (its first pass). */
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
 * outbox), and its dead letters by status.
 */
export function deliveryMetrics(db: DB | Tx, now = Date.now()): ConsumerDelivery[] {
  const dead = deadLetterCounts(db);
  const cursors = new Map(listCursors(db).map((c) => [c.consumer, c]));
  const names = new Set([...cursors.keys(), ...dead.map((d) => d.consumer)]);
  return [...names].sort().map((name) => {
    const c = cursors.get(name);
    const topics = Array.isArray(c?.state.topics) ? (c.state.topics as string[]) : null;
    const lastId = c?.lastId ?? 0;
    const b = topics ? topicBacklog(db, lastId, topics) : pendingFor(db, name);
    const deadLetters: Record<DeadLetterStatus, number> = { dead: 0, retrying: 0, redelivered: 0, discarded: 0 };
    for (const d of dead) if (d.consumer === name) deadLetters[d.status] = d.n;
    return {
      consumer: name,
      lastId,
      backlog: b.count,
      topicsKnown: topics !== null,
      oldestMs: b.oldestAt === null ? null : Math.max(0, now - b.oldestAt),
      attempts: c?.attempts ?? 0,
      lastError: c?.lastError ?? null,
      deadLetters,
    };
  });
}

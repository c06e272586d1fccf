import type { DB, Tx } from "../client.ts";
import { prepared } from "../raw.ts";

/**
 * The distinct topics in the outbox, by a loose scan of the (topic, id) index: one seek per topic, however
 * many rows there are (SELECT DISTINCT would read the whole index).
 */
export function outboxTopics(db: DB | Tx): string[] {
  return (
    prepared(
      db,
      `WITH RECURSIVE t(topic) AS (SELECT min(topic) FROM outbox UNION ALL SELECT (SELECT min(topic) FROM outbox WHERE topic > t.topic) FROM t WHERE t.topic IS NOT NULL)
       SELECT topic FROM t WHERE topic IS NOT NULL`,
    ).all() as { topic: string }[]
  ).map((r) => r.topic);
}

/**
 * Messages after `afterId` in the given topics, and when the oldest of them was written: a range of the
 * (topic, id) index per topic, so the cost is the backlog's size, never the outbox's.
 */
export function topicBacklog(db: DB | Tx, afterId: number, topics: readonly string[]): { count: number; oldestAt: number | null } {
  const count = prepared(db, "SELECT count(*) AS n FROM outbox WHERE topic = ? AND id > ?");
  const first = prepared(db, "SELECT min(id) AS id FROM outbox WHERE topic = ? AND id > ?");
  let n = 0;
  let oldest: number | null = null;
  for (const topic of topics) {
    n += (count.get(topic, afterId) as { n: number }).n;
    const id = (first.get(topic, afterId) as { id: number | null }).id;
    if (id !== null && (oldest === null || id < oldest)) oldest = id;
  }
  const at = oldest === null ? null : (prepared(db, "SELECT created_at AS at FROM outbox WHERE id = ?").get(oldest) as { at: number }).at;
  return { count: n, oldestAt: at };
}

import type { DB, Tx } from "../../db/client.ts";
import { connectionOf, json, prepared } from "../../db/raw.ts";

/** One consumer's place in the outbox (table outbox_cursors). */
type Cursor = {
  consumer: string;
  lastId: number;
  attempts: number;
  retryAt: number | null;
  failingSince: number | null;
  failingTo: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  state: Record<string, unknown>;
  updatedAt: number;
};

type Row = Omit<Cursor, "state"> & { state: string | null };

const SELECT = `SELECT consumer, last_id AS lastId, attempts, retry_at AS retryAt, failing_since AS failingSince, failing_to AS failingTo,
  last_error AS lastError, delivered_at AS deliveredAt, state, updated_at AS updatedAt FROM outbox_cursors`;

const parse = (r: Row): Cursor => ({ ...r, state: r.state ? (JSON.parse(r.state) as Record<string, unknown>) : {} });

export function readCursor(db: DB | Tx, consumer: string): Cursor | null {
  const row = prepared(db, `${SELECT} WHERE consumer = ?`).get(consumer) as Row | undefined;
  return row ? parse(row) : null;
}

export function listCursors(db: DB | Tx): Cursor[] {
  return (prepared(db, `${SELECT} ORDER BY consumer`).all() as Row[]).map(parse);
}

/**
 * The cursor, made on first use at the start of the outbox: a consumer that has never run receives
 * every message recorded, including those written while it was not configured.
 */
export function openCursor(db: DB, consumer: string, now = Date.now()): Cursor {
  prepared(db, "INSERT INTO outbox_cursors (consumer, last_id, updated_at) VALUES (?, 0, ?) ON CONFLICT DO NOTHING").run(consumer, now);
  return readCursor(db, consumer)!;
}

/** Moves the cursor forward to `lastId` (never back: a rebuild may have moved it further) and clears any failure. */
export function advanceCursor(db: DB | Tx, consumer: string, lastId: number, now = Date.now()): void {
  prepared(
    db,
    `INSERT INTO outbox_cursors (consumer, last_id, delivered_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (consumer) DO UPDATE SET last_id = max(last_id, excluded.last_id), attempts = 0, retry_at = NULL, failing_since = NULL,
       failing_to = NULL, last_error = NULL, delivered_at = excluded.delivered_at, updated_at = excluded.updated_at`,
  ).run(consumer, lastId, now, now);
}

/**
 * Backoff after a failed batch: 0.5 s, 1 s, 2 s … up to a minute, each with equal jitter (half fixed, half
 * random), so consumers and workers that failed together do not retry in lockstep.
 */
function backoffMs(attempts: number, random = Math.random()): number {
  const full = Math.min(60_000, 250 * 2 ** Math.min(Math.max(attempts, 1), 8));
  return Math.round(full / 2 + (full / 2) * random);
}

/** Records a failed attempt at the batch ending at `failingTo`; returns the attempts so far. */
export function recordFailure(db: DB, consumer: string, o: { failingTo: number; error: string; now: number }): number {
  const row = prepared(
    db,
    `UPDATE outbox_cursors SET attempts = attempts + 1, failing_since = coalesce(failing_since, ?), failing_to = ?, last_error = ?, updated_at = ?
     WHERE consumer = ? RETURNING attempts`,
  ).get(o.now, o.failingTo, o.error.slice(0, 2000), o.now, consumer) as { attempts: number };
  prepared(db, "UPDATE outbox_cursors SET retry_at = ? WHERE consumer = ?").run(o.now + backoffMs(row.attempts), consumer);
  return row.attempts;
}

/** Ends the wait early (the target answered a probe): the next pass retries at once. */
export function retryNow(db: DB, consumer: string, now = Date.now()): void {
  prepared(db, "UPDATE outbox_cursors SET retry_at = NULL, updated_at = ? WHERE consumer = ?").run(now, consumer);
}

/** Merges `patch` into the consumer's own state (top-level keys; undefined removes one). */
export function patchConsumerState(db: DB | Tx, consumer: string, patch: Record<string, unknown>, now = Date.now()): void {
  const write = () => {
    const next: Record<string, unknown> = { ...(readCursor(db, consumer)?.state ?? {}) };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    prepared(
      db,
      `INSERT INTO outbox_cursors (consumer, last_id, state, updated_at) VALUES (?, 0, ?, ?)
       ON CONFLICT (consumer) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    ).run(consumer, json(next), now);
  };
  // Read and write in one transaction so two writers' patches never lose each other's keys.
  const sqlite = connectionOf(db);
  if (sqlite.inTransaction) write();
  else sqlite.transaction(write).immediate();
}

/** Messages after the cursor, for how far behind a consumer is. */
export function pendingFor(db: DB | Tx, consumer: string): { count: number; oldestAt: number | null } {
  const lastId = readCursor(db, consumer)?.lastId ?? 0;
  const oldest = prepared(db, "SELECT created_at AS at FROM outbox WHERE id > ? ORDER BY id LIMIT 1").get(lastId) as { at: number } | undefined;
  const count = (prepared(db, "SELECT count(*) AS n FROM outbox WHERE id > ?").get(lastId) as { n: number }).n;
  return { count, oldestAt: oldest?.at ?? null };
}

/** The newest outbox id (0 when empty). */
export function outboxHead(db: DB | Tx): number {
  return (prepared(db, "SELECT coalesce(max(id), 0) AS v FROM outbox").get() as { v: number }).v;
}

/**
 * The messages of every batch a consumer keeps failing on, in the shape the stuck-delivery alert reads:
 * one per message, with the consumer's attempts and error.
 */
export function failingOutboxMessages(db: DB | Tx): { outboxId: number; orderId: number | null; createdAt: number; attempts: number; topic: string; lastError: string | null }[] {
  return prepared(
    db,
    `SELECT o.id AS outboxId, CASE WHEN o.aggregate_type = 'order' THEN o.aggregate_id END AS orderId, o.created_at AS createdAt,
            c.attempts, o.topic, c.consumer || ': ' || coalesce(c.last_error, 'failing') AS lastError
     FROM outbox_cursors c JOIN outbox o ON o.id > c.last_id AND o.id <= c.failing_to
     WHERE c.attempts > 0
     UNION ALL
     SELECT d.outbox_id, CASE WHEN d.aggregate_type = 'order' THEN d.aggregate_id END, d.message_at, max(d.attempts, 3), d.topic,
            d.consumer || ' (dead letter #' || d.id || '): ' || coalesce(d.last_error, 'failed')
     FROM outbox_dead_letters d WHERE d.status IN ('dead', 'retrying')
     ORDER BY 1`,
  ).all() as { outboxId: number; orderId: number | null; createdAt: number; attempts: number; topic: string; lastError: string | null }[];
}

export type ConsumerStatus = Pick<Cursor, "consumer" | "lastId" | "attempts" | "lastError" | "failingSince" | "deliveredAt"> & { pending: number; lagMs: number | null };

/** Every consumer that has run, with how far behind it is: for admins. */
export function consumerStatuses(db: DB | Tx, now = Date.now()): ConsumerStatus[] {
  return listCursors(db).map((c) => {
    const p = pendingFor(db, c.consumer);
    return { consumer: c.consumer, lastId: c.lastId, attempts: c.attempts, lastError: c.lastError, failingSince: c.failingSince, deliveredAt: c.deliveredAt, pending: p.count, lagMs: p.oldestAt === null ? null : Math.max(0, now - p.oldestAt) };
  });
}

/**
 * Deletes outbox rows every named consumer has passed, once older than the retention period. The newest
 * row stays, so the outbox's high-water mark survives. Returns the rows deleted.
 */
export function pruneDelivered(db: DB, consumers: string[], o: { retentionMs: number; now?: number; batch?: number }): number {
  if (consumers.length === 0) return 0;
  const marks = consumers.map((c) => readCursor(db, c)?.lastId ?? 0);
  const passed = Math.min(...marks, outboxHead(db) - 1);
  const before = (o.now ?? Date.now()) - o.retentionMs;
  return prepared(db, "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE id <= ? AND created_at < ? ORDER BY id LIMIT ?)").run(passed, before, o.batch ?? 5_000).changes;
}

import type { DB } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { deadLettersToRetry, insertDeadLetter, setDeadLetterStatus } from "../../db/queries/dead-letters.ts";
import { advanceCursor, openCursor, patchConsumerState, pendingFor, recordFailure } from "./cursors.ts";
import { readDeliverySettings } from "./delivery-settings.ts";
import { outboxTopics } from "../../db/queries/delivery.ts";

export type OutboxRow = { id: number; topic: string; aggregateType: string; aggregateId: number; payload: unknown; createdAt: number };

/** Lets a consumer confirm rows one by one, so a failure mid-batch retries only what was not done. */
type DeliveryProgress = { delivered: (outboxId: number) => void };

/**
 * A consumer of outbox messages (search index, webhooks, payments, email). Each has its own cursor
 * (lib/worker/cursors.ts) and advances on its own. `deliver` must be idempotent: a batch that fails is
 * retried from the first unconfirmed row, so a message may arrive twice, never not at all.
 */
export type OutboxConsumer = {
  /** Names its cursor: keep it stable, or the consumer starts again from the first message. */
  name: string;
  accepts: (topic: string) => boolean;
  /** Throws to retry after a backoff; throws DeliveryDeferred to wait without counting a failure. */
  deliver: (rows: OutboxRow[], progress: DeliveryProgress) => Promise<void>;
  /** A cheap health check, polled every second while the consumer backs off: true retries at once. */
  probe?: () => Promise<boolean>;
  /** Called on every pass, messages or not: the consumer checks its own target here (rate-limited by itself). */
  maintain?: () => Promise<void>;
  /** The longest one delivery call may take before it counts as failed (default 30 s). */
  timeoutMs?: number;
};

/** Not a failure: the consumer cannot take messages yet (its index is being rebuilt); the batch waits. */
export class DeliveryDeferred extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryDeferred";
  }
}

type PassOutcome = "idle" | "delivered" | "failed" | "deferred" | "waiting" | "dead_lettered";
type Pass = { outcome: PassOutcome; handled: number; error?: string };

type Row = OutboxRow & { payload: string };

const parseRow = (r: Row): OutboxRow => ({ ...r, payload: JSON.parse(r.payload) as unknown });

/** Rejects when the call outlives `ms`; the call itself may still finish (its effects are idempotent). */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const errorText = (error: unknown) => String((error as Error)?.message ?? error);

/**
 * The next batch after the consumer's cursor, delivered, deferred or backed off. While failing with its
 * target up (no probe, or the probe answers), the consumer is given one message at a time, so the one
 * that keeps failing is known: after the admin's N attempts (settings.outbox_delivery) it moves to the
 * dead letters and the cursor passes it. A target that is down is waited out whole, never dead-lettered.
 */
export async function deliverNext(db: DB, consumer: OutboxConsumer, o: { limit?: number; now?: number } = {}): Promise<Pass> {
  const now = o.now ?? Date.now();
  let cursor = openCursor(db, consumer.name, now);
  if (noteAcceptedTopics(db, consumer, cursor.state, now)) cursor = openCursor(db, consumer.name, now);
  if (cursor.retryAt !== null && cursor.retryAt > now) return { outcome: "waiting", handled: 0 };
  const redelivered = await redeliverDeadLetters(db, consumer, now);
  let rows = (
    prepared(
      db,
      `SELECT id, topic, aggregate_type AS aggregateType, aggregate_id AS aggregateId, payload, created_at AS createdAt
       FROM outbox WHERE id > ? ORDER BY id LIMIT ?`,
    ).all(cursor.lastId, o.limit ?? 500) as Row[]
  ).map(parseRow);
  if (rows.length === 0) return { outcome: redelivered ? "delivered" : "idle", handled: redelivered };
  if (cursor.attempts > 0 && cursor.state.isolate === true) {
    // Failing while the target is up: up to and including the first message of ours, alone.
    const first = rows.findIndex((r) => consumer.accepts(r.topic));
    if (first >= 0) rows = rows.slice(0, first + 1);
  }
  const last = rows.at(-1)!.id;
  const mine = rows.filter((r) => consumer.accepts(r.topic));
  let confirmed = 0;
  try {
    if (mine.length) await withTimeout(consumer.deliver(mine, { delivered: (id) => (confirmed = Math.max(confirmed, id)) }), consumer.timeoutMs ?? 30_000, `${consumer.name} delivery`);
  } catch (error) {
    const message = errorText(error);
    if (confirmed > 0) advanceCursor(db, consumer.name, confirmed, now);
    if (error instanceof DeliveryDeferred) return { outcome: "deferred", handled: 0, error: message };
    const failing = mine.find((r) => r.id > confirmed);
    const attempts = recordFailure(db, consumer.name, { failingTo: failing?.id ?? last, error: message, now });
    // A target that is up yet fails is failing on a message: isolate it. One that is down is waited out whole.
    const up = await targetIsUp(consumer);
    if (cursor.state.isolate !== up) patchConsumerState(db, consumer.name, { isolate: up || undefined }, now);
    if (up && failing && mine.length === 1 && attempts >= readDeliverySettings(db).maxAttempts) {
      insertDeadLetter(db, { consumer: consumer.name, outboxId: failing.id, attempts, lastError: message, at: now });
      advanceCursor(db, consumer.name, failing.id, now);
      patchConsumerState(db, consumer.name, { isolate: undefined }, now);
      return { outcome: "dead_lettered", handled: 1, error: message };
    }
    return { outcome: "failed", handled: 0, error: message };
  }
  advanceCursor(db, consumer.name, last, now);
  if (cursor.state.isolate) patchConsumerState(db, consumer.name, { isolate: undefined }, now);
  return { outcome: "delivered", handled: rows.length + redelivered };
}

const topicsNotedAt = new WeakMap<DB, Map<string, number>>();
const TOPICS_EVERY_MS = 10_000;

/**
 * Keeps, in the consumer's state, which of the outbox's topics it does not take (`skipsTopics`), at most every
 * 10 s: the metrics page, which has no consumer objects, counts its backlog in every other topic
 * (lib/worker/delivery-metrics.ts), so a topic first written while the worker is away counts as waiting.
 * True when the state changed.
 */
function noteAcceptedTopics(db: DB, consumer: OutboxConsumer, state: Record<string, unknown>, now: number): boolean {
  let seen = topicsNotedAt.get(db);
  if (!seen) topicsNotedAt.set(db, (seen = new Map()));
  if (now - (seen.get(consumer.name) ?? -Infinity) < TOPICS_EVERY_MS) return false;
  seen.set(consumer.name, now);
  const skips = outboxTopics(db).filter((t) => !consumer.accepts(t));
  if (JSON.stringify(skips) === JSON.stringify(state.skipsTopics)) return false;
  patchConsumerState(db, consumer.name, { skipsTopics: skips }, now);
  return true;
}

async function targetIsUp(consumer: OutboxConsumer): Promise<boolean> {
  if (!consumer.probe) return true;
  return consumer.probe().catch(() => false);
}

/** Dead letters an admin asked to retry: delivered again one by one (same outbox id, so the same message id). */
async function redeliverDeadLetters(db: DB, consumer: OutboxConsumer, now: number): Promise<number> {
  let done = 0;
  for (const d of deadLettersToRetry(db, consumer.name)) {
    const row = parseRow({ id: d.outboxId, topic: d.topic, aggregateType: d.aggregateType, aggregateId: d.aggregateId, payload: d.payload, createdAt: d.messageAt });
    try {
      await withTimeout(consumer.deliver([row], { delivered: () => {} }), consumer.timeoutMs ?? 30_000, `${consumer.name} redelivery`);
      setDeadLetterStatus(db, { id: d.id, from: "retrying", to: "redelivered", at: now });
      done += 1;
    } catch (error) {
      setDeadLetterStatus(db, { id: d.id, from: "retrying", to: "dead", at: now, error: errorText(error) });
    }
  }
  return done;
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

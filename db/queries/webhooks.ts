import "server-only";
import { database } from "../index.ts";
import { prepared } from "../raw.ts";
import { WEBHOOK_SOURCES, type IntakeSource, type WebhookOutcome, type WebhookSource } from "../schema/index.ts";

export type WebhookEventRow = {
  id: number;
  source: IntakeSource;
  eventId: string;
  type: string;
  orderId: number | null;
  orderNumber: string | null;
  payload: string;
  receivedAt: number;
  processedAt: number | null;
  outcome: WebhookOutcome | null;
  error: string | null;
  reason: string | null;
  attempts: number;
  duplicates: number;
};

const SELECT = `SELECT w.id, w.source, w.event_id AS eventId, w.type, w.order_id AS orderId, o.number AS orderNumber, w.payload, w.received_at AS receivedAt,
  w.processed_at AS processedAt, w.outcome, w.error, w.reason, w.attempts, w.duplicates
  FROM webhook_events w LEFT JOIN orders o ON o.id = w.order_id`;

/** The newest events first, optionally of one outcome and source. */
export function listWebhookEvents({ outcome, source, limit = 100 }: { outcome?: WebhookOutcome; source?: IntakeSource; limit?: number }): WebhookEventRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (outcome) {
    where.push("w.outcome = ?");
    params.push(outcome);
  }
  if (source) {
    where.push("w.source = ?");
    params.push(source);
  }
  return prepared(database(), `${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY w.received_at DESC, w.id DESC LIMIT ?`).all(...params, limit) as WebhookEventRow[];
}

export function countWebhookOutcomes(): Record<string, number> {
  const rows = prepared(database(), "SELECT coalesce(outcome, 'received') AS outcome, count(*) AS n FROM webhook_events GROUP BY 1").all() as { outcome: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

/** The raw events of one order, for its timeline. */
export function webhookEventsForOrder({ orderId }: { orderId: number }): WebhookEventRow[] {
  return prepared(database(), `${SELECT} WHERE w.order_id = ? ORDER BY w.id`).all(orderId) as WebhookEventRow[];
}

/** Per source whether an admin set a secret, and when; never the secret itself (only what the page fingerprints). */
export function webhookEndpointsOverview(): { source: WebhookSource; createdAt: number | null; rotatedAt: number | null; previousValidUntil: number | null; secret: string | null }[] {
  const rows = prepared(database(), "SELECT source, secret, created_at AS createdAt, rotated_at AS rotatedAt, previous_valid_until AS previousValidUntil FROM webhook_endpoints").all() as {
    source: WebhookSource;
    secret: string;
    createdAt: number;
    rotatedAt: number | null;
    previousValidUntil: number | null;
  }[];
  return WEBHOOK_SOURCES.map((source) => rows.find((r) => r.source === source) ?? { source, secret: null, createdAt: null, rotatedAt: null, previousValidUntil: null });
}

import type { DB } from "../../db/client.ts";
import { deliveryHistory, enabledSubscriptionIds, insertDeliveryAttempt, orderNumberById, subscriptionById } from "../../db/queries/subscriptions.ts";
import { runConsumer, sleep } from "../worker/consumer-loop.ts";
import { DeliveryDeferred, type OutboxConsumer, type OutboxRow } from "../worker/outbox.ts";
import { isOutgoingEventType, messageIdFor, signingSecrets, subscriptionConsumerName, TEST_EVENT_TYPE } from "./events.ts";
import { isUnavailable, postSignedWebhook, receiverAnswers } from "./send.ts";
import { disableGoneSubscription } from "./subscriptions.ts";

type WebhookOptions = {
  /** How long one POST may take before it counts as a failed attempt (default 10 s). */
  callTimeoutMs?: number;
  /** A batch stops starting new calls after this long and lets the next pass carry on (default 20 s). */
  batchBudgetMs?: number;
};

/** The envelope's `data`: the outbox message, with the order's number when it names an order. */
function dataOf(db: DB, row: OutboxRow, subscriptionId: number): unknown {
  if (row.topic === TEST_EVENT_TYPE) return { subscriptionId, message: "A test event from Switchyard: your endpoint received and verified it." };
  const payload = (row.payload ?? {}) as Record<string, unknown>;
  return row.aggregateType === "order" ? { ...payload, orderId: row.aggregateId, orderNumber: orderNumberById(db, row.aggregateId) } : payload;
}

/**
 * One subscription as an outbox consumer (`webhook:<id>`): its own cursor, backoff and dead letters, so a
 * slow or failing receiver holds back only itself. Each wanted message is POSTed signed; every attempt is
 * logged to webhook_deliveries, after the call and outside any transaction. 2xx confirms the message; a
 * message already taken (a crash between the answer and the cursor) is not sent again; 410 disables the
 * subscription and raises an alert; anything else throws, and the engine retries with its backoff.
 */
export function subscriptionConsumer(db: DB, subscriptionId: number, o: WebhookOptions = {}): OutboxConsumer {
  const callTimeoutMs = o.callTimeoutMs ?? 10_000;
  const batchBudgetMs = o.batchBudgetMs ?? 20_000;
  // The engine asks `accepts` for every row of a batch (up to 500): the subscription is read at most once a
  // second for it, not once a row. A change of event types is heard within that second.
  let chosen = { at: -Infinity, types: [] as string[] };
  const eventTypes = () => {
    if (Date.now() - chosen.at >= 1_000) chosen = { at: Date.now(), types: subscriptionById(db, subscriptionId)?.eventTypes ?? [] };
    return chosen.types;
  };
  const wants = (topic: string) => topic === TEST_EVENT_TYPE || (isOutgoingEventType(topic) && eventTypes().includes(topic));
  // Whether the last failure said the receiver is unavailable (no answer, 429, 502–504) rather than that it
  // refuses a message: only then is the probe asked, so an outage is waited out, never dead-lettered.
  let unavailable = false;
  return {
    name: subscriptionConsumerName(subscriptionId),
    accepts: wants,
    async probe() {
      if (!unavailable) return true;
      const sub = subscriptionById(db, subscriptionId);
      if (!sub?.enabled) return false;
      const up = await receiverAnswers(sub.url, Math.min(callTimeoutMs, 5_000));
      if (up) unavailable = false;
      return up;
    },
    // Past the budget plus one call, so the engine's own timeout never cuts a call this consumer still waits on.
    timeoutMs: batchBudgetMs + callTimeoutMs + 5_000,
    async deliver(rows, progress) {
      const started = Date.now();
      for (const row of rows) {
        const sub = subscriptionById(db, subscriptionId);
        if (!sub?.enabled) throw new DeliveryDeferred("the subscription is disabled");
        const forOther = row.topic === TEST_EVENT_TYPE && (row.payload as { subscriptionId?: number } | null)?.subscriptionId !== subscriptionId;
        const messageId = messageIdFor(row.id, subscriptionId);
        const history = deliveryHistory(db, subscriptionId, row.id);
        if (forOther || !wants(row.topic) || history.delivered) {
          progress.delivered(row.id);
          continue;
        }
        if (Date.now() - started > batchBudgetMs) throw new DeliveryDeferred("this pass's time is up; the next one carries on");
        const body = JSON.stringify({ type: row.topic, timestamp: new Date(row.createdAt).toISOString(), data: dataOf(db, row, subscriptionId) });
        const sent = await postSignedWebhook({ url: sub.url, messageId, body, secrets: signingSecrets(sub, Date.now()), timeoutMs: callTimeoutMs });
        const ok = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300;
        insertDeliveryAttempt(db, { subscriptionId, outboxId: row.id, messageId, eventType: row.topic, attempt: history.attempts + 1, ...sent, ok, at: Date.now() });
        if (ok) {
          unavailable = false;
          progress.delivered(row.id);
          continue;
        }
        unavailable = isUnavailable(sent.statusCode);
        if (sent.statusCode === 410) {
          db.transaction((tx) => disableGoneSubscription(tx, { id: subscriptionId, messageId, at: Date.now() }), { behavior: "immediate" });
          throw new DeliveryDeferred("the receiver answered 410 Gone: subscription disabled");
        }
        // Not the URL: a query string may hold the receiver's token, and this error reaches managers' alerts.
        throw new Error(sent.error ?? "delivery failed");
      }
    },
  };
}

/**
 * Runs one consumer loop per enabled subscription, started and stopped as admins create, enable and
 * disable them (checked every `syncEveryMs`). `names()` lists their cursors, for outbox pruning.
 */
export function webhookDeliveries(db: DB, o: WebhookOptions & { pollMs: number; log?: (line: string) => void; syncEveryMs?: number }) {
  const running = new Map<number, { stop: AbortController; done: Promise<void> }>();
  // Loops told to stop but maybe mid-call: a subscription re-enabled meanwhile waits for its old loop, so two never send at once.
  const stopping = new Map<number, Promise<void>>();
  const sync = (signal: AbortSignal) => {
    const enabled = new Set(enabledSubscriptionIds(db));
    for (const [id, r] of running) {
      if (enabled.has(id)) continue;
      r.stop.abort();
      running.delete(id);
      stopping.set(id, r.done.finally(() => stopping.delete(id)));
      o.log?.(`${subscriptionConsumerName(id)}: stopped (subscription disabled)`);
    }
    for (const id of enabled) {
      if (running.has(id) || stopping.has(id)) continue;
      const stop = new AbortController();
      const done = runConsumer(db, subscriptionConsumer(db, id, o), { pollMs: o.pollMs, signal: AbortSignal.any([signal, stop.signal]), log: o.log });
      running.set(id, { stop, done });
      o.log?.(`${subscriptionConsumerName(id)}: delivering`);
    }
  };
  return {
    names: () => enabledSubscriptionIds(db).map(subscriptionConsumerName),
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        try {
          sync(signal);
        } catch (error) {
          o.log?.(`webhooks: error: ${(error as Error).stack ?? error}`);
        }
        await sleep(o.syncEveryMs ?? 1_000, signal);
      }
      await Promise.all([...[...running.values()].map((r) => r.done), ...stopping.values()]);
    },
  };
}

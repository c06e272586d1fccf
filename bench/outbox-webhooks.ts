// The real outgoing-webhooks path for `npm run bench -- outbox`: subscriptions created as the admin action does
// (lib/webhooks/subscriptions.ts createSubscription, cursor at the outbox's head), delivered by the worker's own
// webhookDeliveries (one runConsumer loop per enabled subscription, `webhook:<id>`, Standard Webhooks signing,
// one POST per message, every attempt logged to webhook_deliveries) to bench/outbox-receiver.ts, which verifies
// every request with the `standardwebhooks` package. Outbox rows reference real orders (the envelope carries
// the order's number, read per message as in production).
import type { DB } from "../db/client.ts";
import { addresses, customers, orders } from "../db/schema/index.ts";
import { setDeliverySettings } from "../lib/admin/settings.ts";
import { enqueueOutbox, type Actor } from "../lib/audit.ts";
import { webhookDeliveries } from "../lib/webhooks/consumer.ts";
import { subscriptionConsumerName } from "../lib/webhooks/events.ts";
import { createSubscription, setSubscriptionEnabledBy } from "../lib/webhooks/subscriptions.ts";
import { outboxHead, readCursor } from "../lib/worker/cursors.ts";
import { readDeliverySettings } from "../lib/worker/delivery-settings.ts";

const admin: Actor = { id: null, label: "bench admin" };
const EVENT_TYPES = ["order.created", "order.status_changed"];
/** The worker's default WORKER_POLL_MS (lib/env.ts): only matters when idle or after a failure. */
const POLL_MS = 250;
const ORDERS = 5_000;

export type HookStats = { requests: number; rejected503: number; verified: number; failedSignatures: number; duplicates: number; distinct: number; firstTakenAt: number; lastTakenAt: number; failures: string[] };
type Receiver = { base: string; control: (p: string) => Promise<unknown>; hooks: () => Promise<HookStats>; register: (key: string, secret: string) => Promise<void> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Real orders for the events to name: one customer, ORDERS orders. */
function seedOrders(db: DB): number[] {
  const at = Date.now();
  const customerId = db.insert(customers).values({ name: "Bench Customer", email: "bench@example.test", phone: "+44 20 0000 0000", createdAt: at }).returning({ id: customers.id }).get().id;
  const addressId = db
    .insert(addresses)
    .values({ customerId, name: "Bench Customer", line1: "1 Bench Street", city: "London", postcode: "SW1Y 4JH", country: "GB", lat: 51.5, lng: -0.13 })
    .returning({ id: addresses.id })
    .get().id;
  const ids: number[] = [];
  db.transaction((tx) => {
    for (let i = 0; i < ORDERS; i++) {
      const values = { number: `SY-B${String(i).padStart(6, "0")}`, customerId, shipAddressId: addressId, status: "paid" as const, currency: "EUR", subtotal: 1000, total: 1000, placedAt: at, statusChangedAt: at, updatedAt: at };
      ids.push(tx.insert(orders).values(values).returning({ id: orders.id }).get().id);
    }
  });
  return ids;
}

/** `n` outbox rows as the order writers leave them: one in four `order.created`, the rest `order.status_changed`. */
function writeOrderEvents(db: DB, orderIds: number[], n: number, at: (i: number) => number, offset = 0): void {
  for (let done = 0; done < n; done += 1_000) {
    db.transaction((tx) => {
      for (let i = done; i < Math.min(n, done + 1_000); i++) {
        const k = offset + i;
        const orderId = orderIds[k % orderIds.length]!;
        const number = `SY-B${String(k % orderIds.length).padStart(6, "0")}`;
        const when = at(i);
        if (k % 4 === 0) enqueueOutbox(tx, { topic: "order.created", aggregateType: "order", aggregateId: orderId, payload: { orderId, number, externalRef: `ext-${k}` }, at: when });
        else enqueueOutbox(tx, { topic: "order.status_changed", aggregateType: "order", aggregateId: orderId, payload: { orderId, number, from: "paid", to: "awaiting_fulfillment", at: when }, at: when });
      }
    });
  }
}

async function subscribe(db: DB, r: Receiver, key: string): Promise<number> {
  const sub = db.transaction((tx) => createSubscription(tx, { url: `${r.base}/hooks/${key}`, eventTypes: EVENT_TYPES, actor: admin, at: Date.now() }));
  await r.register(key, sub.secret);
  return sub.id;
}

const disable = (db: DB, ids: number[]) => db.transaction((tx) => ids.forEach((id) => setSubscriptionEnabledBy(tx, { id, enabled: false, actor: admin, at: Date.now() })));
const atHead = (db: DB, ids: number[], head: number) => ids.every((id) => (readCursor(db, subscriptionConsumerName(id))?.lastId ?? 0) >= head);
const count = (db: DB, sql: string, ...params: unknown[]) => (db.$client.prepare(sql).get(...params) as { n: number }).n;

function deliveryLog(db: DB, ids: number[]) {
  const list = ids.join(",");
  return {
    attemptsLogged: count(db, `SELECT count(*) AS n FROM webhook_deliveries WHERE subscription_id IN (${list})`),
    failedAttemptsLogged: count(db, `SELECT count(*) AS n FROM webhook_deliveries WHERE subscription_id IN (${list}) AND ok = 0`),
    deadLetters: count(db, `SELECT count(*) AS n FROM outbox_dead_letters WHERE consumer IN (${ids.map((id) => `'${subscriptionConsumerName(id)}'`).join(",")})`),
  };
}

/** The worker's webhook deliveries (scripts/worker.ts: webhookDeliveries(db, { pollMs }).run), until stopped. */
function startDeliveries(db: DB): () => Promise<void> {
  const stop = new AbortController();
  const running = webhookDeliveries(db, { pollMs: POLL_MS, syncEveryMs: 100 }).run(stop.signal);
  return () => (stop.abort(), running);
}

/** Waits until every subscription's cursor is at `head` and the receiver has taken `expected` webhook-ids. */
async function drained(db: DB, r: Receiver, ids: number[], head: number, expected: number, o: { since: number; timeoutMs: number }): Promise<{ seconds: number; timedOut: boolean }> {
  for (;;) {
    await sleep(50);
    if (atHead(db, ids, head) && (await r.hooks()).distinct >= expected) return { seconds: (performance.now() - o.since) / 1000, timedOut: false };
    if (performance.now() - o.since > o.timeoutMs) return { seconds: (performance.now() - o.since) / 1000, timedOut: true };
  }
}

async function drain(db: DB, r: Receiver, ids: number[], head: number, expected: number, timeoutMs: number): Promise<{ seconds: number; hooks: HookStats; timedOut: boolean }> {
  const since = performance.now();
  const stop = startDeliveries(db);
  const d = await drained(db, r, ids, head, expected, { since, timeoutMs });
  await stop();
  return { ...d, hooks: await r.hooks() };
}

const row = (scenario: string, rows: number, seconds: number, h: HookStats, log: ReturnType<typeof deliveryLog>, timedOut: boolean) => ({
  scenario,
  rows,
  seconds: +seconds.toFixed(2),
  rowsPerSecond: Math.round(h.distinct / seconds),
  requests: h.requests,
  delivered: h.distinct,
  verified: h.verified,
  failedSignatures: h.failedSignatures,
  duplicates: h.duplicates,
  deadLetters: log.deadLetters,
  ...(timedOut ? { timedOut: true } : {}),
});

export async function webhookScenarios(db: DB, r: Receiver, o: { rows: number; backlog: number; outageSeconds: number; parallel: number; drainTimeoutMs: number }) {
  const results: Record<string, unknown>[] = [];
  const orderIds = seedOrders(db);
  let offset = 0;

  // W1. Throughput: a backlog of `rows` order events already written, one subscription, receiver up.
  {
    await r.control("/reset");
    const id = await subscribe(db, r, "throughput");
    writeOrderEvents(db, orderIds, o.rows, () => Date.now(), offset);
    offset += o.rows;
    const d = await drain(db, r, [id], outboxHead(db), o.rows, o.drainTimeoutMs);
    results.push(row("webhooks: throughput, 1 subscription (signed POST per message, verified)", o.rows, d.seconds, d.hooks, deliveryLog(db, [id]), d.timedOut));
    disable(db, [id]);
  }

  // W2. The same backlog to `parallel` subscriptions at once (each its own loop and cursor): what the worker sends in all.
  if (o.parallel > 1) {
    await r.control("/reset");
    const ids: number[] = [];
    for (let k = 0; k < o.parallel; k++) ids.push(await subscribe(db, r, `parallel-${k}`));
    writeOrderEvents(db, orderIds, o.rows, () => Date.now(), offset);
    offset += o.rows;
    const d = await drain(db, r, ids, outboxHead(db), o.rows * o.parallel, o.drainTimeoutMs);
    results.push(row(`webhooks: throughput, ${o.parallel} subscriptions side by side (rows × ${o.parallel} POSTs)`, o.rows * o.parallel, d.seconds, d.hooks, deliveryLog(db, ids), d.timedOut));
    disable(db, ids);
  }

  // W3. A real outage: the receiver answers 503 for `outageSeconds` while `backlog` rows are written at an even
  // rate, each with its real created_at; the subscription's loop keeps trying (no probe: it retries on its
  // backoff, up to a minute apart). Then the receiver recovers: time to the first delivery and to drain.
  const settingsBefore = readDeliverySettings(db);
  // The default (8 attempts) dead-letters the head message about every 30–64 s of a down receiver: see the results' notes.
  const maxAttempts = 1_000;
  db.transaction((tx) => setDeliverySettings(tx, { settings: { ...settingsBefore, maxAttempts }, actor: admin, at: Date.now() }));
  await r.control("/reset");
  await r.control("/control?up=0");
  const id = await subscribe(db, r, "outage");
  const name = subscriptionConsumerName(id);
  const stop = startDeliveries(db);
  const outageStarted = Date.now();
  const perSecond = o.backlog / o.outageSeconds;
  let written = 0;
  for (let s = 1; s <= o.outageSeconds; s++) {
    const due = Math.round(perSecond * s);
    const n = due - written;
    writeOrderEvents(db, orderIds, n, () => Date.now(), offset + written);
    written = due;
    await sleep(outageStarted + s * 1_000 - Date.now());
  }
  offset += written;
  const head = outboxHead(db);
  const before = readCursor(db, name)!;
  const attemptsLoggedBefore = deliveryLog(db, [id]).attemptsLogged;
  await r.control("/control?up=1");
  const recoveredAt = Date.now();
  const since = performance.now();
  const waitLeftMs = Math.max(0, (before.retryAt ?? recoveredAt) - recoveredAt);
  // The same loop carries on, as the worker's would: nothing restarted at recovery.
  const done = await drained(db, r, [id], head, o.backlog, { since, timeoutMs: o.drainTimeoutMs });
  await stop();
  const d = { ...done, hooks: await r.hooks() };
  const drainSeconds = done.seconds;
  const log = deliveryLog(db, [id]);
  results.push(row(`webhooks: drain after a ${o.outageSeconds % 60 === 0 ? `${o.outageSeconds / 60}-minute` : `${o.outageSeconds}-s`} outage (503), 1 subscription`, o.backlog, drainSeconds, d.hooks, log, d.timedOut));
  const outage = {
    backlog: o.backlog,
    outageSeconds: o.outageSeconds,
    rowsWrittenPerSecond: Math.round(perSecond),
    maxAttempts,
    rejected503: d.hooks.rejected503,
    failedAttemptsBeforeRecovery: before.attempts,
    attemptsLoggedBeforeRecovery: attemptsLoggedBefore,
    backoffLeftAtRecoveryMs: waitLeftMs,
    oldestMessageAgeAtRecoverySeconds: Math.round((recoveredAt - outageStarted) / 1000),
    firstDeliveryAfterRecoveryMs: d.hooks.firstTakenAt ? d.hooks.firstTakenAt - recoveredAt : null,
    drainSeconds: +drainSeconds.toFixed(2),
    delivered: d.hooks.distinct,
    verified: d.hooks.verified,
    failedSignatures: d.hooks.failedSignatures,
    duplicates: d.hooks.duplicates,
    deadLetters: log.deadLetters,
    ...(d.timedOut ? { timedOut: true } : {}),
  };
  disable(db, [id]);
  db.transaction((tx) => setDeliverySettings(tx, { settings: settingsBefore, actor: admin, at: Date.now() }));
  return { results, outage };
}

/**
 * Stuck-order alert rules (lib/DOMAIN.md, "Stuck-order alerts") as a pure function: facts and the live
 * alerts in, what to raise, re-raise and resolve out. The shell (evaluate.ts) loads and writes.
 */

export const ALERT_RULES = ["awaiting_fulfillment_stale", "payment_processing_stale", "backorder_aged", "shipment_past_sla", "webhook_failed", "outbox_failing", "routing_held"] as const;
type AlertRule = (typeof ALERT_RULES)[number];

export const RULE_LABELS: Record<string, string> = {
  awaiting_fulfillment_stale: "Awaiting fulfilment too long",
  payment_processing_stale: "Payment processing too long",
  backorder_aged: "Backorder waiting too long",
  shipment_past_sla: "Shipment past its SLA",
  webhook_failed: "Incoming webhook failed",
  outbox_failing: "Outgoing delivery failing",
  routing_held: "Routing held",
  // Raised by the webhook delivery itself (lib/webhooks), resolved when an admin enables the subscription again.
  webhook_subscription_gone: "Webhook subscriber gone (410)",
};

export type AlertThresholds = {
  awaiting_fulfillment_hours: number;
  payment_processing_minutes: number;
  backorder_age_days: number;
  /** The SLA a location starts with (admin can reset a location to it); shipments carry their own ship_by. */
  shipment_sla_hours: number;
};

export const DEFAULT_THRESHOLDS: AlertThresholds = { awaiting_fulfillment_hours: 24, payment_processing_minutes: 60, backorder_age_days: 7, shipment_sla_hours: 48 };

/** Outgoing deliveries are failing once this many attempts have not delivered. */
const OUTBOX_FAILING_ATTEMPTS = 3;

export type AlertFacts = {
  /** Orders in a status, with when they entered it. */
  awaitingFulfillment: { orderId: number; since: number }[];
  paymentProcessing: { orderId: number; since: number }[];
  pendingBackorders: { backorderId: number; orderId: number; createdAt: number }[];
  pendingShipments: { shipmentId: number; orderId: number; shipBy: number }[];
  failedWebhooks: { webhookId: number; orderId: number | null; receivedAt: number; error: string }[];
  undeliveredOutbox: { outboxId: number; orderId: number | null; createdAt: number; attempts: number; topic: string; lastError: string | null }[];
  /** Paid orders whose latest routing decision held them, with when and why. */
  heldOrders: { orderId: number; since: number; reason: string | null }[];
};

export type LiveAlert = { id: number; rule: string; subject: string; status: "open" | "acknowledged"; snoozedUntil: number | null };

type RaisedAlert = { rule: AlertRule; subject: string; orderId: number | null; since: number; data: Record<string, unknown> };

export type Evaluation = {
  /** Conditions with no live alert: insert an open one. */
  raise: RaisedAlert[];
  /** Acknowledged alerts whose snooze ran out while the condition still holds: open again. */
  reraise: number[];
  /** Live alerts of these rules whose condition no longer holds. */
  resolve: number[];
};

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Every condition that holds at `now`, keyed by rule and subject. */
function conditions(facts: AlertFacts, t: AlertThresholds, now: number): RaisedAlert[] {
  const out: RaisedAlert[] = [];
  for (const o of facts.awaitingFulfillment) {
    if (now - o.since > t.awaiting_fulfillment_hours * HOUR) out.push({ rule: "awaiting_fulfillment_stale", subject: `order:${o.orderId}`, orderId: o.orderId, since: o.since, data: { thresholdHours: t.awaiting_fulfillment_hours } });
  }
  for (const o of facts.paymentProcessing) {
    if (now - o.since > t.payment_processing_minutes * MINUTE) out.push({ rule: "payment_processing_stale", subject: `order:${o.orderId}`, orderId: o.orderId, since: o.since, data: { thresholdMinutes: t.payment_processing_minutes } });
  }
  for (const b of facts.pendingBackorders) {
    if (now - b.createdAt > t.backorder_age_days * DAY) out.push({ rule: "backorder_aged", subject: `backorder:${b.backorderId}`, orderId: b.orderId, since: b.createdAt, data: { thresholdDays: t.backorder_age_days } });
  }
  for (const s of facts.pendingShipments) {
    if (now > s.shipBy) out.push({ rule: "shipment_past_sla", subject: `shipment:${s.shipmentId}`, orderId: s.orderId, since: s.shipBy, data: { shipmentId: s.shipmentId } });
  }
  for (const h of facts.heldOrders) {
    out.push({ rule: "routing_held", subject: `order:${h.orderId}`, orderId: h.orderId, since: h.since, data: { reason: h.reason } });
  }
  for (const w of facts.failedWebhooks) {
    out.push({ rule: "webhook_failed", subject: `webhook:${w.webhookId}`, orderId: w.orderId, since: w.receivedAt, data: { error: w.error } });
  }
  // One alert per topic, not per message: a consumer that is down fails every message at once.
  const failing = new Map<string, { since: number; messages: number; attempts: number; error: string | null }>();
  for (const m of facts.undeliveredOutbox) {
    if (m.attempts < OUTBOX_FAILING_ATTEMPTS) continue;
    const t = failing.get(m.topic);
    if (!t) failing.set(m.topic, { since: m.createdAt, messages: 1, attempts: m.attempts, error: m.lastError });
    else {
      t.messages += 1;
      if (m.createdAt < t.since) t.since = m.createdAt;
      if (m.attempts > t.attempts) {
        t.attempts = m.attempts;
        t.error = m.lastError ?? t.error;
      }
    }
  }
  for (const [topic, f] of [...failing].sort(([a], [b]) => a.localeCompare(b))) {
    out.push({ rule: "outbox_failing", subject: `outbox:${topic}`, orderId: null, since: f.since, data: { topic, messages: f.messages, attempts: f.attempts, error: f.error } });
  }
  return out;
}

/**
 * Compares what holds now with the live alerts. Every rule above is managed here, routing_held too
 * (routing raises it at once; here it re-opens after a snooze and clears once the order moves on);
 * alerts of rules not listed are left alone.
 */
export function evaluateAlerts(input: { facts: AlertFacts; thresholds: AlertThresholds; live: LiveAlert[]; now: number }): Evaluation {
  const holding = conditions(input.facts, input.thresholds, input.now);
  const key = (rule: string, subject: string) => `${rule}|${subject}`;
  const live = new Map(input.live.map((a) => [key(a.rule, a.subject), a]));
  const held = new Set(holding.map((c) => key(c.rule, c.subject)));
  const managed = new Set<string>(ALERT_RULES);
  const result: Evaluation = { raise: [], reraise: [], resolve: [] };
  for (const c of holding) {
    const a = live.get(key(c.rule, c.subject));
    if (!a) result.raise.push(c);
    else if (a.status === "acknowledged" && a.snoozedUntil !== null && a.snoozedUntil <= input.now) result.reraise.push(a.id);
  }
  for (const a of input.live) {
    if (managed.has(a.rule) && !held.has(key(a.rule, a.subject))) result.resolve.push(a.id);
  }
  return result;
}

/** Thresholds from the settings row, each falling back to its default when missing or not a positive number. */
export function readThresholds(value: unknown): AlertThresholds {
  const v = (value ?? {}) as Record<string, unknown>;
  const pick = (k: keyof AlertThresholds) => (typeof v[k] === "number" && (v[k] as number) > 0 ? (v[k] as number) : DEFAULT_THRESHOLDS[k]);
  return {
    awaiting_fulfillment_hours: pick("awaiting_fulfillment_hours"),
    payment_processing_minutes: pick("payment_processing_minutes"),
    backorder_age_days: pick("backorder_age_days"),
    shipment_sla_hours: pick("shipment_sla_hours"),
  };
}

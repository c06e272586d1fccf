import { randomBytes } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import {
  insertSubscription,
  raiseSubscriptionAlert,
  replaceSubscriptionSecret,
  resolveSubscriptionAlert,
  setSubscriptionEnabled,
  subscriptionById,
  updateSubscriptionEventTypes,
  type SubscriptionRow,
} from "../../db/queries/subscriptions.ts";
import { appendAudit, enqueueOutbox, SYSTEM, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { fingerprint } from "../intake/secrets-admin.ts";
import { ROTATION_GRACE_MS } from "../intake/secrets.ts";
import { advanceCursor, outboxHead } from "../worker/cursors.ts";
import { OUTGOING_EVENT_TYPES, SUBSCRIPTION_GONE_RULE, subscriberUrlProblem, subscriptionConsumerName, TEST_EVENT_TYPE, type OutgoingEventType } from "./events.ts";

/** A new signing secret as the Standard Webhooks libraries read it: "whsec_" + base64 of 32 random bytes. */
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

function chosenTypes(types: readonly string[]): OutgoingEventType[] {
  const chosen = OUTGOING_EVENT_TYPES.filter((t) => types.includes(t));
  if (chosen.length === 0) throw new DomainError("invalid_input", "Choose at least one event type.");
  return chosen;
}

function existing(tx: Tx, id: number): SubscriptionRow {
  const s = subscriptionById(tx, id);
  if (!s) throw new DomainError("not_found", `Webhook subscription ${id} does not exist.`);
  return s;
}

/**
 * Creates a subscription with a new secret (returned this once, never audited) and starts its delivery at
 * the outbox's head: a new subscriber hears what happens from now on, not the outbox's history.
 */
export function createSubscription(tx: Tx, c: { url: string; eventTypes: readonly string[]; actor: Actor; at: number }): { id: number; secret: string } {
  const problem = subscriberUrlProblem(c.url);
  if (problem) throw new DomainError("invalid_input", problem);
  const eventTypes = chosenTypes(c.eventTypes);
  const secret = newSecret();
  const id = insertSubscription(tx, { url: c.url, eventTypes, secret, createdBy: c.actor.id, at: c.at });
  advanceCursor(tx, subscriptionConsumerName(id), outboxHead(tx), c.at);
  appendAudit(tx, {
    entityType: "webhook_subscription",
    entityId: id,
    actor: c.actor,
    action: "webhook_subscription_created",
    reason: `Webhook subscription to ${c.url} for ${eventTypes.join(", ")}, secret fingerprint ${fingerprint(secret)}`,
    data: { url: c.url, eventTypes, fingerprint: fingerprint(secret) },
    at: c.at,
  });
  return { id, secret };
}

/** A new secret (returned this once); the previous one keeps signing beside it for 24 hours, so the receiver can switch over. */
export function rotateSubscriptionSecret(tx: Tx, r: { id: number; actor: Actor; at: number }): { secret: string; previousValidUntil: number } {
  const s = existing(tx, r.id);
  const secret = newSecret();
  const previousValidUntil = r.at + ROTATION_GRACE_MS;
  replaceSubscriptionSecret(tx, { id: r.id, secret, previousValidUntil, at: r.at });
  appendAudit(tx, {
    entityType: "webhook_subscription",
    entityId: r.id,
    actor: r.actor,
    action: "webhook_subscription_secret_rotated",
    reason: `Secret of the webhook subscription to ${s.url} rotated: fingerprint ${fingerprint(secret)}; the previous one (${fingerprint(s.secret)}) signs too for 24 h`,
    data: { fingerprint: fingerprint(secret), previousFingerprint: fingerprint(s.secret), previousValidUntil },
    at: r.at,
  });
  return { secret, previousValidUntil };
}

export function changeSubscriptionEventTypes(tx: Tx, c: { id: number; eventTypes: readonly string[]; actor: Actor; at: number }): { eventTypes: OutgoingEventType[] } {
  const s = existing(tx, c.id);
  const eventTypes = chosenTypes(c.eventTypes);
  updateSubscriptionEventTypes(tx, { id: c.id, eventTypes, at: c.at });
  appendAudit(tx, {
    entityType: "webhook_subscription",
    entityId: c.id,
    actor: c.actor,
    action: "webhook_subscription_events_changed",
    reason: `Webhook subscription to ${s.url} now hears ${eventTypes.join(", ")}`,
    data: { from: s.eventTypes, to: eventTypes },
    at: c.at,
  });
  return { eventTypes };
}

/**
 * An admin enables or disables a subscription. Enabling starts again at the outbox's head (what happened
 * while it was off is not sent) and clears a 410 alert.
 */
export function setSubscriptionEnabledBy(tx: Tx, e: { id: number; enabled: boolean; actor: Actor; at: number }): { enabled: boolean } {
  const s = existing(tx, e.id);
  if (!setSubscriptionEnabled(tx, { id: e.id, enabled: e.enabled, reason: `Disabled by ${e.actor.label}`, at: e.at })) {
    throw new DomainError("conflict", `The webhook subscription to ${s.url} is already ${e.enabled ? "enabled" : "disabled"}.`);
  }
  if (e.enabled) {
    advanceCursor(tx, subscriptionConsumerName(e.id), outboxHead(tx), e.at);
    resolveSubscriptionAlert(tx, { rule: SUBSCRIPTION_GONE_RULE, subscriptionId: e.id, at: e.at });
  }
  appendAudit(tx, {
    entityType: "webhook_subscription",
    entityId: e.id,
    actor: e.actor,
    action: e.enabled ? "webhook_subscription_enabled" : "webhook_subscription_disabled",
    fromStatus: s.enabled ? "enabled" : "disabled",
    toStatus: e.enabled ? "enabled" : "disabled",
    reason: `Webhook subscription to ${s.url} ${e.enabled ? "enabled" : "disabled"}${!e.enabled ? "" : s.disabledReason ? ` (it was: ${s.disabledReason})` : ""}`,
    at: e.at,
  });
  return { enabled: e.enabled };
}

/** Queues a `webhook.test` event for this subscription only; the worker delivers it like any other, after commit. */
export function queueTestEvent(tx: Tx, t: { id: number; actor: Actor; at: number }): { queued: true } {
  const s = existing(tx, t.id);
  if (!s.enabled) throw new DomainError("conflict", "This subscription is disabled: enable it to send a test event.");
  enqueueOutbox(tx, { topic: TEST_EVENT_TYPE, aggregateType: "webhook_subscription", aggregateId: t.id, payload: { subscriptionId: t.id, requestedBy: t.actor.label }, at: t.at });
  appendAudit(tx, { entityType: "webhook_subscription", entityId: t.id, actor: t.actor, action: "webhook_test_sent", reason: `Test event queued for ${s.url}`, at: t.at });
  return { queued: true };
}

/** The receiver answered 410 Gone: the worker disables the subscription with the reason and raises an alert for admins. */
export function disableGoneSubscription(tx: Tx, g: { id: number; messageId: string; at: number }): boolean {
  const s = existing(tx, g.id);
  const reason = `The receiver answered 410 Gone to ${g.messageId}`;
  if (!setSubscriptionEnabled(tx, { id: g.id, enabled: false, reason, at: g.at })) return false;
  raiseSubscriptionAlert(tx, { rule: SUBSCRIPTION_GONE_RULE, subscriptionId: g.id, at: g.at, data: { messageId: g.messageId } });
  appendAudit(tx, {
    entityType: "webhook_subscription",
    entityId: g.id,
    actor: SYSTEM,
    action: "webhook_subscription_disabled",
    fromStatus: "enabled",
    toStatus: "disabled",
    reason: `Webhook subscription to ${s.url} disabled: ${reason}`,
    data: { messageId: g.messageId, statusCode: 410 },
    at: g.at,
  });
  return true;
}

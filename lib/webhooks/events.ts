/**
 * The events a subscriber may choose, each the outbox topic of the same name (written in the change's own
 * transaction: order-placed intake, transition(), advanceShipment() as `shipment.<to>`, the backorder
 * writers, the payout's success writer).
 */
export const OUTGOING_EVENT_TYPES = ["order.created", "order.status_changed", "shipment.shipped", "backorder.created", "refund.succeeded"] as const;
export type OutgoingEventType = (typeof OUTGOING_EVENT_TYPES)[number];

export const EVENT_TYPE_LABELS: Record<OutgoingEventType, string> = {
  "order.created": "Order created",
  "order.status_changed": "Order status changed",
  "shipment.shipped": "Shipment shipped",
  "backorder.created": "Backorder created",
  "refund.succeeded": "Refund succeeded",
};

/** An admin's "Send test event": an outbox row for one subscription only. */
export const TEST_EVENT_TYPE = "webhook.test";

/** The `webhook-id` header: one per message and subscriber, the same on every retry, so receivers can dedupe. */
export function messageIdFor(outboxId: number, subscriptionId: number): string {
  return `msg_${outboxId}_${subscriptionId}`;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why a subscriber URL is refused, or null: https anywhere, plain http only to this machine (for testing receivers). */
export function subscriberUrlProblem(text: string): string | null {
  if (text.length > 2_000) return "The URL is too long (at most 2,000 characters).";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Not a URL: write it whole, such as https://example.com/webhooks.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `Only https URLs are accepted, not ${url.protocol.replace(":", "")}.`;
  if (url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname)) return "Use https: plain http is only accepted for localhost or 127.0.0.1.";
  if (url.username || url.password) return "Put no user name or password in the URL: requests are authenticated by their signature.";
  if (url.hash) return "A URL with a #fragment is never sent; remove it.";
  return null;
}

/** Each subscription is its own outbox consumer, with its own cursor, backoff and dead letters. */
export function subscriptionConsumerName(subscriptionId: number): string {
  return `webhook:${subscriptionId}`;
}

/** The alert raised when a receiver answers 410 Gone and its subscription is disabled. */
export const SUBSCRIPTION_GONE_RULE = "webhook_subscription_gone";

/** The secrets that sign a request now: the current one, and the previous one during its rotation overlap. */
export function signingSecrets(s: { secret: string; previousSecret: string | null; previousValidUntil: number | null }, now: number): string[] {
  return s.previousSecret && (s.previousValidUntil ?? 0) > now ? [s.secret, s.previousSecret] : [s.secret];
}

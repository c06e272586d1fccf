import Stripe from "stripe";
import { SWITCHYARD_REFUND_ID, type PaymentProvider, type RefundAnswer, type RefundRequest } from "./provider.ts";

export type StripeConfig = {
  secretKey: string;
  /** protocol://host:port instead of https://api.stripe.com (stripe-mock in tests). */
  apiBase?: string;
  /** Below the payments consumer's 30 s, so a slow Stripe is a thrown error (retried) rather than a timed-out delivery. */
  timeoutMs?: number;
};

/**
 * Refunds through Stripe's official client: one `refunds.create` on the order's payment intent per call,
 * with our idempotency key, so a retried delivery gets the same Stripe refund back.
 *
 * What Stripe says becomes a verdict, or a thrown error the outbox engine retries with the same key:
 * - refund `succeeded` → succeeded with Stripe's `re_…`; `pending`/`requires_action` → pending (the refund
 *   stays approved with that reference until Stripe's webhook says how it ended: a pending refund can still
 *   fail, and the customer must not be told "refunded" before the money has left);
 *   `failed`/`canceled` → failed with Stripe's failure reason.
 * - Stripe refusing the request (card and invalid-request errors, 400/402/404) → failed with Stripe's message
 *   for finance: the same request would be refused again, so only a person can fix it (then retries).
 * - Connection errors, timeouts, 409/429/5xx → thrown: retried with the same key after a backoff.
 * - A refused API key (401/403) → thrown: our configuration is wrong, not the refund; the delivery is retried,
 *   then dead-lettered with an alert.
 */
export function stripeProvider(config: StripeConfig): PaymentProvider & { readonly client: Stripe } {
  const client = new Stripe(config.secretKey, {
    ...connection(config.apiBase),
    // The outbox engine owns retries and backoff (same idempotency key), and records each attempt.
    maxNetworkRetries: 0,
    timeout: config.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: "switchyard" },
  });
  return {
    name: "stripe",
    client,
    async refund(r: RefundRequest): Promise<RefundAnswer> {
      // Real Stripe refuses a refund without a payment (parameter_missing); no call is spent on one.
      if (!r.paymentRef) return { status: "failed", reference: r.idempotencyKey, message: `Order ${r.orderId} has no Stripe payment on record to refund (no payment intent was captured through Stripe).` };
      try {
        const refund = await client.refunds.create(
          {
            payment_intent: r.paymentRef,
            amount: r.amount,
            currency: r.currency.toLowerCase(),
            metadata: { [SWITCHYARD_REFUND_ID]: String(r.refundId), switchyard_order_id: String(r.orderId) },
          },
          { idempotencyKey: r.idempotencyKey },
        );
        return answerOf(refund);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError || error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeIdempotencyError) {
          const code = error.code ? ` (${error.code})` : "";
          return { status: "failed", reference: error.requestId ?? r.idempotencyKey, message: `Stripe refused the refund${code}: ${error.message}` };
        }
        throw error;
      }
    },
  };
}

function answerOf(refund: Stripe.Refund): RefundAnswer {
  switch (refund.status) {
    case "succeeded":
      return { status: "succeeded", reference: refund.id };
    case "failed":
    case "canceled":
      return { status: "failed", reference: refund.id, message: `Stripe: refund ${refund.id} ${refund.status}${refund.failure_reason ? ` (${refund.failure_reason.replaceAll("_", " ")})` : ""}.` };
    default:
      // pending, requires_action, or a status newer than this client: not settled yet.
      return { status: "pending", reference: refund.id };
  }
}

/** host/port/protocol for the client from a base URL; none means Stripe's own API. */
function connection(apiBase: string | undefined): { host?: string; port?: number; protocol?: "http" | "https" } {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443, protocol };
}

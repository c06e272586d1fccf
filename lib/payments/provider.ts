/** What Switchyard asks of a payment provider. A real one implements this; the default simulates. */
export type RefundRequest = { orderId: number; refundId: number; amount: number; currency: string; idempotencyKey: string; paymentRef?: string | null };
/**
 * The provider's verdict. A thrown error is not a verdict: the call is retried with the same idempotency key.
 * `pending`: accepted but not settled (Stripe says so for some payment methods); the refund keeps the
 * reference and stays approved until the provider's webhook says how it ended.
 */
export type RefundAnswer = { status: "succeeded" | "failed" | "pending"; reference: string; message?: string };

/** Where a provider's refund carries our refund id (Stripe's metadata): how the intake knows a refund it hears of is one we paid out. */
export const SWITCHYARD_REFUND_ID = "switchyard_refund_id";

/** The port the payments consumer calls after commit, never inside a transaction. */
export interface PaymentProvider {
  readonly name: string;
  refund(request: RefundRequest): Promise<RefundAnswer>;
}

/** Succeeds every refund with a deterministic reference: the demo default while STRIPE_SECRET_KEY is unset. */
export const simulatedProvider: PaymentProvider = {
  name: "simulated",
  refund: async (r) => ({ status: "succeeded", reference: `sim_re_${r.orderId}_${r.refundId}` }),
};

let current: PaymentProvider = simulatedProvider;

export function paymentProvider(): PaymentProvider {
  return current;
}

/** For tests and for wiring a real provider at start-up. */
export function usePaymentProvider(provider: PaymentProvider): void {
  current = provider;
}

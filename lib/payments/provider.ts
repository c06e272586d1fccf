/** What Switchyard asks of a payment provider. A real one implements this; the default simulates. */
export type RefundRequest = { orderId: number; refundId: number; amount: number; currency: string; idempotencyKey: string };
export type RefundAnswer = { status: "succeeded" | "failed"; reference: string; message?: string };

export interface PaymentProvider {
  readonly name: string;
  refund(request: RefundRequest): RefundAnswer;
}

/** Succeeds every refund with a deterministic reference: the default until a real provider is configured. */
export const simulatedProvider: PaymentProvider = {
  name: "simulated",
  refund: (r) => ({ status: "succeeded", reference: `sim_re_${r.orderId}_${r.refundId}` }),
};

let current: PaymentProvider = simulatedProvider;

export function paymentProvider(): PaymentProvider {
  return current;
}

/** For tests and for wiring a real provider at start-up. */
export function usePaymentProvider(provider: PaymentProvider): void {
  current = provider;
}

import { beforeAll, describe } from "vitest";

/** The stripe-mock `npm test` starts (scripts/stripe-mock.ts): Stripe's own API mock, stateless, answering fixtures. */
export const STRIPE_MOCK_URL = process.env.STRIPE_MOCK_URL;

/**
 * describe() for tests against stripe-mock. Without one every test fails with the reason (`npm test` passes on
 * why it could not be built or started); they are never skipped. Through vitest directly, start one first:
 * `node scripts/stripe-mock.ts` prints the STRIPE_MOCK_URL to set.
 */
export function describeStripeMock(name: string, body: () => void): void {
  describe(name, () => {
    if (!STRIPE_MOCK_URL) {
      beforeAll(() => {
        throw new Error(`stripe-mock is required here but unavailable: ${process.env.STRIPE_MOCK_UNAVAILABLE ?? "STRIPE_MOCK_URL is not set (node scripts/stripe-mock.ts prints one)"}`);
      });
    }
    body();
  });
}

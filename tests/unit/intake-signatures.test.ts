import { describe, expect, test } from "vitest";
import Stripe from "stripe";
import { Webhook } from "standardwebhooks";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { verifyStripe } from "../../lib/intake/verify/stripe.ts";
import { verifyShopify } from "../../lib/intake/verify/shopify.ts";
import { verifyStandardWebhook } from "../../lib/intake/verify/standard-webhooks.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const body = JSON.stringify({ id: "evt_1", type: "payment_intent.succeeded", note: "naïve café ✓" });

describe("our verifiers accept what the senders' own packages sign, and nothing else", () => {
  test("Stripe: the stripe package's header verifies; a changed byte, another secret or a stale timestamp does not", () => {
    const secret = "whsec_unit_test_secret";
    const now = Date.now();
    const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
    expect(verifyStripe(bytes(body), header, [secret], now)).toEqual({ ok: true });
    expect(Stripe.webhooks.constructEvent(body, header, secret)).toMatchObject({ id: "evt_1" });
    expect(verifyStripe(bytes(body.replace("evt_1", "evt_2")), header, [secret], now)).toMatchObject({ ok: false });
    expect(verifyStripe(bytes(body), header, ["whsec_other"], now)).toMatchObject({ ok: false, reason: "no v1 signature matches" });
    const old = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(now / 1000) - 301 });
    expect(verifyStripe(bytes(body), old, [secret], now)).toEqual({ ok: false, reason: "stale timestamp (outside the 300 s tolerance)" });
    expect(verifyStripe(bytes(body), null, [secret], now)).toMatchObject({ ok: false });
  });

  test("Shopify: getHmac's signature verifies over the raw bytes, not a re-serialised body", () => {
    const secret = "shopify_unit_secret";
    expect(verifyShopify(bytes(body), getHmac(body, secret), [secret])).toEqual({ ok: true });
    expect(verifyShopify(bytes(JSON.stringify(JSON.parse(body), null, 1)), getHmac(body, secret), [secret]).ok).toBe(false);
    expect(verifyShopify(bytes(body), getHmac(body, secret), ["previous_secret", secret])).toEqual({ ok: true });
  });

  test("Standard Webhooks: the reference signer's signature verifies, the reference verifier agrees, several signatures are allowed", () => {
    const secret = `whsec_${Buffer.from("a-standard-webhooks-key-32-bytes!").toString("base64")}`;
    const id = "msg_unit_1";
    const at = new Date();
    const signature = new Webhook(secret).sign(id, at, body);
    const headers = new Headers({ "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": `v1,AAAA ${signature}` });
    expect(verifyStandardWebhook(bytes(body), headers, [secret], at.getTime())).toEqual({ ok: true });
    expect(new Webhook(secret).verify(body, { "webhook-id": id, "webhook-timestamp": headers.get("webhook-timestamp")!, "webhook-signature": signature })).toMatchObject({ id: "evt_1" });
    expect(verifyStandardWebhook(bytes(body), headers, [`whsec_${Buffer.from("another-key-entirely-000000000000").toString("base64")}`], at.getTime()).ok).toBe(false);
    expect(verifyStandardWebhook(bytes(body), headers, [secret], at.getTime() + 301_000)).toEqual({ ok: false, reason: "stale timestamp (outside the 300 s tolerance)" });
  });
});

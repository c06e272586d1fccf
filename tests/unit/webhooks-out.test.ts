import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { messageIdFor, signingSecrets, subscriberUrlProblem } from "../../lib/webhooks/events.ts";
import { signatureHeader } from "../../lib/webhooks/send.ts";

describe("subscriber URLs", () => {
  it.each(["https://example.com/hooks", "https://hooks.example.com:8443/a?b=c", "http://localhost:3000/hooks", "http://127.0.0.1:9/x", "http://[::1]:8080/"])("accepts %s", (url) => {
    expect(subscriberUrlProblem(url)).toBeNull();
  });
  it.each([
    ["http://example.com/hooks", "Use https: plain http is only accepted for localhost or 127.0.0.1."],
    ["http://10.0.0.5/hooks", "Use https: plain http is only accepted for localhost or 127.0.0.1."],
    ["ftp://example.com/x", "Only https URLs are accepted, not ftp."],
    ["example.com/hooks", "Not a URL: write it whole, such as https://example.com/webhooks."],
    ["https://user:pw@example.com/", "Put no user name or password in the URL: requests are authenticated by their signature."],
    ["https://example.com/#x", "A URL with a #fragment is never sent; remove it."],
  ])("refuses %s with a clear reason", (url, reason) => {
    expect(subscriberUrlProblem(url)).toBe(reason);
  });
});

describe("signatures", () => {
  const a = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;
  const b = `whsec_${Buffer.alloc(32, 2).toString("base64")}`;
  const body = JSON.stringify({ type: "order.created", timestamp: "2026-01-01T00:00:00.000Z", data: { orderId: 1 } });
  const id = messageIdFor(12, 3);
  const ts = String(Math.floor(Date.now() / 1000));

  it("the webhook-id is stable per message and subscriber", () => {
    expect(id).toBe("msg_12_3");
  });

  it("one v1 signature per secret in force, each verified by the reference package", () => {
    const header = signatureHeader([a, b], id, ts, body);
    expect(header.split(" ")).toHaveLength(2);
    for (const secret of [a, b]) expect(new Webhook(secret).verify(body, { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": header })).toEqual(JSON.parse(body));
    const other = `whsec_${Buffer.alloc(32, 3).toString("base64")}`;
    expect(() => new Webhook(other).verify(body, { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": header })).toThrow();
  });

  it("the previous secret signs only until its overlap ends", () => {
    const now = 1_000_000;
    expect(signingSecrets({ secret: b, previousSecret: a, previousValidUntil: now + 1 }, now)).toEqual([b, a]);
    expect(signingSecrets({ secret: b, previousSecret: a, previousValidUntil: now }, now)).toEqual([b]);
    expect(signingSecrets({ secret: b, previousSecret: null, previousValidUntil: null }, now)).toEqual([b]);
  });
});

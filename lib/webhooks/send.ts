import { standardSignature } from "../intake/verify/standard-webhooks.ts";

type Sent = { statusCode: number | null; latencyMs: number; error: string | null };

/** The `webhook-signature` header: one `v1,<base64>` per secret in force, space-separated (two while a secret is rotated). */
export function signatureHeader(secrets: string[], messageId: string, timestamp: string, body: string): string {
  const bytes = Buffer.from(body, "utf8");
  return secrets.map((s) => `v1,${standardSignature(s, messageId, timestamp, bytes).toString("base64")}`).join(" ");
}

/**
 * One signed POST per the Standard Webhooks spec, with its own timeout; never throws. Redirects are not
 * followed (a 3xx is a failed attempt): the admin registered this URL, not wherever it points.
 */
export async function postSignedWebhook(m: { url: string; messageId: string; body: string; secrets: string[]; timeoutMs: number }): Promise<Sent> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(m.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(m.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Switchyard-Webhooks/1",
        "webhook-id": m.messageId,
        "webhook-timestamp": timestamp,
        "webhook-signature": signatureHeader(m.secrets, m.messageId, timestamp, m.body),
      },
      body: m.body,
    });
    const latencyMs = latency();
    await res.body?.cancel().catch(() => {});
    return { statusCode: res.status, latencyMs, error: res.status >= 200 && res.status < 300 ? null : `receiver answered ${res.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${m.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { statusCode: null, latencyMs: latency(), error: `request failed: ${why}` };
  }
}

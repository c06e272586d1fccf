import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { Webhook } from "standardwebhooks";

type Received = { id: string; timestamp: string; signature: string; body: string; verified: boolean; verifyError: string | null };
/** What the receiver answers to its n-th request (from 1): a status, or "hang" to never answer. */
type Answer = number | "hang";

/**
 * A subscriber's endpoint on a free local port: a real HTTP server that verifies every request with the
 * Standard Webhooks reference package (`standardwebhooks`) against the secrets it was given, as a
 * receiver would, and records what came in.
 */
export async function startReceiver(o: { answer?: (n: number) => Answer; secrets?: () => string[] } = {}) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const header = (h: IncomingHttpHeaders, name: string) => String(h[name] ?? "");
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verifyError: string | null = null;
      const secrets = o.secrets?.() ?? [];
      if (secrets.length === 0) verifyError = "no secret to verify with";
      for (const secret of secrets) {
        try {
          new Webhook(secret).verify(body, { "webhook-id": header(req.headers, "webhook-id"), "webhook-timestamp": header(req.headers, "webhook-timestamp"), "webhook-signature": header(req.headers, "webhook-signature") });
        } catch (error) {
          verifyError = `${secret.slice(0, 12)}…: ${(error as Error).message}`;
        }
      }
      received.push({ id: header(req.headers, "webhook-id"), timestamp: header(req.headers, "webhook-timestamp"), signature: header(req.headers, "webhook-signature"), body, verified: verifyError === null, verifyError });
      const answer = o.answer?.(received.length) ?? 200;
      if (answer === "hang") return void hanging.push(res);
      res.writeHead(answer, { "content-type": "text/plain" }).end(String(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

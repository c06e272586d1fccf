// The other side for `npm run bench -- outbox`: a plain node:http receiver on loopback, in its own process.
// Engine-only scenarios: POST /batch {messages:[{id,…}]} and POST /message {id,…} record message ids (distinct and repeated).
// Webhook scenarios: POST /hooks/<key> is a subscriber's endpoint: every request is verified with the official
// Standard Webhooks package (`standardwebhooks`) against the secret registered for <key> (POST /secret
// {key, secret}); verified requests answer 204, others 401; webhook-ids taken (204) twice count as duplicates.
// While "down" every request (and GET /health) answers 503. POST /control?up=0|1 switches it; GET /stats reports.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

let up = true;
const seen = new Set<number>();
let received = 0;
let requests = 0;

const verifiers = new Map<string, Webhook>();
const taken = new Set<string>();
const hooks = { requests: 0, rejected503: 0, verified: 0, failedSignatures: 0, duplicates: 0, firstTakenAt: 0, lastTakenAt: 0, failures: [] as string[] };
const resetHooks = () => {
  taken.clear();
  Object.assign(hooks, { requests: 0, rejected503: 0, verified: 0, failedSignatures: 0, duplicates: 0, firstTakenAt: 0, lastTakenAt: 0, failures: [] });
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  const answer = (status: number, body: unknown = {}) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/control") {
    up = url.searchParams.get("up") === "1";
    return answer(200, { up });
  }
  if (url.pathname === "/stats") return answer(200, { received, distinct: seen.size, duplicates: received - seen.size, requests, up, hooks: { ...hooks, distinct: taken.size } });
  if (url.pathname === "/reset") {
    seen.clear();
    received = requests = 0;
    resetHooks();
    return answer(200);
  }
  if (url.pathname === "/health") return answer(up ? 200 : 503);
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    if (url.pathname === "/secret") {
      const { key, secret } = JSON.parse(text) as { key: string; secret: string };
      verifiers.set(key, new Webhook(secret));
      return answer(200);
    }
    if (url.pathname.startsWith("/hooks/")) {
      hooks.requests += 1;
      if (!up) {
        hooks.rejected503 += 1;
        return answer(503, { error: "down for maintenance" });
      }
      const id = String(req.headers["webhook-id"] ?? "");
      try {
        const verifier = verifiers.get(url.pathname.slice("/hooks/".length));
        if (!verifier) throw new Error("no secret registered for this endpoint");
        verifier.verify(text, { "webhook-id": id, "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""), "webhook-signature": String(req.headers["webhook-signature"] ?? "") });
      } catch (error) {
        hooks.failedSignatures += 1;
        if (hooks.failures.length < 5) hooks.failures.push(`${id}: ${(error as Error).message}`);
        return answer(401, { error: "signature does not verify" });
      }
      hooks.verified += 1;
      if (taken.has(id)) hooks.duplicates += 1;
      taken.add(id);
      const now = Date.now();
      hooks.firstTakenAt ||= now;
      hooks.lastTakenAt = now;
      res.writeHead(204).end();
      return;
    }
    requests += 1;
    if (!up) return answer(503, { error: "down for maintenance" });
    const body = JSON.parse(text) as { messages?: { id: number }[]; id?: number };
    const ids = body.messages ? body.messages.map((m) => m.id) : [body.id!];
    for (const id of ids) {
      received += 1;
      seen.add(id);
    }
    answer(200, { accepted: ids.length });
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));

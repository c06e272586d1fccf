// The other side for `npm run bench -- outbox`: a plain node:http receiver on loopback, in its own process.
// POST /batch {messages:[{id,…}]} and POST /message {id,…} record message ids (distinct and repeated);
// while "down" every request (and GET /health) answers 503. POST /control?up=0|1 switches it; GET /stats reports.
import { createServer } from "node:http";

let up = true;
const seen = new Set<number>();
let received = 0;
let requests = 0;

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
  if (url.pathname === "/stats") return answer(200, { received, distinct: seen.size, duplicates: received - seen.size, requests, up });
  if (url.pathname === "/reset") {
    seen.clear();
    received = requests = 0;
    return answer(200);
  }
  if (url.pathname === "/health") return answer(up ? 200 : 503);
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    requests += 1;
    if (!up) return answer(503, { error: "down for maintenance" });
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { messages?: { id: number }[]; id?: number };
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

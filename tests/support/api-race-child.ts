// One request to the orders API from its own process, as another app server would send it:
//   node --conditions=react-server tests/support/api-race-child.ts <db file> <api key> <idempotency key> <body json> [slowMs]
// With slowMs, this process's own connection sleeps that long inside the transaction that creates the order
// (a TEMP trigger: it fires for this connection only), so the request is visibly "still running" to others.
// Says {"ready":true}, waits for "go" on stdin, then prints {"status", "headers", "body"} and exits.
const [file, apiKey, idempotencyKey, body, slowArg = "0"] = process.argv.slice(2);
if (!file || !apiKey || !idempotencyKey || !body) {
  process.stderr.write("usage: api-race-child.ts <db file> <api key> <idempotency key> <body json> [slowMs]\n");
  process.exit(2);
}
process.env.DATABASE_PATH = file;
const { database } = await import("../../db/index.ts");
const { POST } = await import("../../app/api/v1/orders/route.ts");

const slowMs = Number(slowArg);
if (slowMs > 0) {
  const conn = database().$client;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  conn.function("test_sleep", (ms: unknown) => (Atomics.wait(pause, 0, 0, Number(ms)), 0));
  conn.exec(`CREATE TEMP TRIGGER api_race_slow AFTER INSERT ON orders BEGIN SELECT test_sleep(${slowMs}); END`);
}

process.stdout.write(JSON.stringify({ ready: true }) + "\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const res = await POST(
  new Request("http://localhost/api/v1/orders", { method: "POST", body, headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": idempotencyKey } }),
);
process.stdout.write(JSON.stringify({ status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }) + "\n");
process.exit(0);
export {};

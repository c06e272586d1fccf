import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";
import { idempotencyKey, makeApiKey, orderBody, send } from "../support/api.ts";
import { purgeIdempotencyKeys, IDEMPOTENCY_TTL_MS } from "../../lib/api/idempotency.ts";
import { runWorker } from "../../lib/worker/run.ts";

let db: DB;
let file: string;
let cleanup: () => void;
let key: string;
let skus: string[];
let refSeq = 0;

beforeAll(async () => {
  ({ db, file, cleanup } = await seededAppDatabase({ orders: 30 }));
  key = makeApiKey(db).key;
  skus = (db.$client.prepare("SELECT sku FROM products WHERE active = 1 AND currency = 'EUR' ORDER BY id LIMIT 3").all() as { sku: string }[]).map((r) => r.sku);
}, 120_000);
afterAll(() => cleanup?.());

const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
const ordersWith = (ref: string) => one<{ n: number }>("SELECT count(*) AS n FROM orders WHERE external_ref = ?", `api:${ref}`).n;
const newRef = () => `idem-${process.pid}-${++refSeq}`;

describe("Idempotency-Key on every POST", () => {
  test("a POST without Idempotency-Key is a 400 naming the header and writes nothing", async () => {
    const before = tableCounts(db);
    const res = await send("POST", "/api/v1/orders", { key, body: orderBody(skus), idempotencyKey: null });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({ code: "invalid_input", errors: [{ header: "Idempotency-Key" }] });
    expect(tableCounts(db)).toEqual(before);
  });

  test("the same key and body again answers the first response byte for byte, with Idempotent-Replayed, and places one order", async () => {
    const ref = newRef();
    const k = idempotencyKey();
    const first = await send("POST", "/api/v1/orders", { key, body: orderBody(skus, { external_reference: ref }), idempotencyKey: k });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const afterFirst = tableCounts(db);
    // The same body with its keys in another order and other spacing is the same request.
    const body = orderBody(skus, { external_reference: ref });
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 2);
    const again = await send("POST", "/api/v1/orders", { key, rawBody: reordered, idempotencyKey: k });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(tableCounts(db)).toEqual(afterFirst);
    expect(ordersWith(ref)).toBe(1);
  });

  test("the same key with a different body is a 422 and writes nothing", async () => {
    const k = idempotencyKey();
    const ref = newRef();
    expect((await send("POST", "/api/v1/orders", { key, body: orderBody(skus, { external_reference: ref }), idempotencyKey: k })).status).toBe(201);
    const before = tableCounts(db);
    const other = await send("POST", "/api/v1/orders", { key, body: orderBody(skus.slice(0, 1), { external_reference: ref }), idempotencyKey: k });
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ code: "idempotency_mismatch", status: 422 });
    // The same key on another operation is a different request too.
    const number = one<{ number: string }>("SELECT number FROM orders WHERE external_ref = ?", `api:${ref}`).number;
    const cancel = await send("POST", `/api/v1/orders/${number}/cancel`, { key, body: { reason: "customer_requested" }, idempotencyKey: k });
    expect(cancel.json).toMatchObject({ code: "idempotency_mismatch" });
    expect(tableCounts(db)).toEqual(before);
  });

  test("keys are per API key: another key with the same Idempotency-Key places its own order", async () => {
    const other = makeApiKey(db, ["orders:write"]).key;
    const k = idempotencyKey();
    const a = await send("POST", "/api/v1/orders", { key, body: orderBody(skus), idempotencyKey: k });
    const b = await send("POST", "/api/v1/orders", { key: other, body: orderBody(skus), idempotencyKey: k });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(a.json.number).not.toBe(b.json.number);
  });

  test("a refusal by the domain (cancelling a shipped order) is stored with the key and replayed; the order is untouched", async () => {
    const shipped = one<{ number: string; version: number }>("SELECT number, version FROM orders WHERE status = 'fulfilled' ORDER BY id LIMIT 1");
    const k = idempotencyKey();
    const first = await send("POST", `/api/v1/orders/${shipped.number}/cancel`, { key, body: { reason: "customer_requested" }, idempotencyKey: k });
    expect(first.status).toBe(409);
    expect(first.json).toMatchObject({ current_status: "fulfilled", order_number: shipped.number });
    const again = await send("POST", `/api/v1/orders/${shipped.number}/cancel`, { key, body: { reason: "customer_requested" }, idempotencyKey: k });
    expect(again.text).toBe(first.text);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(one("SELECT status, version FROM orders WHERE number = ?", shipped.number)).toEqual({ status: "fulfilled", version: shipped.version });
  });

  test("a request refused before the change (400) keeps nothing: fixed, the same key then runs", async () => {
    const k = idempotencyKey();
    const bad = await send("POST", "/api/v1/orders", { key, body: { ...orderBody(skus), lines: [] }, idempotencyKey: k });
    expect(bad.status).toBe(400);
    expect(one("SELECT count(*) AS n FROM idempotency_keys WHERE key = ?", k)).toEqual({ n: 0 });
    expect((await send("POST", "/api/v1/orders", { key, body: orderBody(skus), idempotencyKey: k })).status).toBe(201);
  });
});

describe("a request still running in another process", () => {
  const CHILD = path.resolve("tests/support/api-race-child.ts");

  type Child = { proc: ChildProcessWithoutNullStreams; ready: Promise<void>; result: Promise<{ status: number; headers: Record<string, string>; body: string }> };

  function child(idemKey: string, body: unknown, slowMs = 0): Child {
    const proc = spawn(process.execPath, ["--conditions=react-server", CHILD, file, key, idemKey, JSON.stringify(body), String(slowMs)], { stdio: ["pipe", "pipe", "pipe"] });
    const lines = createInterface({ input: proc.stdout });
    let stderr = "";
    proc.stderr.on("data", (d) => (stderr += String(d)));
    const messages: unknown[] = [];
    const waiters: ((m: unknown) => void)[] = [];
    lines.on("line", (line) => {
      const m = JSON.parse(line) as unknown;
      const w = waiters.shift();
      if (w) w(m);
      else messages.push(m);
    });
    const next = () =>
      new Promise<unknown>((resolve, reject) => {
        if (messages.length) return resolve(messages.shift());
        waiters.push(resolve);
        proc.once("exit", (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
      });
    const ready = next().then(() => undefined);
    return { proc, ready, result: ready.then(() => next()) as Child["result"] };
  }

  async function inFlight(idemKey: string): Promise<void> {
    for (let i = 0; i < 2_000; i++) {
      const row = one<{ responseStatus: number | null } | undefined>("SELECT response_status AS responseStatus FROM idempotency_keys WHERE key = ?", idemKey);
      if (row && row.responseStatus === null) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error("the other process never claimed the key");
  }

  test("is answered 409 with Retry-After (another body: 422); once it finishes, the same request replays its 201; one order", async () => {
    const ref = newRef();
    const k = idempotencyKey();
    const body = orderBody(skus, { external_reference: ref });
    const a = child(k, body, 1_500);
    await a.ready;
    a.proc.stdin.write("go\n");
    await inFlight(k);

    const during = await send("POST", "/api/v1/orders", { key, body, idempotencyKey: k });
    expect(during.status).toBe(409);
    expect(during.json).toMatchObject({ code: "idempotency_in_progress" });
    expect(Number(during.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const different = await send("POST", "/api/v1/orders", { key, body: { ...body, tax: 1 }, idempotencyKey: k });
    expect(different.json).toMatchObject({ code: "idempotency_mismatch" });

    const first = await a.result;
    expect(first.status).toBe(201);
    const after = await send("POST", "/api/v1/orders", { key, body, idempotencyKey: k });
    expect(after.status).toBe(201);
    expect(after.text).toBe(first.body);
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(ordersWith(ref)).toBe(1);
    expect(one("SELECT count(*) AS n FROM webhook_events WHERE source = 'api' AND event_id LIKE ?", `%:${k}`)).toEqual({ n: 1 });
  }, 60_000);

  test("two processes sending the same key and body at the same moment place exactly one order", async () => {
    for (let round = 0; round < 4; round++) {
      const ref = newRef();
      const k = idempotencyKey();
      const body = orderBody(skus, { external_reference: ref });
      const racers = [child(k, body), child(k, body)];
      await Promise.all(racers.map((r) => r.ready));
      for (const r of racers) r.proc.stdin.write("go\n");
      const results = await Promise.all(racers.map((r) => r.result));
      const fresh = results.filter((r) => r.status === 201 && !r.headers["idempotent-replayed"]);
      expect(fresh).toHaveLength(1);
      for (const r of results) {
        if (r === fresh[0]) continue;
        // The loser either saw the winner running, or came after it and got its answer again.
        if (r.status === 201) expect(r.body).toBe(fresh[0]!.body);
        else expect(JSON.parse(r.body)).toMatchObject({ status: 409, code: "idempotency_in_progress" });
      }
      expect(ordersWith(ref)).toBe(1);
    }
  }, 120_000);

  test("a claim left by a process killed mid-change blocks the key until its lease runs out; then one order is placed", async () => {
    const ref = newRef();
    const k = idempotencyKey();
    const body = orderBody(skus, { external_reference: ref });
    const a = child(k, body, 30_000);
    a.result.catch(() => {}); // it is killed: there is no answer
    await a.ready;
    a.proc.stdin.write("go\n");
    await inFlight(k);
    const exited = new Promise((r) => a.proc.once("exit", r));
    a.proc.kill("SIGKILL");
    await exited;
    expect(ordersWith(ref)).toBe(0);

    expect((await send("POST", "/api/v1/orders", { key, body, idempotencyKey: k })).json).toMatchObject({ code: "idempotency_in_progress" });
    // The lease running out, without waiting for it:
    db.$client.prepare("UPDATE idempotency_keys SET locked_until = ? WHERE key = ?").run(Date.now() - 1, k);
    const taken = await send("POST", "/api/v1/orders", { key, body, idempotencyKey: k });
    expect(taken.status).toBe(201);
    expect(taken.headers.get("idempotent-replayed")).toBeNull();
    expect(ordersWith(ref)).toBe(1);
  }, 60_000);
});

describe("24 hours", () => {
  test("the worker purges keys older than 24 h, and a key that old counts as unused even before the purge", async () => {
    const k = idempotencyKey();
    const placed = await send("POST", "/api/v1/orders", { key, body: orderBody(skus), idempotencyKey: k });
    expect(placed.status).toBe(201);
    db.$client.prepare("UPDATE idempotency_keys SET created_at = created_at - ? WHERE key = ?").run(IDEMPOTENCY_TTL_MS + 1_000, k);
    // Reused after 24 h: not a replay; the intake remembers the event id, so it is refused rather than placed twice.
    const late = await send("POST", "/api/v1/orders", { key, body: orderBody(skus), idempotencyKey: k });
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({ code: "conflict" });

    const stale = idempotencyKey();
    await send("POST", "/api/v1/orders", { key, body: orderBody(skus), idempotencyKey: stale });
    db.$client.prepare("UPDATE idempotency_keys SET created_at = created_at - ? WHERE key = ?").run(IDEMPOTENCY_TTL_MS + 1_000, stale);
    const fresh = one<{ n: number }>("SELECT count(*) AS n FROM idempotency_keys WHERE created_at > ?", Date.now() - IDEMPOTENCY_TTL_MS).n;
    const controller = new AbortController();
    const lines: string[] = [];
    const worker = runWorker({ db, consumers: [], pollMs: 10, signal: controller.signal, alertEveryMs: 3_600_000, log: (l) => lines.push(l) });
    for (let i = 0; i < 200 && !lines.some((l) => l.startsWith("purged")); i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await worker;
    expect(lines.some((l) => /^purged [1-9]\d* Idempotency-Key record/.test(l))).toBe(true);
    expect(one("SELECT count(*) AS n FROM idempotency_keys WHERE key = ?", stale)).toEqual({ n: 0 });
    expect(one<{ n: number }>("SELECT count(*) AS n FROM idempotency_keys").n).toBe(fresh);
    expect(purgeIdempotencyKeys(db)).toBe(0);
  });
});

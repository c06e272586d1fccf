// `npm run bench -- outbox [--rows 20000] [--backlog 100000]`: the outbox delivery engine posting to a local
// HTTP receiver (bench/outbox-receiver.ts, node:http on 127.0.0.1 in its own process) through a minimal
// HTTP consumer (below) run by the worker's own loop (runConsumer → deliverNext, cursor in SQLite).
//  1. throughput: --rows messages already written, receiver up: rows/s until the cursor reaches the head,
//     posting JSON batches (one request per engine batch, up to 500 rows) and one request per message.
//  2. outage: the receiver answers 503 (and its health check too) while --backlog messages are written with
//     creation times spread over the last 5 minutes (what 5 minutes at backlog/300 rows/s leaves behind),
//     the consumer failing and backing off, its probe asking every second; then the receiver comes back and
//     we time from that moment until every message is at the receiver and the cursor is at the head.
// Prints a table, writes bench/results/outbox.json.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase, type DB } from "../db/client.ts";
import { enqueueOutbox } from "../lib/audit.ts";
import { runConsumer } from "../lib/worker/consumer-loop.ts";
import { outboxHead, readCursor } from "../lib/worker/cursors.ts";
import type { OutboxConsumer } from "../lib/worker/outbox.ts";
import { arg, table, writeResult } from "./lib.ts";

type Stats = { received: number; distinct: number; duplicates: number; requests: number; up: boolean };

/** A consumer that posts to the receiver: every batch as one JSON request, or one request per message. */
function httpConsumer(name: string, base: string, mode: "batch" | "single"): OutboxConsumer {
  const post = async (pathname: string, body: unknown) => {
    const res = await fetch(`${base}${pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`receiver answered ${res.status}`);
  };
  return {
    name,
    accepts: (topic) => topic.startsWith("order."),
    timeoutMs: 10_000,
    async deliver(rows, progress) {
      if (mode === "batch") {
        await post("/batch", { messages: rows.map((r) => ({ id: r.id, topic: r.topic, createdAt: r.createdAt, payload: r.payload })) });
        progress.delivered(rows.at(-1)!.id);
        return;
      }
      for (const r of rows) {
        await post("/message", { id: r.id, topic: r.topic, createdAt: r.createdAt, payload: r.payload });
        progress.delivered(r.id);
      }
    },
    probe: async () => (await fetch(`${base}/health`).then((r) => (r.arrayBuffer(), r.ok)).catch(() => false)),
  };
}

function write(db: DB, n: number, o: { from: number; to: number }): void {
  const step = n > 1 ? (o.to - o.from) / (n - 1) : 0;
  for (let done = 0; done < n; done += 1_000) {
    db.transaction((tx) => {
      for (let i = done; i < Math.min(n, done + 1_000); i++) {
        const at = Math.round(o.from + step * i);
        const orderId = 100_000 + i;
        enqueueOutbox(tx, { topic: "order.status_changed", aggregateType: "order", aggregateId: orderId, payload: { orderId, number: `SY-${orderId}`, from: "paid", to: "awaiting_fulfillment", at }, at });
      }
    });
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function main(args: string[]): Promise<void> {
  const rows = arg(args, "rows", 20_000);
  const backlog = arg(args, "backlog", 100_000);
  const dir = mkdtempSync(path.join(tmpdir(), "switchyard-bench-outbox-"));
  const db = openDatabase(path.join(dir, "bench.db"));
  migrateDatabase(db);
  const receiver = spawn(process.execPath, [path.resolve("bench/outbox-receiver.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => receiver.stdout.once("data", (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port)));
  const base = `http://127.0.0.1:${port}`;
  const control = async (p: string) => (await fetch(`${base}${p}`, { method: "POST" })).json();
  const stats = async () => (await (await fetch(`${base}/stats`)).json()) as Stats;
  const results: Record<string, unknown>[] = [];
  try {
    // 1. Throughput from a backlog, receiver up.
    for (const mode of ["batch", "single"] as const) {
      await control("/reset");
      const name = `bench-${mode}`;
      const from = outboxHead(db);
      write(db, rows, { from: Date.now(), to: Date.now() });
      const head = outboxHead(db);
      // The cursor starts just before this run's messages.
      db.$client.prepare("INSERT INTO outbox_cursors (consumer, last_id, updated_at) VALUES (?, ?, ?)").run(name, from, Date.now());
      const controller = new AbortController();
      const started = performance.now();
      const loop = runConsumer(db, httpConsumer(name, base, mode), { pollMs: 10, signal: controller.signal });
      await until(() => (readCursor(db, name)?.lastId ?? 0) >= head, 600_000);
      const seconds = (performance.now() - started) / 1000;
      controller.abort();
      await loop;
      const s = await stats();
      results.push({ scenario: `throughput, ${mode === "batch" ? "JSON batches" : "one POST per message"}`, rows, seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(rows / seconds), requests: s.requests, delivered: s.distinct, duplicates: s.duplicates });
    }

    // 2. A 5-minute outage's backlog, then the receiver comes back.
    await control("/reset");
    await control("/control?up=0");
    const name = "bench-outage";
    db.$client.prepare("INSERT INTO outbox_cursors (consumer, last_id, updated_at) VALUES (?, ?, ?)").run(name, outboxHead(db), Date.now());
    const controller = new AbortController();
    const loop = runConsumer(db, httpConsumer(name, base, "batch"), { pollMs: 10, signal: controller.signal });
    const now = Date.now();
    const writeStarted = performance.now();
    write(db, backlog, { from: now - 5 * 60_000, to: now });
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    const head = outboxHead(db);
    await until(() => (readCursor(db, name)?.attempts ?? 0) >= 2, 60_000); // failing and backing off, probes answered 503
    const failedAttempts = readCursor(db, name)!.attempts;
    const oldestAgeAtRecovery = Date.now() - (now - 5 * 60_000);
    await control("/control?up=1");
    const recovered = performance.now();
    let firstDelivery = 0;
    await until(async () => {
      const s = await stats();
      if (!firstDelivery && s.distinct > 0) firstDelivery = performance.now() - recovered;
      return s.distinct >= backlog && (readCursor(db, name)?.lastId ?? 0) >= head;
    }, 600_000);
    const drainSeconds = (performance.now() - recovered) / 1000;
    controller.abort();
    await loop;
    const s = await stats();
    const deadLetters = (db.$client.prepare("SELECT count(*) AS n FROM outbox_dead_letters").get() as { n: number }).n;
    results.push({
      scenario: `drain after a 5-minute outage (503), JSON batches`,
      rows: backlog,
      seconds: +drainSeconds.toFixed(2),
      rowsPerSecond: Math.round(backlog / drainSeconds),
      requests: s.requests,
      delivered: s.distinct,
      duplicates: s.duplicates,
    });
    table(results.map((r) => ({ ...r, seconds: String(r.seconds) })) as Record<string, string | number>[]);
    const outage = {
      backlog,
      writeSeconds: +writeSeconds.toFixed(2),
      failedAttemptsBeforeRecovery: failedAttempts,
      oldestMessageAgeAtRecoverySeconds: Math.round(oldestAgeAtRecovery / 1000),
      firstDeliveryAfterRecoveryMs: Math.round(firstDelivery),
      drainSeconds: +drainSeconds.toFixed(2),
      deadLetters,
    };
    console.log(
      `Outage: ${backlog.toLocaleString("en-GB")} messages written during a 503 outage (created over the last 5 min, oldest ${outage.oldestMessageAgeAtRecoverySeconds} s old at recovery; ${failedAttempts} failed attempts, ${deadLetters} dead letters); first delivery ${outage.firstDeliveryAfterRecoveryMs} ms after the receiver came back (probe every 1 s), all delivered and the cursor at the head ${outage.drainSeconds} s after it.`,
    );
    const file = writeResult("outbox", {
      measured:
        "SQLite outbox (temp file, WAL) → runConsumer/deliverNext (cursor per consumer) → HTTP POST to a node:http receiver on 127.0.0.1 in its own process. Throughput: a backlog of `rows` messages already written, timed from the consumer loop's start until its cursor reaches the head. Outage: receiver and its health check answer 503 while `backlog` messages are written (created_at spread over the 5 minutes before), the consumer failing and probing; timed from the receiver coming back until every message is received and the cursor is at the head. One process each for the engine and the receiver; 2 shared cores.",
      results,
      outage,
      node: process.version,
      at: new Date().toISOString(),
    });
    console.log(`wrote ${file}`);
  } finally {
    receiver.kill("SIGTERM");
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

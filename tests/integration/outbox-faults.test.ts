import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "../../db/client.ts";
import { readCursor, outboxHead } from "../../lib/worker/cursors.ts";
import { tempDatabase } from "../support/db.ts";

const CHILD = path.resolve("tests/support/outbox-fault-child.ts");

type Child = { proc: ChildProcessWithoutNullStreams; lines: string[]; exited: Promise<number | null> };

/** The engine in a worker process of its own (tests/support/outbox-fault-child.ts), ready once it says so. */
async function startWorker(file: string, mode: "effects" | "hang"): Promise<Child> {
  const proc = spawn(process.execPath, [CHILD, file, mode], { stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line.includes('"ready":true')) resolve();
      }
    });
    void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready: ${stderr}`)));
  });
  return { proc, lines, exited };
}

describe("outbox delivery survives its worker dying and a receiver hanging (real processes)", () => {
  let t: ReturnType<typeof tempDatabase>;
  let db: DB;
  const children: Child[] = [];
  const count = (sqlText: string, ...p: unknown[]) => (db.$client.prepare(sqlText).get(...p) as { n: number }).n;

  beforeEach(() => {
    t = tempDatabase();
    db = t.db;
    // The receivers' side: an effect per (consumer, message id), and a log of every call it got.
    db.$client.exec(`CREATE TABLE fault_effects (consumer TEXT NOT NULL, message_id INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (consumer, message_id));
      CREATE TABLE fault_deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, consumer TEXT NOT NULL, message_id INTEGER NOT NULL, pid INTEGER NOT NULL, at INTEGER NOT NULL);`);
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
      await c.exited;
    }
    t.cleanup();
  });

  /** `n` messages for the consumers, with a message of a topic they skip after every tenth. */
  function writeMessages(n: number): number[] {
    const insert = db.$client.prepare("INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload, created_at, available_at) VALUES (?, 'order', ?, ?, ?, ?) RETURNING id");
    const ids: number[] = [];
    db.$client.transaction(() => {
      for (let i = 0; i < n; i++) {
        ids.push((insert.get("order.changed", i + 1, JSON.stringify({ n: i }), Date.now(), Date.now()) as { id: number }).id);
        if (i % 10 === 9) insert.get("order.noted", i + 1, "{}", Date.now(), Date.now());
      }
    })();
    return ids;
  }

  it("SIGKILLed mid-batch and restarted, the worker applies every message exactly once and loses none", async () => {
    const ids = writeMessages(1_200);
    const first = await startWorker(t.file, "effects");
    children.push(first);
    await expect.poll(() => count("SELECT count(*) AS n FROM fault_effects"), { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(150);
    first.proc.kill("SIGKILL");
    await first.exited;
    const appliedBefore = count("SELECT count(*) AS n FROM fault_effects");
    const lastApplied = count("SELECT max(message_id) AS n FROM fault_effects");
    // Mid-batch: effects exist beyond what the cursor records as done, and not everything was applied.
    expect(appliedBefore).toBeLessThan(ids.length);
    expect(readCursor(db, "effects")?.lastId ?? 0).toBeLessThan(lastApplied);

    const second = await startWorker(t.file, "effects");
    children.push(second);
    await expect.poll(() => readCursor(db, "effects")?.lastId, { timeout: 60_000, interval: 50 }).toBe(outboxHead(db));
    second.proc.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const applied = (db.$client.prepare("SELECT message_id AS id FROM fault_effects WHERE consumer = 'effects' ORDER BY message_id").all() as { id: number }[]).map((r) => r.id);
    expect(applied).toEqual(ids); // every message, once each (the key), none of the skipped topic
    // At least once underneath: the messages of the killed batch were delivered again by the second process.
    const again = count("SELECT count(*) AS n FROM (SELECT message_id FROM fault_deliveries GROUP BY message_id HAVING count(DISTINCT pid) = 2)");
    expect(again).toBeGreaterThan(0);
    expect(count("SELECT count(DISTINCT pid) AS n FROM fault_deliveries")).toBe(2);
  }, 120_000);

  it("a receiver that hangs forever is cut by the per-call timeout and retried, and never holds back another consumer", async () => {
    const ids = writeMessages(300);
    const started = Date.now();
    const worker = await startWorker(t.file, "hang");
    children.push(worker);
    // The steady consumer delivers everything while the other's first call still hangs (its timeout is 5 s).
    await expect.poll(() => count("SELECT count(*) AS n FROM fault_effects WHERE consumer = 'steady'"), { timeout: 10_000, interval: 20 }).toBe(ids.length);
    // Its cursor moves after the batch's effects are written (in the worker process): wait for it too.
    await expect.poll(() => readCursor(db, "steady")?.lastId, { timeout: 5_000, interval: 20 }).toBe(outboxHead(db));
    const steadyDone = count("SELECT max(applied_at) AS n FROM fault_effects WHERE consumer = 'steady'");
    expect(steadyDone - started).toBeLessThan(5_000);
    expect(count("SELECT count(*) AS n FROM fault_effects WHERE consumer = 'hangs'")).toBe(0);
    // Then the hanging call is cut, recorded as a failure, and the retry delivers every message once.
    await expect.poll(() => count("SELECT count(*) AS n FROM fault_effects WHERE consumer = 'hangs'"), { timeout: 20_000, interval: 50 }).toBe(ids.length);
    await expect.poll(() => readCursor(db, "hangs")?.lastId, { timeout: 5_000 }).toBe(outboxHead(db));
    expect(worker.lines.join("\n")).toMatch(/hangs: delivery failed \(attempt 1\), backing off: hangs delivery timed out after 5000 ms/);
    expect(count("SELECT count(*) AS n FROM fault_deliveries WHERE consumer = 'hangs'")).toBe(ids.length);
    worker.proc.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 60_000);
});

// An outbox worker in its own process for the fault tests: node tests/support/outbox-fault-child.ts <db file> <mode>
// It runs the real engine (runConsumer → deliverNext) until SIGTERM, or until the test SIGKILLs it.
//  - effects: one slow consumer ("effects", topic order.changed) whose effect is a row in fault_effects keyed by
//    the message id (INSERT … ON CONFLICT DO NOTHING) and whose every call is logged in fault_deliveries.
//  - hang: two consumers on the same messages: "hangs", whose first call never returns (cut by its 5 s
//    timeout), and "steady". Both apply the same idempotent effect, under their own name.
// The tables are the test's own (created by the test): what the other side recorded.
import { openDatabase } from "../../db/client.ts";
import { runConsumer } from "../../lib/worker/consumer-loop.ts";
import type { OutboxConsumer, OutboxRow } from "../../lib/worker/outbox.ts";

const [file, mode] = process.argv.slice(2);
if (!file || (mode !== "effects" && mode !== "hang")) {
  process.stderr.write("usage: outbox-fault-child.ts <db file> effects|hang\n");
  process.exit(2);
}
const db = openDatabase(file);
const controller = new AbortController();
process.on("SIGTERM", () => controller.abort());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logCall = db.$client.prepare("INSERT INTO fault_deliveries (consumer, message_id, pid, at) VALUES (?, ?, ?, ?)");
const effect = db.$client.prepare("INSERT INTO fault_effects (consumer, message_id, applied_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
const apply = db.$client.transaction((consumer: string, id: number) => {
  logCall.run(consumer, id, process.pid, Date.now());
  effect.run(consumer, id, Date.now());
});

function applying(name: string, o: { pauseMs: number; hangFirstCall?: boolean; timeoutMs?: number }): OutboxConsumer {
  let calls = 0;
  return {
    name,
    accepts: (topic) => topic === "order.changed",
    timeoutMs: o.timeoutMs,
    async deliver(rows: OutboxRow[], progress) {
      calls += 1;
      if (o.hangFirstCall && calls === 1) await new Promise(() => {}); // a receiver that never answers
      for (const r of rows) {
        if (o.pauseMs) await sleep(o.pauseMs); // a slow receiver: the kill lands mid-batch
        apply(name, r.id);
        progress.delivered(r.id);
      }
    },
  };
}

const consumers = mode === "effects" ? [applying("effects", { pauseMs: 2 })] : [applying("hangs", { pauseMs: 0, hangFirstCall: true, timeoutMs: 5_000 }), applying("steady", { pauseMs: 1 })];
const log = (line: string) => process.stdout.write(`${JSON.stringify({ log: line })}\n`);
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
await Promise.all(consumers.map((c) => runConsumer(db, c, { pollMs: 20, signal: controller.signal, log })));
db.$client.close();
process.exit(0);

// One side of the cancel-vs-ship race, in its own process:
//   node tests/support/order-race-child.ts <db file> <cancel|ship> <actor id> <actor label> [slotMs]
// "cancel" cancels every order whole, lowest id first; "ship" walks every shipment of every order
// pending → picking → packed → shipped, highest id first, one immediate transaction per step.
// Opens the shared file, reads the orders and their shipments, says {"ready":true}, waits for "go"
// on stdin so both sides start together, then prints one JSON line with the outcome of every order.
// Each side takes up its k-th order no sooner than k × slotMs after the start, so both cover the list
// at the same pace (when they can keep up) and meet near its middle.
import { openDatabase } from "../../db/client.ts";
import { DomainError } from "../../lib/errors.ts";
import { cancelOrder } from "../../lib/orders/cancel.ts";
import { advanceShipment } from "../../lib/orders/shipments.ts";

const [file, mode, actorId, actorLabel, slotArg = "0"] = process.argv.slice(2);
if (!file || (mode !== "cancel" && mode !== "ship") || !actorId || !actorLabel) {
  process.stderr.write("usage: order-race-child.ts <db file> <cancel|ship> <actor id> <actor label> [slotMs]\n");
  process.exit(2);
}
const actor = { id: Number(actorId), label: actorLabel };
const slotMs = Number(slotArg);
const db = openDatabase(file);
// Wait for the write lock here, retrying every millisecond, rather than in SQLite's busy handler,
// whose back-off grows to long sleeps: the lock changes hands soon after the other side commits.
db.$client.pragma("busy_timeout = 0");

type Outcome = { orderId: number; outcome: "won" | "conflict"; code?: string; steps: number };
const counts = { mode, pid: process.pid, won: 0, conflict: 0, invalidTransition: 0, transactions: 0, busy: 0, slowestMs: 0, elapsedMs: 0, outcomes: [] as Outcome[], errors: [] as string[] };

// What each side means to do is fixed before the race: the ship side knows every shipment it will try to move.
const orderIds = (db.$client.prepare("SELECT id FROM orders ORDER BY id").all() as { id: number }[]).map((o) => o.id);
if (mode === "ship") orderIds.reverse();
const shipmentsOf = new Map<number, number[]>();
for (const s of db.$client.prepare("SELECT id, order_id AS orderId FROM shipments ORDER BY id").all() as { id: number; orderId: number }[]) {
  shipmentsOf.set(s.orderId, [...(shipmentsOf.get(s.orderId) ?? []), s.id]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One immediate transaction; finding the other process holding the write lock is retried, not a result. */
async function write(body: Parameters<typeof db.transaction>[0]): Promise<void> {
  for (;;) {
    const began = Date.now();
    try {
      db.transaction(body, { behavior: "immediate" });
      counts.transactions += 1;
      counts.slowestMs = Math.max(counts.slowestMs, Date.now() - began);
      return;
    } catch (error) {
      if ((error as { code?: string })?.code === "SQLITE_BUSY") {
        counts.busy += 1;
        await sleep(1);
        continue;
      }
      throw error;
    }
  }
}

/** Runs one order's work; a conflict or invalid transition is losing the race, anything else is a bug. */
async function attempt(orderId: number, work: () => Promise<number>): Promise<void> {
  let steps = 0;
  try {
    steps = await work();
    counts.won += 1;
    counts.outcomes.push({ orderId, outcome: "won", steps });
  } catch (error) {
    if (error instanceof DomainError && (error.code === "conflict" || error.code === "invalid_transition")) {
      if (error.code === "conflict") counts.conflict += 1;
      else counts.invalidTransition += 1;
      counts.outcomes.push({ orderId, outcome: "conflict", code: error.code, steps: (error as DomainError & { steps?: number }).steps ?? 0 });
      return;
    }
    counts.errors.push(`order ${orderId}: ${(error as Error)?.stack ?? String(error)}`);
  }
}

async function run(): Promise<void> {
  const started = Date.now();
  for (const [k, orderId] of orderIds.entries()) {
    const due = started + k * slotMs - Date.now();
    if (due > 0) await sleep(due);
    if (mode === "cancel") {
      await attempt(orderId, async () => {
        await write((tx) => void cancelOrder(tx, { orderId, reason: "Race: customer cancelled", actor, at: Date.now() }));
        return 1;
      });
    } else {
      await attempt(orderId, async () => {
        let steps = 0;
        for (const shipmentId of shipmentsOf.get(orderId) ?? []) {
          for (const to of ["picking", "packed", "shipped"] as const) {
            try {
              await write((tx) => void advanceShipment(tx, { orderId, shipmentId, to, carrier: "DHL", trackingNumber: `RACE-${shipmentId}`, actor, at: Date.now() }));
            } catch (error) {
              // How far this side got before it lost: a loss after the first step would mean the cancel broke in mid-way.
              if (error instanceof DomainError) Object.assign(error, { steps });
              throw error;
            }
            steps += 1;
          }
        }
        return steps;
      });
    }
  }
  counts.elapsedMs = Date.now() - started;
}

process.stdout.write(`${JSON.stringify({ ready: true, mode })}\n`);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  input += chunk;
  if (!input.includes("go")) return;
  process.stdin.pause();
  run()
    .then(() => {
      db.$client.close();
      process.stdout.write(`${JSON.stringify(counts)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    });
});

// One actor of the two-process money race, in its own process:
//   node tests/support/money-race-child.ts <db file> <seed> <actor id> <actor label> <ops>
// Opens the shared file, says {"ready":true}, waits for "go" on stdin so both sides start together, then
// runs <ops> random money actions (refund by amount or units, cancel units, decide a waiting request) on
// random orders, each in one immediate transaction through the same domain functions as the server
// actions, and prints one JSON line with what happened.
import { openDatabase } from "../../db/client.ts";
import { DomainError } from "../../lib/errors.ts";
import { cancelUnits } from "../../lib/orders/cancel.ts";
import { decideRefund, requestRefund } from "../../lib/orders/refunds.ts";

const [file, seedArg, actorId, actorLabel, opsArg] = process.argv.slice(2);
if (!file || !seedArg || !actorId || !actorLabel || !opsArg) {
  process.stderr.write("usage: money-race-child.ts <db file> <seed> <actor id> <actor label> <ops>\n");
  process.exit(2);
}
const actor = { id: Number(actorId), label: actorLabel };
const db = openDatabase(file);
db.$client.pragma("busy_timeout = 0");

let state = Number(seedArg) >>> 0;
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;

const counts = { pid: process.pid, applied: 0, refused: 0, busy: 0, errors: [] as string[] };
const orders = db.$client.prepare("SELECT id FROM orders ORDER BY id").all() as { id: number }[];
const linesOf = new Map<number, number[]>();
for (const l of db.$client.prepare("SELECT id, order_id AS orderId FROM order_lines ORDER BY id").all() as { id: number; orderId: number }[]) {
  linesOf.set(l.orderId, [...(linesOf.get(l.orderId) ?? []), l.id]);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function write(body: Parameters<typeof db.transaction>[0]): Promise<void> {
  for (;;) {
    try {
      db.transaction(body, { behavior: "immediate" });
      counts.applied += 1;
      return;
    } catch (error) {
      if ((error as { code?: string })?.code === "SQLITE_BUSY") {
        counts.busy += 1;
        await sleep(rand() * 2);
        continue;
      }
      if (error instanceof DomainError) {
        counts.refused += 1;
        return;
      }
      counts.errors.push((error as Error)?.stack ?? String(error));
      return;
    }
  }
}

async function run(ops: number): Promise<void> {
  for (let i = 0; i < ops; i++) {
    const orderId = pick(orders).id;
    const lineId = pick(linesOf.get(orderId)!);
    const at = Date.now();
    const kind = rand();
    if (kind < 0.3) {
      await write((tx) => void requestRefund(tx, { orderId, amount: 100 + Math.floor(rand() * 6_000), reason: "race: goodwill", actor, at, mayApprove: false }));
    } else if (kind < 0.55) {
      await write((tx) => void requestRefund(tx, { orderId, lines: [{ orderLineId: lineId, qty: 1 }], reason: "race: damaged", actor, at, mayApprove: false }));
    } else if (kind < 0.8) {
      await write((tx) => void cancelUnits(tx, { orderId, lines: [{ orderLineId: lineId, qty: 1 }], reason: "race: not wanted", actor, at }));
    } else {
      const waiting = db.$client.prepare("SELECT id FROM refunds WHERE order_id = ? AND status = 'pending_approval' ORDER BY id LIMIT 1").get(orderId) as { id: number } | undefined;
      if (waiting) await write((tx) => void decideRefund(tx, { refundId: waiting.id, approve: rand() < 0.5, note: "race: decided", actor, at }));
    }
  }
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  input += chunk;
  if (!input.includes("go")) return;
  process.stdin.pause();
  run(Number(opsArg))
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

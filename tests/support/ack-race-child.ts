// One manager acknowledging alerts, in its own process, racing another:
//   node tests/support/ack-race-child.ts <db file> <user id> <user label>
// Reads the open alerts, says {"ready":true}, waits for "go" on stdin so both sides start together,
// acknowledges every alert (lowest id first, one immediate transaction each) and prints one JSON line
// with each alert's outcome: won, or refused with the message.
import { openDatabase } from "../../db/client.ts";
import { DomainError } from "../../lib/errors.ts";
import { acknowledgeAlert } from "../../lib/alerts/evaluate.ts";

const [file, userId, label] = process.argv.slice(2);
if (!file || !userId || !label) {
  process.stderr.write("usage: ack-race-child.ts <db file> <user id> <user label>\n");
  process.exit(2);
}
const actor = { id: Number(userId), label };
const db = openDatabase(file);
db.$client.pragma("busy_timeout = 0");
const alertIds = (db.$client.prepare("SELECT id FROM alerts WHERE status = 'open' ORDER BY id").all() as { id: number }[]).map((a) => a.id);
const outcomes: { alertId: number; won: boolean; code?: string; message?: string }[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(): Promise<void> {
  for (const alertId of alertIds) {
    for (;;) {
      try {
        db.transaction((tx) => void acknowledgeAlert(tx, { alertId, note: `Mine: ${label}`, snoozeHours: 4, actor, at: Date.now() }), { behavior: "immediate" });
        outcomes.push({ alertId, won: true });
        break;
      } catch (error) {
        if ((error as { code?: string })?.code === "SQLITE_BUSY") {
          await sleep(1);
          continue;
        }
        if (error instanceof DomainError) {
          outcomes.push({ alertId, won: false, code: error.code, message: error.message });
          break;
        }
        throw error;
      }
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
  run()
    .then(() => {
      db.$client.close();
      process.stdout.write(`${JSON.stringify({ outcomes })}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    });
});

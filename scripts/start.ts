// `npm start`: migrate, seed a demo set if the database is empty, check the Elasticsearch index when configured
// (the worker rebuilds it in the background if it is missing or stale), build if needed, serve, print logins.
import { spawn, type ChildProcess } from "node:child_process";
import { env } from "../lib/env.ts";
import { buildIfNeeded } from "./lib/build.ts";
import { prepareDatabase } from "./lib/prepare-db.ts";
import { checkSearchIndex } from "./lib/search-index.ts";
import { DEMO_USERS } from "../lib/seed/demo-users.ts";
import { ROLE_LABELS } from "../lib/auth/permissions.ts";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const { DATABASE_PATH, PORT, NEXTAUTH_URL, ELASTICSEARCH_URL, ELASTICSEARCH_INDEX } = env();

prepareDatabase(DATABASE_PATH, process.env.SEED_ORDERS ?? "10000");
if (ELASTICSEARCH_URL) await checkSearchIndex(DATABASE_PATH, ELASTICSEARCH_URL, ELASTICSEARCH_INDEX);

buildIfNeeded();

const children: ChildProcess[] = [];
// The app served once per core (scripts/serve.ts; WEB_CONCURRENCY to choose how many).
const server = spawn(process.execPath, ["scripts/serve.ts", "-p", String(PORT)], {
  stdio: "inherit",
  env: { ...process.env, NEXTAUTH_URL, DATABASE_PATH },
});
children.push(server);
// The one worker (routing, outbox) runs beside the web server.
children.push(spawn(process.execPath, ["scripts/worker.ts"], { stdio: "inherit", env: { ...process.env, DATABASE_PATH } }));

function stop(signal: NodeJS.Signals) {
  for (const child of children) child.kill(signal);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
server.on("exit", (code) => {
  stop("SIGTERM");
  process.exit(code ?? 0);
});

await waitForHealth(`http://localhost:${PORT}/api/health`);
console.log(`\nSwitchyard is up on http://localhost:${PORT}\nDemo sign-ins (one per role):`);
for (const u of DEMO_USERS) console.log(`  ${ROLE_LABELS[u.role].padEnd(15)} ${u.email.padEnd(32)} ${u.password}`);
console.log("");

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.error(`The server did not answer ${url} within two minutes.`);
}

// `npm run api-key -- create --name "Checkout" [--scopes orders:read,orders:write,orders:cancel] [--rate 600]`
// `npm run api-key -- list` | `npm run api-key -- revoke <id>`: API keys from the command line (the same
// functions and audit rows as /admin/api-keys), for a first key, scripts and the fuzzing tier. Prints a new key once.
import os from "node:os";
import { env } from "../lib/env.ts";
import { getDb } from "../db/client.ts";
import { listApiKeys } from "../db/queries/api-keys.ts";
import { createApiKey, revokeApiKey } from "../lib/api/keys-admin.ts";
import { API_SCOPES, type ApiScope } from "../lib/api/scopes.ts";

const [command, ...args] = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const db = getDb(env().DATABASE_PATH);
const actor = { id: null, label: `command line (${os.userInfo().username})` };

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (command === "create") {
  const name = option("name")?.trim() ?? fail('create needs --name "who uses it"');
  const scopes = (option("scopes") ?? API_SCOPES.join(",")).split(",").map((s) => s.trim()) as ApiScope[];
  const unknown = scopes.filter((s) => !API_SCOPES.includes(s));
  if (unknown.length) fail(`Unknown scope(s): ${unknown.join(", ")}. Scopes: ${API_SCOPES.join(", ")}.`);
  const rate = Number(option("rate") ?? "600");
  if (!Number.isInteger(rate) || rate < 1 || rate > 1_000_000) fail("--rate needs a whole number of requests a minute (1 to 1000000).");
  const created = db.transaction((tx) => createApiKey(tx, { name, scopes, rateLimitPerMinute: rate, actor, at: Date.now() }), { behavior: "immediate" });
  if (args.includes("--quiet")) console.log(created.key);
  else console.log(`API key ${created.id} "${name}" (${scopes.join(", ")}, ${rate}/min). Copy it now, it is not shown again:\n${created.key}`);
} else if (command === "list") {
  for (const k of listApiKeys(db)) {
    console.log(`${String(k.id).padStart(4)}  ${k.prefix}…  ${k.name.padEnd(24)} ${k.scopes.join(",").padEnd(40)} ${k.revokedAt ? "revoked" : "active"}`);
  }
} else if (command === "revoke") {
  const id = Number(args[0]);
  if (!Number.isInteger(id) || id < 1) fail("revoke needs the key's id (see list).");
  db.transaction((tx) => revokeApiKey(tx, { id, actor, at: Date.now() }), { behavior: "immediate" });
  console.log(`API key ${id} revoked.`);
} else {
  fail("Usage: npm run api-key -- create --name NAME [--scopes a,b] [--rate N] [--quiet] | list | revoke ID");
}
db.$client.close();

// The fuzzing tier of `npm test`: schemathesis (from PyPI, installed into .cache/schemathesis when missing)
// against a production server of this build with its own seeded database and a real API key, every check.
// Counts one test per operation (and the stateful run) from its JUnit report, and the generated cases.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const SCHEMATHESIS_VERSION = "4.32.5";
const VENV = path.resolve(".cache/schemathesis");
const ST = path.join(VENV, "bin", "st");

export type FuzzResult = { passed: number; failed: number; cases: number; failures: string[] };

/** A local venv with the pinned schemathesis, made on first use (needs python3 with venv and access to PyPI). */
function ensureSchemathesis(log: (line: string) => void): void {
  const version = existsSync(ST) ? spawnSync(ST, ["--version"], { encoding: "utf8" }).stdout : "";
  if (version.includes(SCHEMATHESIS_VERSION)) return;
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${path.relative(process.cwd(), VENV)} (python3 -m venv + pip)…`);
  const venv = spawnSync("python3", ["-m", "venv", VENV], { stdio: "inherit" });
  if (venv.status !== 0) throw new Error("python3 -m venv failed: the fuzzing tier needs Python 3.10+ with the venv module (apt-get install python3-venv).");
  const pip = spawnSync(path.join(VENV, "bin", "pip"), ["install", "--quiet", `schemathesis==${SCHEMATHESIS_VERSION}`], { stdio: "inherit" });
  if (pip.status !== 0) throw new Error(`pip install schemathesis==${SCHEMATHESIS_VERSION} failed (see above).`);
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/** Real SKUs and order numbers from the seeded database, so well-formed requests also reach real orders. */
function config(databasePath: string): string {
  const db = new Database(databasePath, { readonly: true });
  const skus = (db.prepare("SELECT sku FROM products WHERE active = 1 AND currency = 'EUR' ORDER BY id LIMIT 40").all() as { sku: string }[]).map((r) => r.sku);
  const orders = (db.prepare("SELECT number FROM orders ORDER BY id DESC LIMIT 60").all() as { number: string }[]).map((r) => r.number);
  db.close();
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;
  return `# Written by scripts/lib/fuzz.ts for one run.
# 422 is this API's documented answer to a well-formed request the catalogue or the order refuses (unknown SKU,
# a currency the SKU is not sold in, a payment that is not the total): the schema cannot know the catalogue.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]

[dictionaries.skus]
values = ${list(skus)}
[dictionaries.orders]
values = ${list(orders)}
[dictionaries.currencies]
values = ["EUR"]
[dictionaries.countries]
values = ["DE", "NL", "FR", "GB", "US"]
[dictionaries.emails]
values = ["ada@example.com", "grace.hopper@example.org", "lin.mei+orders@example.net"]

[parameters]
"path.number" = { dictionary = "orders", probability = 0.7 }
"body.lines[*].sku" = { dictionary = "skus", probability = 0.8 }
"body.currency" = { dictionary = "currencies", probability = 0.7 }
"body.ship_to.country" = { dictionary = "countries", probability = 0.7 }
"body.customer.email" = { dictionary = "emails", probability = 0.6 }
`;
}

export async function runFuzz(o: { port: number; out: string; maxExamples: number; seed: string; log: (line: string) => void }): Promise<FuzzResult> {
  ensureSchemathesis(o.log);
  const dir = path.resolve(".cache/fuzz");
  const databasePath = path.join(dir, "e2e.db");
  const server = spawn(process.execPath, ["scripts/e2e-server.ts"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, E2E_PORT: String(o.port), E2E_SERVER_DIR: dir } });
  let serverLog = "";
  server.stdout.on("data", (d) => (serverLog += String(d)));
  server.stderr.on("data", (d) => (serverLog += String(d)));
  try {
    await waitFor(`http://localhost:${o.port}/api/health`, 180_000);
    const key = spawnSync(process.execPath, ["scripts/api-key.ts", "create", "--name", "schemathesis", "--rate", "1000000", "--quiet"], { encoding: "utf8", env: { ...process.env, DATABASE_PATH: databasePath } });
    if (key.status !== 0) throw new Error(`creating the fuzzing API key failed: ${key.stderr}`);
    mkdirSync(o.out, { recursive: true });
    const configFile = path.join(o.out, "schemathesis.toml");
    writeFileSync(configFile, config(databasePath));
    const junit = path.join(o.out, "schemathesis.xml");
    o.log(`schemathesis: every check against http://localhost:${o.port}/api/v1/openapi.json, ${o.maxExamples} examples per operation, seed ${o.seed}`);
    const st = spawn(
      ST,
      [
        "--config-file", configFile, "run", `http://localhost:${o.port}/api/v1/openapi.json`,
        "--checks", "all", "--header", `Authorization: Bearer ${key.stdout.trim()}`,
        "--max-examples", String(o.maxExamples), "--seed", o.seed, "--workers", "1", "--request-timeout", "20",
        "--report", "junit,ndjson", "--report-junit-path", junit, "--report-ndjson-path", path.join(o.out, "schemathesis.ndjson"), "--no-color",
      ],
      // Run inside the report folder: schemathesis keeps its cache (.schemathesis/) in the working directory.
      { stdio: ["ignore", "pipe", "inherit"], cwd: o.out, env: { ...process.env, SCHEMATHESIS_HOOKS: path.resolve("tests/fuzz/hooks.py") } },
    );
    // Its output is echoed line by line, except its pytest-style closing rule ("==== 1 warning in 13.54s ===="):
    // CI reads such a line as a pytest run and, with no "passed" in it, as a run that executed no test.
    // The whole output stays in schemathesis.log; our own closing line counts the cases.
    let output = "";
    let pending = "";
    const echo = (line: string) => {
      if (/^=+ .* in [\d.]+s =+$/.test(line.trim())) return;
      process.stdout.write(`${line}\n`);
    };
    st.stdout.on("data", (d) => {
      output += String(d);
      pending += String(d);
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(echo);
    });
    await new Promise((resolve) => st.on("exit", resolve));
    if (pending) echo(pending);
    writeFileSync(path.join(o.out, "schemathesis.log"), output);
    const cases = Number(/(\d+) generated/.exec(output)?.[1] ?? 0);
    if (!existsSync(junit)) return { passed: 0, failed: 1, cases, failures: ["schemathesis wrote no report"] };
    const xml = readFileSync(junit, "utf8");
    const testcases = [...xml.matchAll(/<testcase name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
    const failures = testcases.filter((t) => /<(failure|error)\b/.test(t[3] ?? "")).map((t) => t[1]!);
    return { passed: testcases.length - failures.length, failed: failures.length, cases, failures };
  } catch (error) {
    console.error(serverLog.slice(-4000));
    throw error;
  } finally {
    server.kill("SIGTERM");
  }
}

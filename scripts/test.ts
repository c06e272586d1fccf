// `npm test`: every tier (static checks, unit, integration, end-to-end, fuzzing), then one closing line CI reads:
// `tests: N passed, M failed`. Installs what the tests need (Chromium, schemathesis) when missing.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureChromium } from "./lib/chromium.ts";
import { buildIfNeeded } from "./lib/build.ts";
import { startElasticsearch, stopElasticsearch, type EsNode } from "./elasticsearch.ts";
import { startStripeMock, type StripeMock } from "./stripe-mock.ts";
import { runFuzz } from "./lib/fuzz.ts";

type Tier = "static" | "unit" | "integration" | "e2e" | "fuzz";
type Count = { passed: number; failed: number; skipped: number };

const args = process.argv.slice(2);
const onlyIdx = args.indexOf("--only");
const only = onlyIdx >= 0 ? (args[onlyIdx + 1]?.split(",") as Tier[]) : null;
const wanted = (t: Tier) => !only || only.includes(t);

const out = path.resolve(".cache/test");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const results = new Map<Tier, Count>();

function log(line: string) {
  console.log(`[test] ${line}`);
}

function run(cmd: string[], extraEnv: Record<string, string> = {}): number {
  const res = spawnSync(process.execPath, cmd, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return res.status ?? 1;
}

/** Like run, but keeps this process's event loop alive (a SIGINT still stops the Elasticsearch node). */
function runAsync(cmd: string[], extraEnv: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, cmd, { stdio: "inherit", env: { ...env, ...extraEnv } });
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", () => resolve(1));
  });
}

// Static checks, each counted as one test: the package scripts `typecheck` (route types from `next typegen`,
// then tsc), `lint:eslint` and `lint:knip` (no unused file, export or dependency), as a developer runs them.
if (wanted("static")) {
  const c: Count = { passed: 0, failed: 0, skipped: 0 };
  results.set("static", c);
  // npm as it runs this script (npm_execpath), so the checks run on the same Node; plain `npm` otherwise.
  const npm = process.env.npm_execpath;
  for (const script of ["typecheck", "lint:eslint", "lint:knip"]) {
    log(`static: npm run ${script}`);
    const res = npm ? spawnSync(process.execPath, [npm, "run", "-s", script], { stdio: "inherit", env }) : spawnSync("npm", ["run", "-s", script], { stdio: "inherit", env });
    if (res.status === 0) c.passed += 1;
    else {
      c.failed += 1;
      console.error(`[test] static check ${script} failed (its output is above)`);
    }
  }
}

// Unit and integration: one vitest run, both projects, counted per tier from its JSON report.
if (wanted("unit") || wanted("integration")) {
  const projects = (["unit", "integration"] as const).filter(wanted);
  const report = path.join(out, "vitest.json");
  // A real Elasticsearch node for the integration tier, its URL given to vitest only. The ES tests fail
  // (they are counted, never skipped) with the reason when the node cannot be obtained or started.
  const serviceEnv: Record<string, string> = {};
  let es: EsNode | null = null;
  // Likewise Stripe's own API mock for the Stripe payment tests (STRIPE_MOCK_URL), or why it is missing.
  let stripeMock: StripeMock | null = null;
  if (projects.includes("integration")) {
    try {
      es = await startElasticsearch({ log });
      serviceEnv.ELASTICSEARCH_URL = es.url;
    } catch (error) {
      serviceEnv.ELASTICSEARCH_UNAVAILABLE = (error as Error).message;
      console.error(`[test] ${(error as Error).message}`);
    }
    try {
      stripeMock = await startStripeMock({ log });
      serviceEnv.STRIPE_MOCK_URL = stripeMock.url;
    } catch (error) {
      serviceEnv.STRIPE_MOCK_UNAVAILABLE = (error as Error).message;
      console.error(`[test] ${(error as Error).message}`);
    }
  }
  log(`vitest: ${projects.join(" + ")}`);
  let code: number;
  try {
    code = await runAsync(
      ["node_modules/vitest/vitest.mjs", "run", ...projects.flatMap((p) => ["--project", p]), "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
      serviceEnv,
    );
  } finally {
    if (es) await stopElasticsearch(es);
    if (stripeMock) await stripeMock.stop();
  }
  for (const tier of projects) results.set(tier, { passed: 0, failed: 0, skipped: 0 });
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8")) as {
      testResults: { name: string; status: string; assertionResults: { status: string }[] }[];
    };
    for (const file of json.testResults) {
      const tier: Tier = file.name.includes(`${path.sep}integration${path.sep}`) ? "integration" : "unit";
      const c = results.get(tier)!;
      // A file that failed to load has no assertions but is a failure; one whose setup hook threw
      // reports its tests as skipped, and they count as failed (never silently skipped).
      const hookFailed = file.status === "failed" && !file.assertionResults.some((a) => a.status === "failed");
      if (file.assertionResults.length === 0 && file.status === "failed") c.failed += 1;
      for (const a of file.assertionResults) {
        if (a.status === "passed") c.passed += 1;
        else if (a.status === "failed" || hookFailed) c.failed += 1;
        else c.skipped += 1;
      }
    }
  }
  const failedCounted = [...results.values()].reduce((s, c) => s + c.failed, 0);
  if (code !== 0 && failedCounted === 0) results.get(projects[0]!)!.failed += 1; // vitest itself failed
}

// End-to-end: Playwright in Debian's Chromium against a production build.
if (wanted("e2e")) {
  const c: Count = { passed: 0, failed: 0, skipped: 0 };
  results.set("e2e", c);
  try {
    ensureChromium(log);
    buildIfNeeded(log);
    const report = path.join(out, "playwright.json");
    log("playwright: e2e");
    const code = run(["node_modules/@playwright/test/cli.js", "test", "--reporter=list,json"], {
      PLAYWRIGHT_JSON_OUTPUT_FILE: report,
    });
    if (existsSync(report)) {
      const stats = (JSON.parse(readFileSync(report, "utf8")) as { stats: Record<string, number> }).stats;
      c.passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
      c.failed = stats.unexpected ?? 0;
      c.skipped = stats.skipped ?? 0;
    }
    if (code !== 0 && c.failed === 0) c.failed = 1; // setup or web server failed before any test ran
  } catch (error) {
    console.error(`[test] e2e could not run: ${(error as Error).message}`);
    c.failed += 1;
  }
}

// Fuzzing: schemathesis against the orders API of a production server of the same build (after Playwright
// has stopped its server, on the same port), one counted test per operation; the case count is printed.
let fuzzCases: number | null = null;
if (wanted("fuzz")) {
  const c: Count = { passed: 0, failed: 0, skipped: 0 };
  results.set("fuzz", c);
  try {
    buildIfNeeded(log);
    const r = await runFuzz({
      port: Number(process.env.E2E_PORT ?? 3100),
      out,
      maxExamples: Number(process.env.FUZZ_MAX_EXAMPLES ?? 100),
      seed: process.env.FUZZ_SEED ?? "20261130",
      log,
    });
    c.passed = r.passed;
    c.failed = r.failed;
    fuzzCases = r.cases;
    if (r.failures.length) console.error(`[test] schemathesis failures in: ${r.failures.join(", ")}`);
  } catch (error) {
    console.error(`[test] fuzzing could not run: ${(error as Error).message}`);
    c.failed += 1;
  }
}

let passed = 0;
let failed = 0;
console.log("");
for (const [tier, c] of results) {
  const extra = tier === "fuzz" && fuzzCases !== null ? ` (schemathesis: ${fuzzCases} generated cases)` : "";
  console.log(`[test] ${tier.padEnd(12)} ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}${extra}`);
  passed += c.passed;
  failed += c.failed;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

// `npm run bench -- money [--runs 500]`: the money model test (tests/integration/money-model.test.ts) for
// many more runs than `npm test` gives it (same fixed seed, longer sequences explored); prints a table, writes bench/results/money.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export async function main(args: string[]): Promise<void> {
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 500;
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive whole number");
  const started = Date.now();
  const res = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", "integration", "tests/integration/money-model.test.ts", "-t", "money rules hold"], {
    env: { ...process.env, MONEY_MODEL_RUNS: String(runs) },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  const line = /money model: (\d+) runs, (\d+) actions checked/.exec(res.stdout);
  const result = {
    runs: line ? Number(line[1]) : 0,
    actions: line ? Number(line[2]) : 0,
    passed: res.status === 0,
    seconds: Math.round(seconds * 10) / 10,
    actionsPerSecond: line ? Math.round(Number(line[2]) / seconds) : 0,
    at: new Date().toISOString(),
  };
  console.table([result]);
  if (res.status !== 0) console.error(res.stdout.slice(-4000));
  mkdirSync(path.resolve("bench/results"), { recursive: true });
  writeFileSync(path.resolve("bench/results/money.json"), `${JSON.stringify(result, null, 2)}\n`);
  if (res.status !== 0) process.exit(1);
}

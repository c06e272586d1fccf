import { existsSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { env } from "../lib/env.ts";
import { openDatabase, migrateDatabase } from "../db/client.ts";
import { DEMO_USERS, SeedError, seedDatabase } from "../lib/seed/index.ts";
import { progressReporter } from "../lib/seed/progress.ts";
import { parseCivilDay } from "../lib/time-zone.ts";

const USAGE = `Usage: npm run seed -- [--orders N] [--seed S] [--now T] [--lead-location] [--reset] [--if-empty]

Fills the database at DATABASE_PATH (default data/switchyard.db) with deterministic demo data.
  --orders N    number of orders to generate (default 2000, at most 1000000)
  --seed S      PRNG seed, a whole number from 0 to 4294967295 (default 42)
  --now T       the demo's present: histories end at this instant, an ISO instant with a zone
                (2026-11-30T12:00:00Z) or epoch milliseconds (default 2026-11-01T00:00:00Z, fixed so
                the same seed gives the same rows on any day)
  --lead-location  give the demo warehouse lead a saved location: the warehouse with the most open shipments
  --reset       delete the database file (and its -wal/-shm) first
  --if-empty    do nothing when the database already has orders
  --help        show this help`;

function fail(message: string): never {
  process.stderr.write(`seed: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function wholeNumber(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) fail(`--${name} must be a whole number, got "${raw}".`);
  const value = Number(raw);
  if (value > max) fail(`--${name} must be at most ${max}, got ${raw}.`);
  return value;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const EARLIEST_NOW = Date.UTC(2000, 0, 1);

/** Date.parse rolls 2026-02-31 over into March; a typo should be refused instead (lib/time-zone.ts says which days exist). */
const realDay = (iso: string) => parseCivilDay(iso.slice(0, 10)) !== null;

function instant(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const ms = /^\d+$/.test(text) ? Number(text) : ISO_INSTANT.test(text) && realDay(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms) || Number.isNaN(new Date(ms).getTime()) || new Date(ms).getUTCFullYear() > 9999) {
    fail(`--now must be an ISO instant with a zone (e.g. 2026-11-30T12:00:00Z) or epoch milliseconds, got "${raw}".`);
  }
  if (ms < EARLIEST_NOW) fail(`--now must be on or after 2000-01-01T00:00:00Z, got "${raw}".`);
  return ms;
}

function parse(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        orders: { type: "string" },
        seed: { type: "string" },
        now: { type: "string" },
        "lead-location": { type: "boolean", default: false },
        reset: { type: "boolean", default: false },
        "if-empty": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    return {
      help: values.help,
      orders: wholeNumber("orders", values.orders, 2000, 1_000_000),
      seed: wholeNumber("seed", values.seed, 42, 0xffffffff),
      now: instant(values.now),
      leadLocation: values["lead-location"],
      reset: values.reset,
      ifEmpty: values["if-empty"],
    };
  } catch (error) {
    // parseArgs explains unknown options and missing values well; keep its words.
    fail((error as Error).message);
  }
}

const args = parse(process.argv.slice(2));
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (args.reset && args.ifEmpty) fail("--reset and --if-empty contradict each other; pass one of them.");

const file = env().DATABASE_PATH;
if (args.reset && file !== ":memory:") {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f);
}

const db = openDatabase(file);
migrateDatabase(db);
const existing = (db.$client.prepare("SELECT count(*) AS n FROM orders").get() as { n: number }).n;
if (args.ifEmpty && existing > 0) {
  console.log(`${file} already has ${existing} orders; nothing to seed (--if-empty).`);
  db.$client.close();
  process.exit(0);
}

const progress = progressReporter("seeding orders");
try {
  const summary = await seedDatabase(db, { orders: args.orders, seed: args.seed, baseTime: args.now, leadLocation: args.leadLocation, onProgress: progress.update });
  progress.finish();
  const width = Math.max(...Object.keys(summary.counts).map((k) => k.length));
  const ending = args.now === undefined ? "" : `, ending ${new Date(args.now).toISOString()}`;
  console.log(`Seeded ${file} (seed ${args.seed}, ${args.orders} orders${ending}) in ${(summary.elapsedMs / 1000).toFixed(1)}s:`);
  for (const [table, n] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(width)}  ${n.toLocaleString("en-US")}`);
  console.log("Demo sign-ins:");
  for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(14)}  ${u.email.padEnd(26)}  ${u.password}`);
} catch (error) {
  progress.finish();
  if (error instanceof SeedError) {
    process.stderr.write(`seed: ${error.message} Pass --reset to delete ${file} and start over, or --if-empty to keep it.\n`);
    process.exitCode = 1;
  } else throw error;
} finally {
  db.$client.close();
}

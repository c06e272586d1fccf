// stripe-mock (Stripe's own API mock, built from its OpenAPI spec) for the Stripe payment tests: built once
// from the Go module proxy into .cache/stripe-mock, started on ports the system picks, on loopback only.
// `node scripts/stripe-mock.ts` runs one in the foreground and prints its STRIPE_MOCK_URL; tests import start/stop.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

const VERSION = "v0.203.0";
const MODULE = `github.com/stripe/stripe-mock@${VERSION}`;

export type StripeMock = { url: string; port: number; pid: number; stop: () => Promise<void> };
type Log = (line: string) => void;

/** Per checkout, under the git-ignored .cache/, named by version so a version bump builds again. */
function binaryPath(): string {
  return path.resolve(".cache/stripe-mock", VERSION, "stripe-mock");
}

/** Builds the binary with `go install` when missing (about a minute the first time; Go's module cache keeps the source). */
function ensureBinary(log: Log): string {
  const bin = binaryPath();
  if (existsSync(bin)) return bin;
  const go = goBinary();
  // Built into a staging folder and renamed, so two first runs at once never start a half-written binary.
  const staging = path.join(path.dirname(bin), `gobin.tmp-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  log(`building stripe-mock ${VERSION} (go install ${MODULE}) into ${path.dirname(bin)}; about a minute, once…`);
  const started = performance.now();
  const res = spawnSync(go, ["install", MODULE], { env: { ...process.env, GOBIN: staging }, encoding: "utf8" });
  if (res.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`go install ${MODULE} failed (exit ${res.status ?? res.signal}):\n${`${res.stdout}\n${res.stderr}`.trim().split("\n").slice(-20).join("\n")}`);
  }
  try {
    renameSync(path.join(staging, "stripe-mock"), bin);
  } catch {
    if (!existsSync(bin)) throw new Error(`go install ${MODULE} left no binary in ${staging}.`);
  }
  rmSync(staging, { recursive: true, force: true });
  log(`stripe-mock built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return bin;
}

/** `go` from the PATH, or the official toolchain's usual place when the PATH lacks it (a bare CI environment). */
function goBinary(): string {
  for (const candidate of ["go", "/usr/local/go/bin/go"]) if (!spawnSync(candidate, ["version"], { stdio: "ignore" }).error) return candidate;
  throw new Error(`Go is not installed (no \`go\` on the PATH nor /usr/local/go/bin/go): stripe-mock is built from source with \`go install ${MODULE}\`.`);
}

/** Starts stripe-mock on 127.0.0.1 (HTTP and HTTPS each on a port the system picks) and resolves once it answers. */
export async function startStripeMock(o: { log?: Log; timeoutMs?: number } = {}): Promise<StripeMock> {
  const log = o.log ?? (() => {});
  const bin = ensureBinary(log);
  const child = spawn(bin, ["-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let exited: string | null = null;
  child.stdout.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.on("exit", (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  child.on("error", (error) => (exited = `could not start: ${error.message}`));
  const pid = child.pid ?? -1;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited || pid <= 0) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  process.once("exit", () => void (exited || child.kill("SIGKILL"))); // never leave it running behind us

  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`stripe-mock ${exited}:\n${output.trim()}`);
    const port = /Listening for HTTP at address: 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    if (port && (await answers(`http://127.0.0.1:${port}`))) {
      const mock: StripeMock = { url: `http://127.0.0.1:${port}`, port: Number(port), pid, stop };
      log(`stripe-mock ${VERSION} up at ${mock.url} (pid ${pid})`);
      return mock;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`stripe-mock did not answer within ${o.timeoutMs ?? 30_000} ms:\n${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/v1/balance`, { headers: { authorization: "Bearer sk_test_123" }, signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const mock = await startStripeMock({ log: (l) => console.log(`[stripe-mock] ${l}`) });
  console.log(`STRIPE_MOCK_URL=${mock.url}  (Ctrl-C stops it)`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void mock.stop().then(() => process.exit(0)));
}

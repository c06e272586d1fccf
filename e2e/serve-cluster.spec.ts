// `npm start` serves with one `next start` per core (scripts/serve.ts): two processes answering on one port,
// sharing the database and the signed-in session; a worker that dies is replaced; SIGTERM stops them all.
import { expect, test } from "@playwright/test";
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { e2eDb } from "./fixtures-db.ts";
import { freePort, signIn } from "../bench/app-server.ts";

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)])
      .toString()
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when the process has no children
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("two web processes serve one port and one session; a dead one is replaced; SIGTERM stops both", async () => {
  test.setTimeout(120_000);
  // A copy of the e2e database (SQLite's online backup), so this server's writes never touch the suite's.
  const dir = mkdtempSync(path.join(os.tmpdir(), "serve-cluster-"));
  const file = path.join(dir, "cluster.db");
  const db = e2eDb();
  try {
    await db.backup(file);
  } finally {
    db.close();
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["scripts/serve.ts", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, WEB_CONCURRENCY: "2", DATABASE_PATH: file, NEXTAUTH_URL: url, AUTH_SECRET: randomBytes(32).toString("base64url"), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  let stderr = "";
  server.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    await expect.poll(() => fetch(`${url}/api/health`).then((r) => r.status, () => 0), { timeout: 60_000 }).toBe(200);
    await expect.poll(() => childrenOf(server.pid!).length, { timeout: 30_000 }).toBe(2);
    const [first] = childrenOf(server.pid!);

    // Signed in once, through next-auth: every request on fresh connections (spread over both processes) is served signed in.
    const cookie = await signIn(url, "agent");
    const statuses = await Promise.all(Array.from({ length: 12 }, () => fetch(`${url}/orders`, { headers: { cookie, connection: "close" }, redirect: "manual" }).then((r) => r.status)));
    expect(statuses).toEqual(Array(12).fill(200));

    // One process dies: another takes its place, and the port keeps answering.
    process.kill(first!, "SIGKILL");
    await expect.poll(() => childrenOf(server.pid!).filter((p) => p !== first).length, { timeout: 30_000 }).toBe(2);
    await expect.poll(() => fetch(`${url}/api/health`, { headers: { connection: "close" } }).then((r) => r.status, () => 0), { timeout: 30_000 }).toBe(200);
    expect(stderr).toContain(`web worker ${first} exited (SIGKILL); starting another`);

    // SIGTERM to the primary stops every process it started.
    const workers = childrenOf(server.pid!);
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect.poll(() => workers.filter(alive).length, { timeout: 10_000 }).toBe(0);
  } catch (error) {
    throw new Error(`${String(error)}\nserver stderr:\n${stderr}`);
  } finally {
    if (server.exitCode === null) server.kill("SIGKILL");
    for (const p of childrenOf(server.pid!)) process.kill(p, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("web processes that cannot start (the port is taken) stop serving with exit code 1, not a restart loop; a bad WEB_CONCURRENCY is refused", async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  const taken = createServer().listen(port, "127.0.0.1");
  await new Promise((r) => taken.once("listening", r));
  try {
    const server = spawn(process.execPath, ["scripts/serve.ts", "-p", String(port), "-H", "127.0.0.1"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, WEB_CONCURRENCY: "2", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    let stderr = "";
    server.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => server.once("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/exited \(.+\) 3 times in a row within 15 s of starting; stopping/);
  } finally {
    taken.close();
  }
  const bad = spawn(process.execPath, ["scripts/serve.ts", "-p", "1"], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, WEB_CONCURRENCY: "two" } });
  let badErr = "";
  bad.stderr!.on("data", (d: Buffer) => (badErr += d.toString()));
  expect(await new Promise<number | null>((resolve) => bad.once("exit", (c) => resolve(c)))).toBe(1);
  expect(badErr).toContain('WEB_CONCURRENCY must be a whole number from 1 to 64, got "two"');
});

// A real Elasticsearch node for tests and local use, from Maven Central (the only source this machine reaches):
// org.codelibs:elasticsearch-cluster-runner embeds ES 7.10.2 (default flavour, so the 7.17 JS client's product
// check passes). `npm run es -- start|stop|status` runs one in the background; tests import start/stop.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import path from "node:path";

const RUNNER_VERSION = "7.10.2.0";
const RUNNER_CLASS = "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner";
/** The runner only probes ports up to 9299 (its maxHttpPort); it takes the first free one above -baseHttpPort. */
const PORT_RANGE = { first: 9201, last: 9299 } as const;

export type EsNode = { url: string; port: number; pid: number; basePath: string; logFile: string; startMs: number };
type Log = (line: string) => void;

/**
 * The jars live outside the repository (~/.cache/switchyard-es/<version>) so they survive clean clones and
 * `git clean -xdf`, and every checkout on the machine shares one copy; Maven's ~/.m2 holds them too.
 */
export function runnerDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache");
  return path.join(base, "switchyard-es", RUNNER_VERSION);
}

/** Downloads the runner and its dependencies once (atomically, so two concurrent first runs cannot half-fill lib/). */
export function ensureRunner(log: Log = () => {}): string {
  const dir = runnerDir();
  const lib = path.join(dir, "lib");
  if (existsSync(path.join(lib, `elasticsearch-cluster-runner-${RUNNER_VERSION}.jar`))) return lib;
  for (const tool of ["java", "mvn"]) {
    if (spawnSync(tool, ["-version"], { stdio: "ignore" }).error) throw new Error(`\`${tool}\` is not on the PATH: Elasticsearch for tests needs Java 17 and Maven.`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "pom.xml"),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>switchyard</groupId><artifactId>elasticsearch-runner</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.codelibs</groupId><artifactId>elasticsearch-cluster-runner</artifactId><version>${RUNNER_VERSION}</version></dependency>
  </dependencies>
</project>
`,
  );
  const staging = `lib.tmp-${process.pid}`;
  log(`downloading elasticsearch-cluster-runner ${RUNNER_VERSION} from Maven Central into ${dir}…`);
  const res = spawnSync("mvn", ["-q", "-B", "dependency:copy-dependencies", `-DoutputDirectory=${staging}`], { cwd: dir, encoding: "utf8" });
  if (res.status !== 0) {
    rmSync(path.join(dir, staging), { recursive: true, force: true });
    throw new Error(`mvn dependency:copy-dependencies failed (exit ${res.status}):\n${tail(`${res.stdout}\n${res.stderr}`, 30)}`);
  }
  try {
    renameSync(path.join(dir, staging), lib);
  } catch {
    rmSync(path.join(dir, staging), { recursive: true, force: true }); // another process finished first
  }
  return lib;
}

/**
 * Starts one node and resolves once the cluster is yellow. Pass `basePath` and `port` of a stopped node
 * (stopped with keepData) to bring the same node, with its indices, back.
 */
export async function startElasticsearch(o: { basePath?: string; port?: number; timeoutMs?: number; detached?: boolean; log?: Log } = {}): Promise<EsNode> {
  const log = o.log ?? (() => {});
  const started = performance.now();
  const lib = ensureRunner(log);
  const basePath = o.basePath ?? mkdtempSync(path.join(tmpdir(), "switchyard-es-"));
  mkdirSync(basePath, { recursive: true });
  const port = o.port ?? (await freePort());
  if (o.port && !(await isFree(o.port))) throw new Error(`Port ${o.port} is taken: cannot start Elasticsearch on it.`);
  const logFile = path.join(basePath, "runner.log");
  const fd = openSync(logFile, "a");
  const args = ["-Xms512m", "-Xmx1g", "-Des.distribution.flavor=default", "-cp", `${lib}/*`, RUNNER_CLASS];
  // A unique cluster name so two nodes on one machine never try to join each other.
  args.push("-basePath", basePath, "-numOfNode", "1", "-clusterName", `switchyard-${process.pid}-${port}`, "-baseHttpPort", String(port - 1));
  const child = spawn("java", args, { stdio: ["ignore", fd, fd], detached: o.detached ?? false });
  closeSync(fd);
  let exited: string | null = null;
  child.on("exit", (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  child.on("error", (error) => (exited = `could not start java: ${error.message}`));
  const pid = child.pid ?? -1;
  if (o.detached) child.unref();
  else process.once("exit", () => alive(pid) && process.kill(pid, "SIGKILL")); // never leave an orphan JVM behind

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  const fail = async (why: string) => {
    if (alive(pid)) await stopPid(pid, 10_000);
    return new Error(`Elasticsearch did not start: ${why}. Log ${logFile}:\n${tail(readLog(logFile), 40)}`);
  };
  for (;;) {
    if (exited) throw await fail(`java ${exited}`);
    const chosen = /HTTP Port:\s+(\d+)/.exec(readLog(logFile))?.[1];
    if (chosen && Number(chosen) !== port) throw await fail(`the runner took port ${chosen} instead of ${port}`);
    if (await isYellow(url)) break;
    if (Date.now() > deadline) throw await fail(`no yellow cluster health at ${url} within ${o.timeoutMs ?? 120_000} ms`);
    await sleep(250);
  }
  const node: EsNode = { url, port, pid, basePath, logFile, startMs: Math.round(performance.now() - started) };
  log(`elasticsearch 7.10.2 up at ${url} in ${(node.startMs / 1000).toFixed(1)} s (pid ${pid})`);
  return node;
}

/** SIGTERM, then SIGKILL after the timeout; deletes the data unless `keepData` (for a restart of the same node). */
export async function stopElasticsearch(node: Pick<EsNode, "pid" | "basePath">, o: { keepData?: boolean; timeoutMs?: number } = {}): Promise<void> {
  await stopPid(node.pid, o.timeoutMs ?? 30_000);
  if (!o.keepData) rmSync(node.basePath, { recursive: true, force: true });
}

async function stopPid(pid: number, timeoutMs: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, "SIGTERM");
  let deadline = Date.now() + timeoutMs;
  let killed = false;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      if (killed) throw new Error(`Elasticsearch (pid ${pid}) is still running after SIGKILL.`);
      process.kill(pid, "SIGKILL");
      killed = true;
      deadline = Date.now() + 5_000;
    }
    await sleep(100);
  }
}

/** A live process, not a zombie waiting for a parent that no longer reaps it. */
function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

async function isYellow(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, { signal: AbortSignal.timeout(3_000) });
    return res.ok && ["yellow", "green"].includes(((await res.json()) as { status: string }).status);
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  for (let port = PORT_RANGE.first; port <= PORT_RANGE.last; port++) if (await isFree(port)) return port;
  throw new Error(`No free port in ${PORT_RANGE.first}-${PORT_RANGE.last} for Elasticsearch (the runner cannot use others).`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function readLog(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// CLI: one background node per checkout, its whereabouts in .cache/elasticsearch/node.json.
const STATE = path.resolve(".cache/elasticsearch/node.json");

async function cli(command: string | undefined): Promise<number> {
  const state = existsSync(STATE) ? (JSON.parse(readFileSync(STATE, "utf8")) as EsNode) : null;
  const running = state && alive(state.pid) ? state : null;
  switch (command) {
    case "start": {
      if (running) return console.log(`already running: ELASTICSEARCH_URL=${running.url} (pid ${running.pid})`), 0;
      const node = await startElasticsearch({ detached: true, log: (l) => console.log(`[es] ${l}`) });
      mkdirSync(path.dirname(STATE), { recursive: true });
      writeFileSync(STATE, JSON.stringify(node, null, 2) + "\n");
      console.log(`ELASTICSEARCH_URL=${node.url}`);
      return 0;
    }
    case "stop":
      if (state) await stopElasticsearch(state);
      rmSync(STATE, { force: true });
      console.log(state ? `stopped (pid ${state.pid})` : "not running");
      return 0;
    case "status":
      if (!running) return console.log("not running"), 1;
      console.log(`${(await isYellow(running.url)) ? "up" : "not answering"}: ELASTICSEARCH_URL=${running.url} (pid ${running.pid}, data ${running.basePath})`);
      return 0;
    default:
      console.error("Usage: npm run es -- start|stop|status");
      return 2;
  }
}

if (import.meta.main) process.exitCode = await cli(process.argv[2]);

// The built app served as `npm start` serves it, for HTTP benches: a free port, a signed-in session per demo role through
// next-auth's own endpoints (CSRF token, then the credentials callback), as a browser would.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { demoUser } from "../lib/seed/demo-users.ts";
import type { Role } from "../db/schema/auth.ts";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Cookies from Set-Cookie headers, as one Cookie header value (merged over `jar`). */
export function cookies(res: Response, jar: Map<string, string>): string {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Signs in as the demo user of `role`; answers the Cookie header that carries the session. */
export async function signIn(url: string, role: Role): Promise<string> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const user = demoUser(role);
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies(csrf, jar) },
    body: new URLSearchParams({ csrfToken, email: user.email, password: user.password, callbackUrl: `${url}/orders`, json: "true" }),
  });
  const cookie = cookies(res, jar);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`Sign-in as the demo ${role} failed (HTTP ${res.status}).`);
  return cookie;
}

/**
 * What the app's processes (web server and worker) run with in a bench: this environment on `databasePath`,
 * in production mode, searching the embedded index (an Elasticsearch node in the environment is left out,
 * so neither process talks to one unless a bench names it).
 */
export function appEnv(databasePath: string): NodeJS.ProcessEnv {
  const { ELASTICSEARCH_URL: _elasticsearch, ELASTICSEARCH_INDEX: _alias, ...inherited } = process.env;
  return { ...inherited, DATABASE_PATH: path.resolve(databasePath), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
}

/** The build in `appDir` (default: this checkout) served as `npm start` serves it, on a free port; resolves once /api/health answers. */
export async function startNext(o: { databasePath: string; appDir?: string; env?: Record<string, string> }): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const appDir = path.resolve(o.appDir ?? ".");
  // As `npm start` serves (scripts/serve.ts: one process per core); a checkout from before it, plain `next start`.
  const serve = path.join(appDir, "scripts/serve.ts");
  const entry = existsSync(serve) ? [serve] : [path.join(appDir, "node_modules/next/dist/bin/next"), "start"];
  const child = spawn(process.execPath, [...entry, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: appDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...appEnv(o.databasePath),
      ...o.env,
      PORT: String(port),
      NEXTAUTH_URL: url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error("the app server exited before it was ready");
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break;
    if (i > 1200) {
      await stop();
      throw new Error("the app server was not ready within 2 minutes");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop };
}

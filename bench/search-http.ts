// The built app under `next start` against a bench database, signed in as the demo agent through
// next-auth's own endpoints (CSRF token, then the credentials callback), as a browser would.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { buildIfNeeded, nextBin } from "../scripts/lib/build.ts";
import { demoUser } from "../lib/seed/demo-users.ts";
import { cookies, freePort } from "./app-server.ts";

export type RunningApp = { url: string; search(q: string, limit: number): Promise<unknown>; stop(): Promise<void> };

/**
 * `next start` on a free port against the bench database. With `elasticsearch`, the app searches that alias on
 * that node (as a deployment with ELASTICSEARCH_URL set would); without, it answers from the embedded index.
 */
export async function startApp(o: { databasePath: string; elasticsearch?: { url: string; alias: string }; log: (line: string) => void }): Promise<RunningApp> {
  buildIfNeeded(o.log);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { ELASTICSEARCH_URL: _url, ELASTICSEARCH_INDEX: _alias, ...inherited } = process.env;
  const search = o.elasticsearch ? { ELASTICSEARCH_URL: o.elasticsearch.url, ELASTICSEARCH_INDEX: o.elasticsearch.alias } : {};
  const child = spawn(process.execPath, [nextBin(), "start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...inherited,
      ...search,
      DATABASE_PATH: o.databasePath,
      PORT: String(port),
      NEXTAUTH_URL: url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error("next start exited before it was ready");
      const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 600) throw new Error("next start was not ready within 60 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    const jar = new Map<string, string>();
    const csrf = await fetch(`${url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const agent = demoUser("agent");
    const signIn = await fetch(`${url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies(csrf, jar) },
      body: new URLSearchParams({ csrfToken, email: agent.email, password: agent.password, callbackUrl: `${url}/orders`, json: "true" }),
    });
    const cookie = cookies(signIn, jar);
    if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`Sign-in as the demo agent failed (HTTP ${signIn.status}).`);
    return {
      url,
      async search(q, limit) {
        const res = await fetch(`${url}/api/search?${new URLSearchParams({ q, limit: String(limit) })}`, { headers: { cookie } });
        if (!res.ok) throw new Error(`GET /api/search?q=${q} → HTTP ${res.status}: ${await res.text()}`);
        return res.json();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// The built app against a bench database, signed in as the demo agent through
// next-auth's own endpoints (CSRF token, then the credentials callback), as a browser would.
import { buildIfNeeded } from "../scripts/lib/build.ts";
import { signIn, startNext } from "./app-server.ts";

export type RunningApp = { url: string; search(q: string, limit: number): Promise<unknown>; stop(): Promise<void> };

/**
 * The app as `npm start` serves it (bench/app-server.ts startNext), on a free port against the bench database. With `elasticsearch`, the app searches that alias on
 * that node (as a deployment with ELASTICSEARCH_URL set would); without, it answers from the embedded index.
 */
export async function startApp(o: { databasePath: string; elasticsearch?: { url: string; alias: string }; log: (line: string) => void }): Promise<RunningApp> {
  buildIfNeeded(o.log);
  const app = await startNext({ databasePath: o.databasePath, env: o.elasticsearch ? { ELASTICSEARCH_URL: o.elasticsearch.url, ELASTICSEARCH_INDEX: o.elasticsearch.alias } : {} });
  try {
    const cookie = await signIn(app.url, "agent");
    return {
      url: app.url,
      async search(q, limit) {
        const res = await fetch(`${app.url}/api/search?${new URLSearchParams({ q, limit: String(limit) })}`, { headers: { cookie } });
        if (!res.ok) throw new Error(`GET /api/search?q=${q} → HTTP ${res.status}: ${await res.text()}`);
        return res.json();
      },
      stop: app.stop,
    };
  } catch (error) {
    await app.stop();
    throw error;
  }
}

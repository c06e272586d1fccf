import { globSync } from "node:fs";
import path from "node:path";
import type { DB } from "../../db/client.ts";
import { createApiKey } from "../../lib/api/keys-admin.ts";
import type { ApiScope } from "../../lib/api/scopes.ts";

/**
 * The orders API's real route handlers (app/api/v1/**\/route.ts) behind a tiny router built from the file
 * paths as Next builds it, so tests, openapi-fetch and the contract test send real Requests to them.
 */
type Handler = (req: Request) => Promise<Response> | Response;
type Route = { file: string; template: string; pattern: RegExp; methods: Record<string, Handler> };

let routes: Route[] | undefined;

export async function apiRoutes(): Promise<Route[]> {
  if (routes) return routes;
  const root = process.cwd();
  const found: Route[] = [];
  for (const file of globSync("app/api/v1/**/route.ts", { cwd: root }).sort()) {
    const dir = "/" + path.dirname(file).replace(/^app\//, "");
    const template = dir.replace(/\[(\w+)\]/g, "{$1}");
    const pattern = new RegExp(`^${dir.replace(/\./g, "\\.").replace(/\[(\w+)\]/g, "[^/]+")}/?$`);
    const mod = (await import(path.join(root, file))) as Record<string, unknown>;
    const methods = Object.fromEntries(Object.entries(mod).filter(([k, v]) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(k) && typeof v === "function")) as Record<string, Handler>;
    found.push({ file, template, pattern, methods });
  }
  // Static segments win over parameters, as in Next.
  routes = found.sort((a, b) => a.template.split("{").length - b.template.split("{").length);
  return routes;
}

/** A fetch that answers from the route handlers in this process (404/405 like Next when nothing matches). */
export async function dispatch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
  const url = new URL(req.url);
  const route = (await apiRoutes()).find((r) => r.pattern.test(url.pathname));
  if (!route) return new Response("not found", { status: 404 });
  const handler = route.methods[req.method];
  if (!handler) return new Response(null, { status: 405, headers: { allow: Object.keys(route.methods).join(", ") } });
  return handler(req);
}

export function makeApiKey(db: DB, scopes: ApiScope[] = ["orders:read", "orders:write", "orders:cancel"], o: { name?: string; rateLimitPerMinute?: number } = {}): { id: number; key: string; prefix: string } {
  return db.transaction((tx) => createApiKey(tx, { name: o.name ?? `test ${scopes.join("+")}`, scopes, rateLimitPerMinute: o.rateLimitPerMinute ?? 100_000, actor: { id: null, label: "test" }, at: Date.now() }));
}

let seq = 0;
export const idempotencyKey = () => `test-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

export type Sent = { status: number; headers: Headers; text: string; json: Record<string, unknown> };

export async function send(method: string, urlPath: string, o: { key?: string; body?: unknown; rawBody?: string; idempotencyKey?: string | null; headers?: Record<string, string> } = {}): Promise<Sent> {
  const headers: Record<string, string> = { ...(o.key ? { authorization: `Bearer ${o.key}` } : {}), ...o.headers };
  if (method === "POST") {
    headers["content-type"] ??= "application/json";
    if (o.idempotencyKey !== null) headers["idempotency-key"] ??= o.idempotencyKey ?? idempotencyKey();
  }
  const res = await dispatch(new Request(`http://localhost${urlPath}`, { method, headers, body: method === "POST" ? (o.rawBody ?? JSON.stringify(o.body ?? {})) : undefined }));
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (a 404 page, an empty 405)
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A valid order body for SKUs that exist in the seeded catalogue. */
export function orderBody(skus: string[], o: Partial<{ currency: string; email: string; external_reference: string; shipping: number; tax: number }> = {}) {
  return {
    customer: { email: o.email ?? "grace.hopper@example.com", name: "Grace Hopper", phone: "+1 555 0100" },
    ship_to: { name: "Grace Hopper", line1: "1 Navy Yard", city: "Arlington", postcode: "22202", country: "US", latitude: 38.87, longitude: -77.05 },
    lines: skus.map((sku, i) => ({ sku, quantity: i + 1 })),
    currency: o.currency ?? "EUR",
    shipping: o.shipping ?? 495,
    tax: o.tax ?? 0,
    ...(o.external_reference ? { external_reference: o.external_reference } : {}),
  };
}

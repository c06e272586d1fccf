import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { DB } from "../../db/client.ts";
import { seededAppDatabase } from "../support/app-db.ts";
import { apiRoutes, idempotencyKey, makeApiKey, orderBody, send, type Sent } from "../support/api.ts";
import { API_MAX_BODY_BYTES } from "../../lib/api/request.ts";
import { requestFingerprint } from "../../lib/api/idempotency.ts";
import { CLIENT_TYPES_FILE, clientTypes } from "../../scripts/lib/api-types.ts";

/**
 * The document and the handlers cannot disagree: every route file under app/api/v1 is a documented operation
 * and every operation has its handler; real responses, one for every status each operation documents, are
 * validated against the documented schemas and headers; and the committed typed client matches the document.
 */

type Operation = { operationId: string; parameters?: { name: string; in: string; required?: boolean }[]; responses: Record<string, { headers?: Record<string, { required?: boolean }>; content: Record<string, { schema: unknown }> }> };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

let db: DB;
let cleanup: () => void;
let doc: Doc;
let key: string;
let skus: string[];
const observed = new Map<string, Set<string>>();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

beforeAll(async () => {
  ({ db, cleanup } = await seededAppDatabase({ orders: 60 }));
  key = makeApiKey(db).key;
  skus = (db.$client.prepare("SELECT sku FROM products WHERE active = 1 AND currency = 'EUR' ORDER BY id LIMIT 2").all() as { sku: string }[]).map((r) => r.sku);
  const res = await send("GET", "/api/v1/openapi.json");
  doc = res.json as unknown as Doc;
  ajv.addSchema(doc, "openapi.json");
}, 120_000);
afterAll(() => cleanup?.());

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** Checks one real response against the document: its status is documented, its content type and body match, its required headers are there. */
function conforms(template: string, method: string, res: Sent): void {
  const op = doc.paths[template]?.[method];
  expect(op, `${method} ${template} is documented`).toBeDefined();
  const documented = op!.responses[String(res.status)];
  expect(documented, `${method.toUpperCase()} ${template} answered an undocumented ${res.status}: ${res.text.slice(0, 200)}`).toBeDefined();
  const type = res.headers.get("content-type")!;
  expect(Object.keys(documented!.content)).toContain(type);
  const validate = ajv.getSchema(`openapi.json#/${pointer("paths", template, method, "responses", String(res.status), "content", type, "schema")}`)!;
  expect(validate(res.json), `${method.toUpperCase()} ${template} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  for (const [name, h] of Object.entries(documented!.headers ?? {})) if (h.required) expect(res.headers.get(name), `${name} on ${res.status}`).not.toBeNull();
  const seen = observed.get(`${method} ${template}`) ?? new Set();
  seen.add(String(res.status));
  observed.set(`${method} ${template}`, seen);
}

describe("the OpenAPI document", () => {
  test("is OpenAPI 3.1 with every request and response schema compiling as JSON Schema 2020-12", () => {
    expect(doc.openapi).toBe("3.1.0");
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const status of Object.keys(op.responses)) {
          for (const type of Object.keys(op.responses[status]!.content)) expect(ajv.getSchema(`openapi.json#/${pointer("paths", template, method, "responses", status, "content", type, "schema")}`)).toBeTypeOf("function");
        }
      }
    }
  });

  test("every route file under app/api/v1 is a documented operation, and every documented operation has its route file", async () => {
    const fromFiles: string[] = [];
    for (const route of await apiRoutes()) {
      if (route.template === "/api/v1/openapi.json") continue; // the document itself
      for (const [method, handler] of Object.entries(route.methods)) {
        const path = route.template.replace(/^\/api\/v1/, "");
        const id = (handler as { apiOperation?: string }).apiOperation;
        expect(id, `${method} ${route.file} is built with apiRead/apiWrite`).toBeTruthy();
        expect(doc.paths[path]?.[method.toLowerCase()]?.operationId, `${method} ${path}`).toBe(id);
        fromFiles.push(`${method.toLowerCase()} ${path}`);
      }
    }
    const fromDoc = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(fromFiles.sort()).toEqual(fromDoc.sort());
  });

  test("real responses, one for every status each operation documents, match the documented schemas and headers", async () => {
    const reader = makeApiKey(db, ["orders:read"]).key;
    const writerOnly = makeApiKey(db, ["orders:write"]).key;
    const pending = async () => (await send("POST", "/api/v1/orders", { key, body: orderBody(skus) })).json as { number: string; amounts: { total: number } };
    const shipped = (db.$client.prepare("SELECT number FROM orders WHERE status IN ('fulfilled', 'delivered') LIMIT 1").get() as { number: string }).number;
    const plant = (k: string, path: string, body: unknown) => {
      // The same request, claimed by another process that is still running it.
      const id = (db.$client.prepare("SELECT id FROM api_keys ORDER BY id LIMIT 1").get() as { id: number }).id;
      db.$client
        .prepare("INSERT INTO idempotency_keys (api_key_id, key, request_hash, claim_token, locked_until, created_at) VALUES (?, ?, ?, 'other', ?, ?)")
        .run(id, k, requestFingerprint("POST", path, body), Date.now() + 60_000, Date.now());
    };
    const limitedKey = () => makeApiKey(db, ["orders:read", "orders:write", "orders:cancel"], { rateLimitPerMinute: 1 }).key;

    type Case = [template: string, method: string, run: () => Promise<Sent>];
    const o1 = await pending();
    const o2 = await pending();
    const cancelled = await pending();
    const ref = `contract-${process.pid}`;
    await send("POST", "/api/v1/orders", { key, body: orderBody(skus, { external_reference: ref }) });
    const k = idempotencyKey();
    await send("POST", "/api/v1/orders", { key, body: orderBody(skus), idempotencyKey: k });

    const posts: [string, () => string, unknown][] = [
      ["/orders", () => "/api/v1/orders", orderBody(skus)],
      ["/orders/{number}/cancel", () => `/api/v1/orders/${cancelled.number}/cancel`, { reason: "customer_requested" }],
      ["/orders/{number}/payments", () => `/api/v1/orders/${o1.number}/payments`, { amount: o1.amounts.total, currency: "EUR", reference: `psp-${o1.number}` }],
    ];
    const cases: Case[] = [
      ["/orders", "post", () => send("POST", "/api/v1/orders", { key, body: orderBody(skus), idempotencyKey: k })],
      ["/orders", "post", () => send("POST", "/api/v1/orders", { key, body: orderBody(skus, { external_reference: ref }) })],
      ["/orders", "post", () => send("POST", "/api/v1/orders", { key, body: { ...orderBody(skus), lines: [{ sku: "NOPE", quantity: 1 }] } })],
      ["/orders", "get", () => send("GET", "/api/v1/orders?limit=3&status=pending", { key })],
      ["/orders", "get", () => send("GET", "/api/v1/orders?limit=1000", { key })],
      ["/orders", "get", () => send("GET", "/api/v1/orders", { key: writerOnly })],
      ["/orders/{number}", "get", () => send("GET", `/api/v1/orders/${shipped}`, { key })],
      ["/orders/{number}", "get", () => send("GET", "/api/v1/orders/SY-0", { key })],
      ["/orders/{number}", "get", () => send("GET", `/api/v1/orders/${shipped}`, { key: writerOnly })],
      ["/orders/{number}", "get", () => send("GET", `/api/v1/orders/${"x".repeat(41)}`, { key })],
      ["/orders/{number}/cancel", "post", () => send("POST", `/api/v1/orders/${shipped}/cancel`, { key, body: { reason: "other" } })],
      ["/orders/{number}/cancel", "post", () => send("POST", "/api/v1/orders/SY-0/cancel", { key, body: { reason: "other" } })],
      ["/orders/{number}/payments", "post", () => send("POST", `/api/v1/orders/${o2.number}/payments`, { key, body: { amount: 1, currency: "EUR", reference: "short" } })],
      ["/orders/{number}/payments", "post", () => send("POST", "/api/v1/orders/SY-0/payments", { key, body: { amount: 1, currency: "EUR", reference: "none" } })],
      ...(["/orders", "/orders/{number}"] as const).map((t): Case => [t, "get", () => send("GET", `/api/v1${t.replace("{number}", shipped)}`, {})]),
      ...(["/orders", "/orders/{number}"] as const).map((t): Case => [t, "get", async () => {
        const lk = limitedKey();
        await send("GET", `/api/v1${t.replace("{number}", shipped)}`, { key: lk });
        return send("GET", `/api/v1${t.replace("{number}", shipped)}`, { key: lk });
      }]),
      ...posts.flatMap(([t, url, body]): Case[] => {
        const held = idempotencyKey();
        return [
          [t, "post", () => send("POST", url(), { key, body })],
          [t, "post", () => send("POST", url(), { body })],
          [t, "post", () => send("POST", url(), { key: reader, body })],
          [t, "post", () => send("POST", url(), { key, body: { nonsense: true } })],
          [t, "post", () => send("POST", url(), { key, rawBody: "reason=other", headers: { "content-type": "text/plain" } })],
          [t, "post", () => send("POST", url(), { key, rawBody: JSON.stringify({ pad: "x".repeat(API_MAX_BODY_BYTES) }) })],
          // k was used for another request (placing orderBody(skus)): a mismatch on every operation.
          [t, "post", () => send("POST", url(), { key, body: t === "/orders" ? orderBody(skus, { tax: 7 }) : body, idempotencyKey: k })],
          [t, "post", async () => (plant(held, url(), body), send("POST", url(), { key, body, idempotencyKey: held }))],
          [t, "post", async () => {
            const lk = limitedKey();
            await send("POST", url(), { key: lk, body: { nonsense: true } });
            return send("POST", url(), { key: lk, body });
          }],
        ];
      }),
    ];
    for (const [template, method, run] of cases) conforms(template, method, await run());

    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect([...(observed.get(`${method} ${template}`) ?? [])].sort(), `${method.toUpperCase()} ${template}: every documented status seen`).toEqual(Object.keys(op.responses).sort());
      }
    }
  });
});

describe("the typed client (clients/orders-api-v1.ts)", () => {
  test("is what openapi-typescript makes of the served document: regenerate it with `npm run api:types` when this fails", async () => {
    expect(readFileSync(CLIENT_TYPES_FILE, "utf8")).toBe(await clientTypes(doc as unknown as Record<string, unknown>));
  });
});

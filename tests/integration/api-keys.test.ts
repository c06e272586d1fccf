import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { guardedAs } from "../../lib/guard.ts";
import { apiKeyCaller, hashApiKey } from "../../lib/api/keys.ts";
import { revokeApiKey } from "../../lib/api/keys-admin.ts";
import { apiKeyById } from "../../db/queries/api-keys.ts";
import { resetRateLimits } from "../../lib/api/rate-limit.ts";
import { API_MAX_BODY_BYTES } from "../../lib/api/request.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";
import { makeApiKey, orderBody, send } from "../support/api.ts";
import { z } from "zod";
import { prepared } from "../../db/raw.ts";

let db: DB;
let cleanup: () => void;
let admin: SessionUser;
let skus: string[];

beforeAll(async () => {
  let users: Record<string, SessionUser>;
  ({ db, cleanup, users } = await seededAppDatabase({ orders: 20 }));
  admin = users.admin!;
  skus = (db.$client.prepare("SELECT sku FROM products WHERE active = 1 AND currency = 'EUR' ORDER BY id LIMIT 1").all() as { sku: string }[]).map((r) => r.sku);
}, 120_000);
afterAll(() => cleanup?.());

const one = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
const actions = () => import("../../app/(ops)/admin/api-keys/actions.ts");

describe("API keys under /admin/api-keys", () => {
  test("an admin creates a key: shown once, stored only as a hash with its prefix, audited without the key", async () => {
    const { createApiKeyAction } = await actions();
    const res = await runAs(admin, () => createApiKeyAction({ name: "Checkout EU", scopes: ["orders:read", "orders:write"], rateLimitPerMinute: 600 }));
    if (!res.ok) throw new Error(res.message);
    const { key, prefix, id } = res.data;
    expect(key).toMatch(/^sy_[A-Za-z0-9_-]{32}$/);
    expect(key.startsWith(prefix)).toBe(true);
    const row = one<Record<string, unknown>>("SELECT * FROM api_keys WHERE id = ?", id);
    expect(row).toMatchObject({ name: "Checkout EU", prefix, key_hash: hashApiKey(key), scopes: '["orders:read","orders:write"]', created_by: admin.id, revoked_at: null });
    expect(JSON.stringify(row)).not.toContain(key);
    const audit = one<{ action: string; reason: string; data: string }>("SELECT action, reason, data FROM audit_events WHERE entity_type = 'api_key' AND entity_id = ?", id);
    expect(audit.action).toBe("api_key_created");
    expect(audit.reason + audit.data).not.toContain(key);
    expect((await send("GET", "/api/v1/orders?limit=1", { key })).status).toBe(200);
    expect(one<{ lastUsedAt: number | null }>("SELECT last_used_at AS lastUsedAt FROM api_keys WHERE id = ?", id).lastUsedAt).toBeGreaterThan(0);
  });

  test("a revoked key is refused (401) at once; revoking is audited; only admins may create or revoke", async () => {
    const { createApiKeyAction, revokeApiKeyAction } = await actions();
    const { key, id } = makeApiKey(db, ["orders:read"]);
    expect((await send("GET", "/api/v1/orders", { key })).status).toBe(200);
    const res = await runAs(admin, () => revokeApiKeyAction({ id }));
    expect(res.ok).toBe(true);
    const refused = await send("GET", "/api/v1/orders", { key });
    expect(refused.status).toBe(401);
    expect(refused.json.detail).toMatch(/revoked/);
    expect(one("SELECT action FROM audit_events WHERE entity_type = 'api_key' AND entity_id = ? ORDER BY id DESC LIMIT 1", id)).toEqual({ action: "api_key_revoked" });
    expect(await runAs(admin, () => revokeApiKeyAction({ id }))).toMatchObject({ ok: false, code: "conflict" });
    const agent = one<SessionUser>("SELECT id, email, name, role FROM users WHERE role = 'agent' LIMIT 1");
    expect(await runAs(agent, () => createApiKeyAction({ name: "sneaky", scopes: ["orders:read"], rateLimitPerMinute: 10 }))).toMatchObject({ ok: false, code: "forbidden" });
  });
});

describe("authentication and scopes", () => {
  test("a missing, malformed, unknown or revoked key is a 401 problem with WWW-Authenticate, and writes nothing", async () => {
    const revoked = makeApiKey(db);
    db.transaction((tx) => revokeApiKey(tx, { id: revoked.id, actor: { id: null, label: "test" }, at: Date.now() }));
    const before = tableCounts(db);
    for (const authorization of [undefined, "Basic dXNlcjpwYXNz", "Bearer", `Bearer sy_${"x".repeat(32)}`, `Bearer ${revoked.key}`]) {
      const res = await send("POST", "/api/v1/orders", { body: orderBody(skus), headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="switchyard"');
      expect(res.json).toMatchObject({ status: 401, code: "unauthenticated" });
    }
    expect(tableCounts(db)).toEqual(before);
  });

  test("a key without the operation's scope is a 403 naming the scope, and writes nothing (not even last used)", async () => {
    const reader = makeApiKey(db, ["orders:read"]);
    const before = tableCounts(db);
    const order = one<{ number: string }>("SELECT number FROM orders WHERE status = 'pending' LIMIT 1") ?? one<{ number: string }>("SELECT number FROM orders LIMIT 1");
    for (const [path, body] of [["/api/v1/orders", orderBody(skus)], [`/api/v1/orders/${order.number}/cancel`, { reason: "other" }], [`/api/v1/orders/${order.number}/payments`, { amount: 1, currency: "EUR", reference: "x" }]] as const) {
      const res = await send("POST", path, { key: reader.key, body });
      expect(res.status, path).toBe(403);
      expect(res.json.detail).toMatch(/lacks the orders:(write|cancel) scope/);
    }
    const writer = makeApiKey(db, ["orders:write"]);
    const afterKeys = tableCounts(db);
    expect((await send("GET", "/api/v1/orders", { key: writer.key })).status).toBe(403);
    expect(tableCounts(db)).toEqual(afterKeys);
    expect({ ...afterKeys, api_keys: 0, audit_events: 0 }).toEqual({ ...before, api_keys: 0, audit_events: 0 });
    expect(apiKeyById(db, reader.id)!.lastUsedAt).toBeNull();
    expect(apiKeyById(db, writer.id)!.lastUsedAt).toBeNull();
  });

  test("a key revoked while its request was in flight writes nothing: the guard re-reads the key inside the write", async () => {
    const { key, id } = makeApiKey(db, ["orders:write"]);
    const row = apiKeyById(db, id)!;
    expect(key).toBeTruthy();
    const before = tableCounts(db);
    const answer = await guardedAs({ schema: z.object({}), permission: "orders:place" }, apiKeyCaller(row), {}, (_input, ctx) => {
      db.transaction((tx) => revokeApiKey(tx, { id, actor: { id: null, label: "test" }, at: Date.now() }));
      const afterRevoke = tableCounts(db);
      ctx.write((tx) => prepared(tx, "INSERT INTO notes (order_id, body, created_at) VALUES (1, 'should not exist', 0)").run());
      return afterRevoke;
    });
    expect(answer).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(tableCounts(db)).toEqual({ ...before, audit_events: before.audit_events! + 1 });
  });

  test("past a key's rate, 429 with Retry-After, and nothing written", async () => {
    resetRateLimits();
    const { key } = makeApiKey(db, ["orders:read"], { rateLimitPerMinute: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send("GET", "/api/v1/orders?limit=1", { key })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const before = tableCounts(db);
    const limited = await send("GET", "/api/v1/orders?limit=1", { key });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.json).toMatchObject({ code: "rate_limited", status: 429 });
    expect(tableCounts(db)).toEqual(before);
  });
});

describe("the body", () => {
  test("not JSON is a 415, over the size limit a 413, broken JSON a 400: all problem+json, none writes", async () => {
    const { key } = makeApiKey(db);
    const before = tableCounts(db);
    const plain = await send("POST", "/api/v1/orders", { key, rawBody: "customer=ada", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(plain.status).toBe(415);
    const latin1 = await send("POST", "/api/v1/orders", { key, rawBody: "{}", headers: { "content-type": "application/json; charset=iso-8859-1" } });
    expect(latin1.status).toBe(415);
    const huge = await send("POST", "/api/v1/orders", { key, rawBody: JSON.stringify({ ...orderBody(skus), padding: "x".repeat(API_MAX_BODY_BYTES) }) });
    expect(huge.status).toBe(413);
    const broken = await send("POST", "/api/v1/orders", { key, rawBody: '{"customer": ' });
    expect(broken.status).toBe(400);
    for (const r of [plain, latin1, huge, broken]) {
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      expect(Object.keys(r.json).sort()).toEqual(expect.arrayContaining(["type", "title", "status", "detail", "code"]));
    }
    expect(tableCounts(db)).toEqual(before);
  });
});

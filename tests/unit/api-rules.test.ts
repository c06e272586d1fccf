import { describe, expect, test } from "vitest";
import { takeToken } from "../../lib/api/rate-limit.ts";
import { requestFingerprint } from "../../lib/api/idempotency.ts";
import { pathParams } from "../../lib/api/request.ts";
import { API_SCOPES, SCOPE_GRANTS, scopeFor, scopesGrant } from "../../lib/api/scopes.ts";
import { PERMISSION_LIST } from "../../lib/auth/permissions.ts";
import { problemAnswer } from "../../lib/api/problem.ts";
import { HTTP_STATUS } from "../../lib/errors.ts";

describe("API scopes", () => {
  test("each scope grants known permissions, and no two scopes grant the same one", () => {
    const granted = API_SCOPES.flatMap((s) => SCOPE_GRANTS[s]);
    for (const p of granted) expect(PERMISSION_LIST).toContain(p);
    expect(new Set(granted).size).toBe(granted.length);
  });

  test("a key may do what its scopes grant and nothing else", () => {
    expect(scopesGrant(["orders:read"], "orders:read_contact")).toBe(true);
    expect(scopesGrant(["orders:read"], "orders:place")).toBe(false);
    expect(scopesGrant(["orders:write"], "payments:record")).toBe(true);
    expect(scopesGrant(["orders:write", "made:up"], "orders:cancel")).toBe(false);
    expect(scopesGrant([], "orders:read")).toBe(false);
    expect(scopeFor("orders:cancel")).toBe("orders:cancel");
    expect(() => scopeFor("admin:users")).toThrow();
  });
});

describe("rate limit", () => {
  test("a key bursts up to its minute's allowance, then waits for tokens to refill", () => {
    const t0 = 1_000_000;
    const key = 900_001;
    for (let i = 0; i < 60; i++) expect(takeToken(key, 60, t0).ok).toBe(true);
    const refused = takeToken(key, 60, t0);
    expect(refused).toEqual({ ok: false, limit: 60, retryAfterSeconds: 1 });
    expect(takeToken(key, 60, t0 + 1_000).ok).toBe(true);
    expect(takeToken(key, 60, t0 + 1_000).ok).toBe(false);
  });
});

describe("Idempotency-Key fingerprint", () => {
  test("the same request in another key order or spacing is the same; another body, path or method is not", () => {
    const a = requestFingerprint("POST", "/api/v1/orders", { b: 1, a: { y: [1, { q: 2, p: 1 }], x: null } });
    expect(requestFingerprint("POST", "/api/v1/orders", { a: { x: null, y: [1, { p: 1, q: 2 }] }, b: 1 })).toBe(a);
    expect(requestFingerprint("POST", "/api/v1/orders", { a: { x: null, y: [{ p: 1, q: 2 }, 1] }, b: 1 })).not.toBe(a);
    expect(requestFingerprint("POST", "/api/v1/orders/SY-1/cancel", { b: 1, a: { y: [1, { q: 2, p: 1 }], x: null } })).not.toBe(a);
    expect(requestFingerprint("POST", "/api/v1/orders", { b: "1", a: { y: [1, { q: 2, p: 1 }], x: null } })).not.toBe(a);
  });
});

describe("path parameters", () => {
  test("are read from the request path by the OpenAPI template, decoded", () => {
    expect(pathParams("/orders/{number}/cancel", "/api/v1/orders/SY-100001/cancel")).toEqual({ number: "SY-100001" });
    expect(pathParams("/orders/{number}", "/api/v1/orders/SY%2D1")).toEqual({ number: "SY-1" });
    expect(pathParams("/orders/{number}", "/api/v1/orders/SY-1/cancel")).toBeNull();
    expect(pathParams("/orders", "/api/v1/orders/")).toEqual({});
  });
});

describe("problem+json", () => {
  test("carries type, title, status, detail, instance and code, with the status from the one mapping", () => {
    const p = problemAnswer("idempotency_mismatch", "Different body.", { instance: "/api/v1/orders", errors: [{ pointer: "/lines/0/sku", detail: "Unknown." }] });
    expect(p.status).toBe(HTTP_STATUS.idempotency_mismatch);
    expect(p.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(p.body)).toEqual({
      type: "tag:switchyard.dev,2026:problems/idempotency_mismatch",
      title: expect.any(String),
      status: 422,
      detail: "Different body.",
      instance: "/api/v1/orders",
      code: "idempotency_mismatch",
      errors: [{ pointer: "/lines/0/sku", detail: "Unknown." }],
    });
    expect(problemAnswer("unauthenticated", "No key.", { instance: "/" }).headers["www-authenticate"]).toMatch(/^Bearer/);
  });
});

describe("undeclared methods", () => {
  test("a method an orders API path does not document is a 405 with Allow; TRACE is one everywhere; documented ones pass to Next", async () => {
    const { undeclaredMethod } = await import("../../lib/api/methods.ts");
    expect(undeclaredMethod("POST", "/api/v1/orders?x=1")).toBeNull();
    expect(undeclaredMethod("HEAD", "/api/v1/orders/SY-1")).toBeNull();
    expect(undeclaredMethod("GET", "/orders")).toBeNull();
    const put = undeclaredMethod("PUT", "/api/v1/orders/SY-1/cancel")!;
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe("OPTIONS, POST");
    expect(JSON.parse(put.body)).toMatchObject({ code: "method_not_allowed", status: 405 });
    expect(undeclaredMethod("TRACE", "/login")!.status).toBe(405);
  });
});

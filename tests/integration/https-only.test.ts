import { afterAll, describe, expect, test } from "vitest";
import { NextRequest } from "next/server";
import { seededAppDatabase } from "../support/app-db.ts";

// Behind one reverse proxy that terminates TLS and says so in X-Forwarded-Proto.
process.env.TRUST_PROXY = "1";
const app = await seededAppDatabase({ orders: 5 });
afterAll(() => app.cleanup());
const { authOptions } = await import("../../lib/auth/options.ts");
const { proxy } = await import("../../proxy.ts");
const { servedOverHttps } = await import("../../lib/forwarded.ts");

const visit = (proto: string) => new NextRequest("http://localhost:3000/login", { headers: { "x-forwarded-proto": proto } });

describe("HSTS and Secure cookies only over HTTPS", () => {
  test("a visitor the trusted proxy saw over HTTPS gets HSTS and Secure session cookies", async () => {
    const res = await proxy(visit("https"));
    expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    expect(authOptions(new Headers({ "x-forwarded-proto": "https" })).useSecureCookies).toBe(true);
  });

  test("a visitor over plain HTTP gets neither, and the CSP does not upgrade requests", async () => {
    const res = await proxy(visit("http"));
    expect(res.headers.get("strict-transport-security")).toBeNull();
    expect(res.headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
    expect(authOptions(new Headers({ "x-forwarded-proto": "http" })).useSecureCookies).toBe(false);
    expect(authOptions(new Headers()).useSecureCookies).toBe(false);
  });

  test("X-Forwarded-Proto counts only behind TRUST_PROXY; an https NEXTAUTH_URL always does", () => {
    const https = new Headers({ "x-forwarded-proto": "https" });
    expect(servedOverHttps(https, { NEXTAUTH_URL: "http://localhost:3000", TRUST_PROXY: 0 })).toBe(false);
    expect(servedOverHttps(https, { NEXTAUTH_URL: "http://localhost:3000", TRUST_PROXY: 1 })).toBe(true);
    expect(servedOverHttps(new Headers({ "x-forwarded-proto": "https, http" }), { NEXTAUTH_URL: "http://localhost:3000", TRUST_PROXY: 1 })).toBe(false);
    expect(servedOverHttps(new Headers(), { NEXTAUTH_URL: "https://oms.example.test", TRUST_PROXY: 0 })).toBe(true);
  });
});

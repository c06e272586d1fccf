import { describe, expect, test } from "vitest";
import { AFTER_SIGN_IN, safeCallbackPath } from "../../lib/auth/callback-url.ts";

const ORIGIN = "http://localhost:3000";

/** Each of these, given as callbackUrl, would take a browser to another host if followed as typed. */
const HOSTILE = [
  "//evil.test",
  "//evil.test/orders",
  "///evil.test",
  "https://evil.test",
  "http://evil.test/orders",
  "HTTPS://EVIL.TEST",
  "https:evil.test",
  "/\\evil.test",
  "/\\evil.test/orders",
  "\\\\evil.test",
  "\\/evil.test",
  "/\t/evil.test",
  "/\n/evil.test",
  "/\r\n/evil.test",
  "\t//evil.test",
  " //evil.test",
  "/\t\\evil.test",
  "/.//evil.test",
  "/%2F%2Fevil.test",
  "/%5Cevil.test",
  "/%2f/evil.test",
  "/%09/evil.test",
  "%2F%2Fevil.test",
  "http://localhost:3000@evil.test/",
  "http://localhost:3000.evil.test/orders",
  "https://localhost:3000/orders",
  "http://localhost:3001/orders",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(document.cookie)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "http://[::1]/",
  "",
  "x".repeat(5000),
];

describe("callback URL after sign-in", () => {
  test.each(HOSTILE.map((raw) => [JSON.stringify(raw).slice(0, 60), raw]))("%s falls back to /orders", (_label, raw) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe(AFTER_SIGN_IN);
  });

  test("a value that is not a string falls back to /orders", () => {
    for (const raw of [undefined, null, 42, ["/orders"], { href: "//evil.test" }]) expect(safeCallbackPath(raw, ORIGIN)).toBe(AFTER_SIGN_IN);
  });

  test.each([
    ["/orders", "/orders"],
    ["/orders?status=delivered", "/orders?status=delivered"],
    ["/orders/SY-000123#timeline", "/orders/SY-000123#timeline"],
    ["/refunds?from=2024-01-01&status=succeeded", "/refunds?from=2024-01-01&status=succeeded"],
    ["http://localhost:3000/routing?filter=split", "/routing?filter=split"],
    ["/orders/../admin", "/admin"],
    // Same scheme as ours, so a browser reads it as a path on this host too.
    ["http:/evil.test", "/evil.test"],
  ])("the same-origin %s survives as %s", (raw, expected) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe(expected);
  });

  test("every survivor stays on our origin however a browser reads it", () => {
    for (const raw of HOSTILE) {
      const path = safeCallbackPath(raw, ORIGIN);
      expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
    }
  });
});

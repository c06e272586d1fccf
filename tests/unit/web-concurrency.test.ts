import { describe, expect, it } from "vitest";
import { MAX_DEFAULT_WEB_PROCESSES, webConcurrency } from "../../scripts/lib/web-concurrency";

describe("web processes npm start runs (WEB_CONCURRENCY)", () => {
  it("defaults to one per core, at least one and at most four", () => {
    expect(webConcurrency(undefined, 1)).toBe(1);
    expect(webConcurrency(undefined, 2)).toBe(2);
    expect(webConcurrency("", 3)).toBe(3);
    expect(webConcurrency("  ", 16)).toBe(MAX_DEFAULT_WEB_PROCESSES);
    expect(MAX_DEFAULT_WEB_PROCESSES).toBe(4);
  });

  it("takes a whole number from 1 to 64 as given, whatever the cores", () => {
    expect(webConcurrency("1", 8)).toBe(1);
    expect(webConcurrency("6", 2)).toBe(6);
    expect(webConcurrency("64", 2)).toBe(64);
  });

  it.each(["0", "65", "-1", "1.5", "two", "2x"])("refuses %j with the rule in the message", (value) => {
    expect(() => webConcurrency(value, 2)).toThrow(`WEB_CONCURRENCY must be a whole number from 1 to 64, got "${value}".`);
  });
});

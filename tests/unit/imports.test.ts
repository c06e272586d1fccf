import { describe, expect, test } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Every TypeScript file under a folder. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe("imports run one way", () => {
  test("production code never imports lib/seed (only the seed itself and its scripts do)", () => {
    const production = ["app", "components", "db", "lib"].flatMap(files).filter((f) => !f.startsWith(path.join("lib", "seed")));
    const offenders = production.filter((f) => /from\s+["'][^"']*\/seed\//.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});

import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const SOURCES = ["app", "components", "lib", "db", "public", "proxy.ts", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const st = statSync(entry);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** True when there is no production build or a source file changed after it was made. */
function needsBuild(): boolean {
  const marker = ".next/BUILD_ID";
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

function nextBin(): string {
  return path.resolve("node_modules/next/dist/bin/next");
}

/** Runs `next build` on this Node when needed; exits the process with its code on failure. */
export function buildIfNeeded(log: (line: string) => void = console.log): void {
  if (!needsBuild()) {
    log("Production build is up to date.");
    return;
  }
  log("Building the app (next build)…");
  const res = spawnSync(process.execPath, [nextBin(), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (res.status !== 0) {
    console.error("next build failed; see the output above.");
    process.exit(res.status ?? 1);
  }
}

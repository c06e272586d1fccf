import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Playwright cannot download browsers here: use Debian's Chromium, installing it when absent. */
export function ensureChromium(log: (line: string) => void): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM} is missing and this is not root: install it with \`sudo apt-get install -y chromium\`.`);
  }
  log("Chromium is missing: installing Debian's chromium package (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-q"], ["install", "-y", "-q", "--no-install-recommends", "chromium"]]) {
    const res = spawnSync("apt-get", args, { stdio: ["ignore", "inherit", "inherit"], env });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed with exit code ${res.status}.`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get finished but ${CHROMIUM} is still missing.`);
}

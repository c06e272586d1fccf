// `npm run bench -- <name> [options]`: runs one benchmark, prints a table, writes bench/results/<name>.json.
export {};
const BENCHES: Record<string, string> = {
  routing: "./routing.ts",
  search: "./search.ts",
  money: "./money.ts",
  intake: "./intake.ts",
  api: "./api.ts",
  pages: "./pages.ts",
  outbox: "./outbox.ts",
};

const [bench, ...rest] = process.argv.slice(2);
if (!bench || !(bench in BENCHES)) {
  console.error(`Usage: npm run bench -- <${Object.keys(BENCHES).join("|")}> [options]`);
  process.exit(2);
}
const mod = (await import(BENCHES[bench]!)) as { main: (args: string[]) => Promise<void> };
await mod.main(rest);

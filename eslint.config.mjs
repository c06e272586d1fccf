import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Imports run one way: app → components → lib → db. Two doors are named on purpose: components may
 * import a page's server actions (app/**\/actions.ts: the action wrapper is the door into the domain), and
 * every layer may read lib/env.ts (the one parsed environment; it imports nothing of ours).
 * Links between screens are components/ui/link.tsx's, never next/link's own (which prefetches).
 */
const nextLink = { name: "next/link", importNames: ["default"], message: "Use Link from components/ui/link.tsx: never prefetched (why: there)." };
const componentsUpward = ["components/ never import app/ (except a page's actions.ts) or lib/seed.", String.raw`^(?:\.\./)+app/(?!.*/actions\.ts$)|(?:^|/)seed/`];
const upward = (message, regex, paths = [nextLink]) => ["error", { paths, patterns: [{ regex, message }] }];

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "data/**", ".cache/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "db/migrations/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    files: ["db/**/*.ts"],
    rules: { "no-restricted-imports": upward("db/ never imports lib/, components/ or app/ (only lib/env.ts).", String.raw`^(?:(?:\.\./)+|#)(?:lib/(?!env\.ts$)|components/|app/)`) },
  },
  {
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    ignores: ["lib/seed/**"],
    rules: { "no-restricted-imports": upward("lib/ never imports components/ or app/, and production code never imports lib/seed.", String.raw`^(?:(?:\.\./)+|#)(?:components/|app/)|(?:^|/)seed/`) },
  },
  {
    files: ["components/**/*.ts", "components/**/*.tsx"],
    rules: { "no-restricted-imports": upward(...componentsUpward) },
  },
  { files: ["components/ui/link.tsx"], rules: { "no-restricted-imports": upward(...componentsUpward, []) } },
  {
    files: ["app/**/*.ts", "app/**/*.tsx", "proxy.ts"],
    rules: { "no-restricted-imports": upward("production code never imports lib/seed.", String.raw`(?:^|/)seed/`) },
  },
  { files: ["scripts/check-node.mjs"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
);

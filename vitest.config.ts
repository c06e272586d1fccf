import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = {
  // "server-only" throws outside a React server bundle; tests call server modules directly.
  "server-only": path.resolve("tests/support/empty.ts"),
};

export default defineConfig({
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" } },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
    ],
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // a temp folder where prepared databases are built once per run and copied by the test files (test/support/shared.ts)
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB files and child processes: keep test files apart, two at a time on these 2-core machines
    pool: "forks",
    maxWorkers: 2,
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/integration/**", "test/**/*.real.test.ts"],
        },
      },
      {
        extends: true,
        // Real Docker and registries: one file at a time, so builds do not compete for BuildKit (one test
        // prunes its cache to prove reproducible digests) and timings stay honest.
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        // The real Ollama (test/services builds it) and Docker: one file at a time, as the integration tests.
        test: {
          name: "real",
          include: ["test/**/*.real.test.ts"],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

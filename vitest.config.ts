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
        // Real Docker, registries and the real Ollama (*.real.test.ts, test/real-ollama/): one file at a time, so
        // builds do not compete for BuildKit (one test prunes its cache to prove reproducible digests) and
        // timings stay honest.
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/**/*.real.test.ts"],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/integration/**"] } },
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
    ],
  },
});

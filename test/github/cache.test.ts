/**
 * The action's model cache against the stand-in of GitHub's cache service (test/standin/github-cache.ts),
 * driving the real @actions/cache: restores, saves, and every failure ends as a warning, never an error.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { githubModelCache } from "../../src/github/cache.js";
import { actionsRuntime } from "../standin/actions-runtime.js";
import { type CacheService, type CacheServiceFaults, startCacheService } from "../standin/github-cache.js";

const ENV_KEYS = [
  "ACTIONS_CACHE_SERVICE_V2",
  "ACTIONS_RESULTS_URL",
  "ACTIONS_CACHE_URL",
  "ACTIONS_RUNTIME_TOKEN",
  "GITHUB_SERVER_URL",
  "RUNNER_TEMP",
  "GITHUB_WORKSPACE",
  "ACTIONS_CACHE_MODE",
];
const runtime = actionsRuntime(ENV_KEYS);

async function setup(faults: CacheServiceFaults = {}): Promise<{ service: CacheService; store: string }> {
  const service = await startCacheService({ faults });
  runtime.onCleanup(() => service.close());
  const workspace = mkdtempSync(path.join(tmpdir(), "model-cache-test-"));
  runtime.onCleanup(() => rmSync(workspace, { recursive: true, force: true }));
  Object.assign(process.env, service.env, { GITHUB_WORKSPACE: workspace });
  const store = path.join(workspace, "store", "models");
  mkdirSync(path.join(store, "blobs"), { recursive: true });
  writeFileSync(path.join(store, "blobs", "sha256-aa"), "weights");
  return { service, store };
}

describe("the model cache in a workflow", () => {
  it("saves once, then restores the exact key, and a partial key by prefix", async () => {
    const { service, store } = await setup();
    await githubModelCache.save([store], "ollama-build-models-v1-one");
    await githubModelCache.save([store], "ollama-build-models-v1-one");
    expect(service.entries().map((e) => e.key)).toEqual(["ollama-build-models-v1-one"]);
    expect(runtime.stdout).toContain("model cache: ollama-build-models-v1-one is already saved");

    rmSync(store, { recursive: true });
    expect(await githubModelCache.restore([store], "ollama-build-models-v1-one", ["ollama-build-models-v1-"])).toBe(
      "ollama-build-models-v1-one",
    );
    expect(readFileSync(path.join(store, "blobs", "sha256-aa"), "utf8")).toBe("weights");
    expect(await githubModelCache.restore([store], "ollama-build-models-v1-two", ["ollama-build-models-v1-"])).toBe(
      "ollama-build-models-v1-one",
    );
    expect(runtime.stdout).not.toContain("::warning::");
  });

  it("an unavailable service: restore and save warn, and nothing throws", async () => {
    const { store } = await setup({ unavailable: true });
    expect(
      await githubModelCache.restore([store], "ollama-build-models-v1-x", ["ollama-build-models-v1-"]),
    ).toBeUndefined();
    await githubModelCache.save([store], "ollama-build-models-v1-x");
    expect(runtime.stdout).toMatch(/::warning::Failed to restore/);
    expect(runtime.stdout).toContain("::warning::model cache: ollama-build-models-v1-x was not saved");
  });

  it("a failed upload warns and leaves no entry", async () => {
    const { service, store } = await setup({ failUploads: 4 });
    await githubModelCache.save([store], "ollama-build-models-v1-y");
    expect(service.entries()).toEqual([]);
    expect(runtime.stdout).toMatch(/::warning::/);
  });

  it("no cache service in the environment: a warning, and the build downloads instead", async () => {
    expect(await githubModelCache.restore(["/nonexistent"], "k", [])).toBeUndefined();
    expect(runtime.stdout).toContain("::warning::the GitHub cache service is not available here");
  });
});

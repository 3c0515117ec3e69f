/** `command: build` and `command: release` through the action bundle, and the build commands of the CLI. */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RegistryClient } from "../../src/registry/client.js";
import { parseImageRepository } from "../../src/registry/image-ref.js";
import { runAction } from "../action/runner.js";
import { makeProject, spawnCli } from "../helpers.js";
import { makeBuildProject } from "./build-project.js";
import { AUTH_PASSWORD, AUTH_USERNAME, PLAIN_REGISTRY, requireRegistry } from "./services.js";
import { standinImage } from "./standin-image.js";

let ollamaImage: string;
beforeAll(async () => {
  await requireRegistry();
  ollamaImage = await standinImage();
}, 180_000);

const cli = spawnCli;

describe("the action's build and release", () => {
  it("builds and pushes, then skips, then releases semver tags without rebuilding", async () => {
    const project = await makeBuildProject(ollamaImage);
    const dockerConfig = makeProject({});
    const env = { RUNNER_TEMP: makeProject({}), DOCKER_CONFIG: dockerConfig };
    const first = await runAction(project.root, { command: "build", cache: "false" }, {}, env);
    expect(first.exitCode).toBe(0);
    expect(first.outputs.skipped).toBe("false");
    expect(first.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(first.outputs.layers as string).map((l: { kind: string }) => l.kind)).toEqual([
      "base",
      "base",
      "custom",
      "custom",
      "custom",
    ]);
    expect(first.outputs["image-tag"]).toMatch(/:m-[0-9a-f]{12}$/);
    expect(first.summary).toContain("built and pushed as");

    const second = await runAction(project.root, { command: "build", cache: "false" }, {}, env);
    expect(second.outputs.skipped).toBe("true");
    expect(second.stdout).not.toMatch(/buildx build/);

    const release = await runAction(
      project.root,
      { command: "release" },
      {},
      { ...env, GITHUB_REF: "refs/tags/v1.4.2" },
    );
    expect(release.exitCode).toBe(0);
    expect(release.outputs["release-tags"]?.split("\n")).toEqual(
      ["1.4.2", "1.4", "1"].map((t) => `${project.image}:${t}`),
    );
    const client = new RegistryClient({ baseUrl: PLAIN_REGISTRY });
    const repository = parseImageRepository(project.image).path;
    for (const tag of ["1.4.2", "1.4", "1"])
      expect(await client.headManifest(repository, tag)).toBe(first.outputs.digest);
  });

  it("release refuses an image that was never built, and bad versions", async () => {
    const project = await makeBuildProject(ollamaImage);
    const never = await runAction(project.root, { command: "release", version: "1.0.0" });
    expect(never.exitCode).toBe(1);
    expect(never.stdout).toMatch(/::error::.*:m-[0-9a-f]{12} does not exist: build this commit before releasing it/);
    const bad = await runAction(project.root, { command: "release", version: "1.0" });
    expect(bad.stdout).toContain('::error::--version "1.0" is not a semantic version');
  });

  it("logs in to a registry that needs credentials, and never prints the password", async () => {
    const project = await makeBuildProject(ollamaImage);
    const image = project.image.replace("127.0.0.1:5000", "127.0.0.1:5001");
    const result = await runAction(
      project.root,
      {
        command: "build",
        cache: "false",
        image,
        "registry-username": AUTH_USERNAME,
        "registry-password": AUTH_PASSWORD,
      },
      {},
      { RUNNER_TEMP: makeProject({}), DOCKER_CONFIG: makeProject({}) },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.digest).toMatch(/^sha256:/);
    expect(result.stdout).toContain(`::add-mask::${AUTH_PASSWORD}`);
    expect(result.stdout.replace(`::add-mask::${AUTH_PASSWORD}`, "")).not.toContain(AUTH_PASSWORD);

    const wrong = await runAction(
      project.root,
      {
        command: "build",
        cache: "false",
        image,
        "registry-username": AUTH_USERNAME,
        "registry-password": "not-the-password",
      },
      {},
      { RUNNER_TEMP: makeProject({}), DOCKER_CONFIG: makeProject({}) },
    );
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toMatch(/::error::docker login to 127\.0\.0\.1:5001 as ollama-build failed/);
  });
});

describe("the CLI's build commands", () => {
  it("lock, fetch, build --dry-run, build, and release", async () => {
    const project = await makeBuildProject(ollamaImage);
    const lock = JSON.parse(readFileSync(path.join(project.root, "ollama.lock"), "utf8"));
    expect(Object.keys(lock.models)).toHaveLength(2);

    const relock = await cli(project.root, "lock");
    expect(relock.stdout).toBe("ollama.lock: 2 base models, unchanged");

    const fetched = await cli(project.root, "fetch");
    expect(fetched.exitCode).toBe(0);
    // Two models of five blobs each; their template and params blobs are the same bytes, stored once.
    expect(fetched.stdout).toMatch(/: 8 blobs, 8 downloaded/);

    const dryRun = await cli(project.root, "build", "--dry-run");
    expect(dryRun.exitCode).toBe(0);
    expect(dryRun.stdout).toContain(`FROM ${ollamaImage}`);
    expect(dryRun.stdout.match(/^COPY --link --from=/gm)).toHaveLength(6);
    expect(dryRun.stdout).toContain(
      'HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 CMD ["/usr/local/bin/ollama-build-entrypoint", "--health"]',
    );

    const built = await cli(project.root, "build", "--format", "json");
    expect(built.exitCode).toBe(0);
    const report = JSON.parse(built.stdout);
    expect(report.digest).toMatch(/^sha256:/);

    const released = await cli(project.root, "release", "--version", "2.0.0-rc.1");
    expect(released.exitCode).toBe(0);
    expect(released.stdout).toContain(`${project.image}:2.0.0-rc.1`);
  });

  it("build --layer-cache exports BuildKit's cache to <image>:buildcache", async () => {
    const project = await makeBuildProject(ollamaImage);
    const built = await cli(project.root, "build", "--layer-cache");
    expect(built.exitCode).toBe(0);
    const client = new RegistryClient({ baseUrl: PLAIN_REGISTRY });
    expect(await client.headManifest(parseImageRepository(project.image).path, "buildcache")).toMatch(/^sha256:/);
  });

  it("build without ollama.lock says how to make one", async () => {
    const project = await makeBuildProject(ollamaImage);
    const unlocked = makeProject({
      "modelfiles/a.modelfile": readFileSync(path.join(project.root, "modelfiles/classifier.modelfile"), "utf8"),
      "ollama-build.yml": readFileSync(path.join(project.root, "ollama-build.yml"), "utf8"),
    });
    const result = await cli(unlocked, "build");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/ollama\.lock does not exist: run `ollama-build lock`/);
  });
});

describe("the action's model cache", () => {
  it("saves the base models once, and a later build restores them instead of downloading", async () => {
    const { startCacheService } = await import("../standin/github-cache.js");
    const service = await startCacheService();
    try {
      const project = await makeBuildProject(ollamaImage);
      const runnerTemp = makeProject({});
      const env = { ...service.env, RUNNER_TEMP: runnerTemp, DOCKER_CONFIG: makeProject({}) };
      // The cache's version covers the path: a runner always uses the same store path.
      const store = path.join(runnerTemp, "store");
      const first = await runAction(project.root, { command: "build", store }, {}, env);
      expect(first.exitCode).toBe(0);
      const firstReport = JSON.parse(first.outputs.build as string);
      expect(firstReport.fetched.bytesDownloaded).toBeGreaterThan(1024 * 1024);
      expect(service.entries().map((e) => e.key)).toEqual([firstReport.cache.key]);

      // A new commit with an edited prompt, on a fresh runner (empty store): same base models.
      rmSync(store, { recursive: true, force: true });
      const classifier = path.join(project.root, "modelfiles/classifier.modelfile");
      writeFileSync(classifier, readFileSync(classifier, "utf8").replace("Classifique.", "Classifique bem."));
      const second = await runAction(project.root, { command: "build", store }, {}, env);
      expect(second.exitCode).toBe(0);
      const secondReport = JSON.parse(second.outputs.build as string);
      expect(secondReport.cache).toEqual({ key: firstReport.cache.key, restored: firstReport.cache.key });
      expect(secondReport.fetched).toMatchObject({ bytesDownloaded: 0, present: secondReport.fetched.blobs });
      expect(service.entries()).toHaveLength(1);
      expect(second.summary).toContain(": hit.");
    } finally {
      await service.close();
    }
  });
});

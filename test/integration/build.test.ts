/**
 * The whole build against a real Docker Engine + BuildKit and a real registry, with the stand-in Ollama
 * image creating the custom models: layers per model, skip when the image exists, small pushes after a
 * system-prompt edit, reproducible digests, and clear failures.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Runner, runChecked, runProcess } from "../../src/io/exec.js";
import { RegistryClient } from "../../src/registry/client.js";
import { parseImageRepository } from "../../src/registry/image-ref.js";
import { makeProject } from "../helpers.js";
import { buildProject, makeBuildProject } from "./build-project.js";
import { PLAIN_REGISTRY, requireRegistry } from "./services.js";
import { standinImage } from "./standin-image.js";

const registry = new RegistryClient({ baseUrl: PLAIN_REGISTRY });
let ollamaImage: string;

beforeAll(async () => {
  await requireRegistry();
  ollamaImage = await standinImage();
}, 180_000);

async function manifestOf(reference: string) {
  const repo = parseImageRepository(reference.slice(0, reference.lastIndexOf(":")));
  const { bytes } = await registry.getManifest(repo.path, reference.slice(reference.lastIndexOf(":") + 1));
  return JSON.parse(Buffer.from(bytes).toString("utf8")) as {
    config: { digest: string; size: number };
    layers: { digest: string; size: number }[];
  };
}

describe("build", () => {
  it("pushes one layer per model, base models first, and the image serves the models", async () => {
    const project = await makeBuildProject(ollamaImage);
    const report = await buildProject(project);
    expect(report.skipped).toBeUndefined();
    expect(report.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Base models by size, largest first; then custom models in build order (dependencies first, by name).
    expect(report.layers.map((l) => [l.kind, l.name.replace(project.namespace, "NS")])).toEqual([
      ["base", "registry.ollama.ai/NS/qwen3:4b"],
      ["base", "registry.ollama.ai/NS/functiongemma:270m"],
      ["custom", "agent"],
      ["custom", "agent-en"],
      ["custom", "classifier"],
    ]);
    // Custom layers hold kilobytes: the base blobs live only in the base layers.
    for (const layer of report.layers.filter((l) => l.kind === "custom")) expect(layer.bytes).toBeLessThan(8 * 1024);

    const manifest = await manifestOf(report.plan.imageTag);
    const base = await runChecked(runProcess, "docker", [
      "image",
      "inspect",
      "--format",
      "{{len .RootFS.Layers}}",
      ollamaImage,
    ]);
    expect(manifest.layers).toHaveLength(Number(base.trim()) + 1 + report.layers.length);
    for (const tag of report.plan.tags)
      expect((await manifestOf(`${report.plan.image}:${tag}`)).config.digest).toBe(manifest.config.digest);

    const listing = await runChecked(runProcess, "docker", [
      "run",
      "--rm",
      "--entrypoint",
      "/bin/sh",
      report.plan.imageTag,
      "-c",
      // Before anything runs in it: the image carries no key of its own.
      "test ! -e /root/.ollama/id_ed25519 && echo no-key-in-image; ollama serve >/dev/null 2>&1 & sleep 1; ollama list",
    ]);
    expect(listing).toMatch(/^agent:latest/m);
    expect(listing).toMatch(/^agent-en:latest/m);
    expect(listing).toMatch(/^classifier:latest/m);
    expect(listing).toContain("no-key-in-image");
  });

  it("a rerun with nothing changed builds nothing and only adds tags", async () => {
    const project = await makeBuildProject(ollamaImage);
    const first = await buildProject(project);
    const second = await buildProject(project);
    expect(second.skipped).toMatch(/already exists/);
    expect(second.plan.imageTag).toBe(first.plan.imageTag);
  });

  it("editing a system prompt changes one small layer; everything else is reused", async () => {
    const project = await makeBuildProject(ollamaImage, { weightBytes: 4 * 1024 * 1024 });
    const first = await buildProject(project);
    const file = path.join(project.root, "modelfiles/classifier.modelfile");
    writeFileSync(file, readFileSync(file, "utf8").replace("Classifique.", "Classifique com cuidado."));
    const second = await buildProject(project);
    expect(second.plan.imageTag).not.toBe(first.plan.imageTag);
    const before = await manifestOf(first.plan.imageTag);
    const after = await manifestOf(second.plan.imageTag);
    const known = new Set([...before.layers.map((l) => l.digest), before.config.digest]);
    const changed = [...after.layers, after.config].filter((l) => !known.has(l.digest));
    expect(changed.length).toBe(2); // the classifier's layer and the image config
    expect(changed.reduce((n, l) => n + l.size, 0)).toBeLessThan(16 * 1024);
  });

  it("the same inputs built twice from empty caches give the same image digest", async () => {
    const project = await makeBuildProject(ollamaImage);
    const first = await buildProject(project, { store: makeProject({}) });
    // Forget everything: BuildKit's cache, the local images, and the pushed image itself.
    const repository = parseImageRepository(first.plan.image).path;
    for (const tag of first.plan.tags) {
      const response = await registry.request("DELETE", `${repository}/manifests/${first.digest}`, { scope: "" });
      expect([202, 404]).toContain(response.status);
      expect(await registry.headManifest(repository, tag)).toBeUndefined();
    }
    await runProcess("docker", ["builder", "prune", "--all", "--force"]);
    for (const reference of first.references) await runProcess("docker", ["image", "rm", "--force", reference]);

    const second = await buildProject(project, { store: makeProject({}) });
    expect(second.skipped).toBeUndefined();
    expect(second.digest).toBe(first.digest);
  });

  it("an ollama create failure names the Modelfile and quotes Ollama", async () => {
    // Lint refuses what Ollama refuses, so what is left to fail is the server (a full disk, a model it cannot read).
    const project = await makeBuildProject(ollamaImage, {
      modelfiles: (ns) => ({
        "modelfiles/broken.modelfile": `FROM ${ns}/functiongemma:270m\nTEMPLATE """{{ .Prompt }}"""\n`,
      }),
    });
    // The create container gets the stand-in's fault (through the process seam: nothing else reaches it).
    const failingCreate: Runner = (file, args, options) =>
      runProcess(
        file,
        args.includes("ollama-build-create")
          ? [args[0] as string, "--env", "OLLAMA_STANDIN_FAIL_CREATE=template error: boom", ...args.slice(1)]
          : args,
        options,
      );
    const error = await buildProject(project, { run: failingCreate }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "ollama create broken failed for modelfiles/broken.modelfile: template error: boom",
    );
  });
});

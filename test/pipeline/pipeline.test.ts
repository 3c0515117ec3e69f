/** The pipeline's order and hand-offs: what is read once, and which spec the build gets. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../../src/io/exec.js";
import { hashModels, imageHash } from "../../src/plan/hash.js";
import { ENTRYPOINT_SOURCE, environment } from "../../src/plan/image-spec.js";
import { openWorkspace } from "../../src/project/workspace.js";
import { makeProject } from "../helpers.js";
import { testPipeline } from "./fixture.js";

/** A project of local models only (no lock needed): b is built FROM a, c is independent. */
const PROJECT = {
  "modelfiles/a.modelfile": "FROM ./w.gguf\nSYSTEM a\n",
  "modelfiles/b.modelfile": "FROM a\nSYSTEM b\n",
  "modelfiles/c.modelfile": "FROM ./w.gguf\nSYSTEM c\n",
  "modelfiles/w.gguf": "GGUF",
};

/** A workspace whose tree counts every file read. */
async function countingWorkspace(root: string, reads: Map<string, number>) {
  const workspace = await openWorkspace(runProcess, { cwd: root, root });
  const readFile = workspace.tree.readFile.bind(workspace.tree);
  workspace.tree.readFile = (file: string) => {
    reads.set(file, (reads.get(file) ?? 0) + 1);
    return readFile(file);
  };
  return workspace;
}

describe("the pipeline", () => {
  it("reads every Modelfile and the lock once, however many stages use them", async () => {
    const root = makeProject({ ...PROJECT, "ollama.lock": '{\n  "version": 1,\n  "models": {}\n}\n' });
    const reads = new Map<string, number>();
    let opened = 0;
    const pipeline = testPipeline(root, {
      openWorkspace: () => {
        opened += 1;
        return countingWorkspace(root, reads);
      },
    });
    await pipeline.lint();
    await pipeline.plan();
    await pipeline.build({ dryRun: true });
    await pipeline.smokeOptions({ endpoint: "http://127.0.0.1:1" });
    expect(opened).toBe(1);
    expect([...reads.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect([...reads.keys()]).toEqual(
      expect.arrayContaining(["modelfiles/a.modelfile", "modelfiles/b.modelfile", "ollama.lock"]),
    );
  });

  it("builds from the spec its tag was hashed from: the entrypoint's bytes and the warm-up in build order", async () => {
    const root = makeProject(PROJECT);
    const pipeline = testPipeline(root);
    const { plan, spec } = await pipeline.plan();
    expect(spec.runtime.warmup).toEqual(plan.models.map((m) => m.name));
    expect(plan.models.map((m) => m.name)).toEqual(["a", "b", "c"]);
    const entrypointSha = createHash("sha256").update(readFileSync(ENTRYPOINT_SOURCE)).digest("hex");
    expect(spec.entrypoint.sha256).toBe(entrypointSha);
    // The tag is the hash of exactly this spec and the models' hashes.
    const { project, lock } = await pipeline.lint();
    const hashes = hashModels(project.models, { ollamaImage: spec.ollamaImage });
    expect(plan.imageHash).toBe(imageHash(hashes, spec));
    expect(lock.status).toBe("absent");

    const { recipe } = await pipeline.build({ dryRun: true });
    expect(recipe).toContain(`COPY --link --from=ollama-build-runtime-${entrypointSha.slice(0, 10)} / /`);
    for (const [name, value] of environment(spec.runtime)) expect(recipe).toContain(`${name}=${JSON.stringify(value)}`);
    expect(recipe).toContain('OLLAMA_BUILD_WARMUP="a b c"');
  });

  it("a configured warm-up list is what the recipe and the hash both get", async () => {
    const root = makeProject({ ...PROJECT, "ollama-build.yml": "runtime:\n  warmup: [c, a]\n" });
    const { plan, spec } = await testPipeline(root).plan();
    expect(spec.runtime.warmup).toEqual(["c", "a"]);
    const other = await testPipeline(makeProject(PROJECT)).plan();
    expect(plan.imageHash).not.toBe(other.plan.imageHash);
  });

  it("a project with library models and no lock: the dry run says to lock, naming the file", async () => {
    const root = makeProject({
      "modelfiles/a.modelfile": "FROM qwen3:4b\n# ollama-build-ignore: thinking-enabled -- test\n",
    });
    await expect(testPipeline(root).build({ dryRun: true })).rejects.toThrow(
      `${path.join(root, "ollama.lock")} does not exist: run \`ollama-build lock\``,
    );
  });

  it("refuses to plan a project with lint errors, naming how many", async () => {
    const root = makeProject({
      "modelfiles/a.modelfile": "FROM ./w.gguf\nPARAMETER bad 1\n",
      "modelfiles/w.gguf": "x",
    });
    await expect(testPipeline(root).plan()).rejects.toThrow("the Modelfiles have 1 error(s): run `ollama-build lint`");
  });
});

describe("the smoke's settings", () => {
  it.each([
    ["nothing given: the project's cases and GPU mode", {}, ["test/smoke"], "none", true],
    ["cases relative to the project root", { cases: ["cases/x.yaml"] }, ["cases/x.yaml"], "none", true],
    [
      "absolute cases and a GPU mode: no project opened",
      { cases: ["/abs/c.yaml"], gpus: "all" as const },
      ["/abs/c.yaml"],
      "all",
      false,
    ],
  ])("%s", async (_, smoke, cases, gpus, opensProject) => {
    const root = makeProject({ ...PROJECT, "ollama-build.yml": "smoke:\n  gpus: none\n" });
    let opened = false;
    const pipeline = testPipeline(root, {
      openWorkspace: () => {
        opened = true;
        return openWorkspace(runProcess, { cwd: root, root });
      },
      smoke: { displayRoot: "/elsewhere", ...smoke },
    });
    const options = await pipeline.smokeOptions({ endpoint: "http://127.0.0.1:1" });
    expect(options.cases).toEqual(cases.map((c) => path.resolve(opensProject ? root : "/elsewhere", c)));
    expect(options.gpus).toBe(gpus);
    expect(opened).toBe(opensProject);
  });
});

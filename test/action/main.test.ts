/**
 * The action (src/index.ts) run the way the runner runs it: real INPUT_* variables, a real
 * event payload, and the files the runner reads back (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commitAll, makeProject, writeFiles } from "../helpers.js";
import { runAction } from "./runner.js";

const MODELS = {
  "modelfiles/agent.modelfile":
    "FROM qwen3:4b\n# ollama-build-ignore: thinking-enabled -- client sends reasoning_effort none\nSYSTEM Olá\n",
  "modelfiles/classifier.modelfile": "FROM functiongemma:270m\nSYSTEM Classifique\n",
};

describe("the action", () => {
  it("command: lint annotates each problem on its line and fails on errors", async () => {
    const workspace = makeProject({
      "modelfiles/a.modelfile": "FROM qwen3:4b\nPARAMETER /no_think\n",
      "modelfiles/b.modelfile": "FROM functiongemma\n",
    });
    const result = await runAction(workspace, { command: "lint" });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      '::error title=syntax,file=modelfiles/a.modelfile,line=2,col=11::a PARAMETER name holds only letters, digits and "_": PARAMETER /no_think.',
    );
    expect(result.stdout).toMatch(
      /::warning title=untagged-base,file=modelfiles\/b\.modelfile,line=1,col=1::FROM functiongemma names no tag/,
    );
    expect(result.stdout).toContain("::error::1 error(s) in the Modelfiles");
    expect(result.outputs).toMatchObject({ errors: "1", warnings: "1" });
    expect(JSON.parse(result.outputs.diagnostics as string).files).toHaveLength(2);
    expect(result.summary).toContain("| error | `modelfiles/a.modelfile:2` | `syntax` |");
  });

  it("annotation paths are relative to the repository when the project is in a subdirectory", async () => {
    const workspace = makeProject({ "ml/modelfiles/a.modelfile": "FROM qwen3:4b\nBAD\n" });
    const result = await runAction(workspace, { command: "lint", "working-directory": "ml" });
    expect(result.stdout).toContain("file=ml/modelfiles/a.modelfile,line=2");
  });

  it("command: plan sets every output, compares with the push's previous commit and writes the summary", async () => {
    const workspace = makeProject(MODELS);
    const before = await commitAll(workspace, "base");
    writeFiles(workspace, { "modelfiles/agent.modelfile": MODELS["modelfiles/agent.modelfile"].replace("Olá", "Oi") });
    const result = await runAction(workspace, { command: "plan", "fail-on-warnings": "true" }, { before });
    expect(result.exitCode).toBe(0);
    const { outputs } = result;
    expect(JSON.parse(outputs["changed-models"] as string)).toEqual(["agent"]);
    expect(outputs["any-changed"]).toBe("true");
    expect(outputs.image).toBe("ghcr.io/theo/voice-models");
    expect(outputs["image-tag"]).toMatch(/^ghcr\.io\/theo\/voice-models:m-[0-9a-f]{12}$/);
    expect((outputs.tags as string).split("\n")).toEqual([
      outputs["image-tag"],
      "ghcr.io/theo/voice-models:sha-feedfac",
      "ghcr.io/theo/voice-models:main",
    ]);
    expect(JSON.parse(outputs.matrix as string)).toEqual({
      include: [{ model: "agent", file: "modelfiles/agent.modelfile", hash: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
    const models = JSON.parse(outputs.models as string);
    expect(models.map((m: { name: string; changed: boolean }) => [m.name, m.changed])).toEqual([
      ["agent", true],
      ["classifier", false],
    ]);
    expect(Object.keys(models[0]).sort()).toEqual(["changed", "dependsOn", "file", "from", "hash", "name"]);
    expect(JSON.parse(outputs.plan as string).base).toBe(before);
    expect(result.summary).toContain("1 of 2 models changed against");
  });

  it("command: plan in a pull request uses the base SHA and tags pr-N", async () => {
    const workspace = makeProject(MODELS);
    const base = await commitAll(workspace, "base");
    const result = await runAction(
      workspace,
      { command: "plan", image: "registry.example/theo/models" },
      { pull_request: { number: 12, base: { sha: base } } },
      { GITHUB_EVENT_NAME: "pull_request", GITHUB_REF: "refs/pull/12/merge" },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs["any-changed"]).toBe("false");
    expect(result.outputs.matrix).toBe('{"include":[]}');
    expect(result.outputs.tags?.split("\n").at(-1)).toBe("registry.example/theo/models:pr-12");
  });

  it("command: plan on a shallow history warns and treats every model as changed", async () => {
    const workspace = makeProject(MODELS);
    await commitAll(workspace, "base");
    const result = await runAction(
      workspace,
      { command: "plan" },
      { before: "1111111111111111111111111111111111111111" },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/::warning::base ref 1{40} is not in this clone.*fetch-depth: 0/);
    expect(JSON.parse(result.outputs["changed-models"] as string)).toEqual(["agent", "classifier"]);
  });

  it("fail-on-warnings turns warnings into a failure", async () => {
    const workspace = makeProject({ "modelfiles/a.modelfile": "FROM llama3.2\n" });
    const result = await runAction(workspace, { command: "lint", "fail-on-warnings": "true" });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::1 warning(s) in the Modelfiles and fail-on-warnings is set");
  });

  it.each([
    [{}, "input 'command' (\"\"): expected one of lint, plan, build, smoke, report, all, release"],
    [{ command: "test" }, "input 'command' (\"test\"): expected one of lint, plan, build, smoke, report, all, release"],
    [{ command: "smoke", gpus: "some" }, 'input \'gpus\' ("some"): expected "auto", "all" or "none"'],
    [{ command: "smoke", endpoint: "localhost:11434" }, "input 'endpoint' (\"localhost:11434\"): expected a URL"],
    [{ command: "all", "comment-id": "a b" }, "input 'comment-id' (\"a b\"): expected letters, digits"],
    [{ command: "build", push: "yes" }, 'input \'push\' ("yes"): expected "auto", "true" or "false"'],
    [{ command: "build", "num-parallel": "0" }, "input 'num-parallel' (\"0\"): expected a positive whole number"],
    [{ command: "build", "keep-alive": "forever" }, "input 'keep-alive' (\"forever\"): expected an Ollama duration"],
    [
      { command: "build", "ollama-image": "ollama/ollama:bad tag" },
      "input 'ollama-image' (\"ollama/ollama:bad tag\"): expected an image reference",
    ],
    [
      { command: "build", "ollama-registry": "registry.ollama.ai" },
      "input 'ollama-registry' (\"registry.ollama.ai\"): expected a registry URL",
    ],
    [
      { command: "lint", "working-directory": "../elsewhere" },
      "input 'working-directory' (\"../elsewhere\"): expected a path inside the workspace",
    ],
    [
      { command: "build", "registry-username": "theo" },
      "inputs 'registry-username' and 'registry-password' go together",
    ],
    [{ command: "build", "registry-password": "s3cret-value", push: "maybe" }, "input 'push' (\"maybe\")"],
    [{ command: "lint", "fail-on-warnings": "yes" }, 'input \'fail-on-warnings\' ("yes"): expected "true" or "false"'],
    [
      { command: "plan", image: "ghcr.io/x/y:latest" },
      "input 'image' (\"ghcr.io/x/y:latest\"): expected an image repository",
    ],
    [{ command: "lint", "client-api": "grpc" }, 'input \'client-api\' ("grpc"): expected "openai" or "native"'],
  ])("rejects invalid inputs %j with the input's name", async (inputs, message) => {
    const workspace = makeProject(MODELS);
    const result = await runAction(workspace, inputs);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`::error::${message}`);
    expect(result.stdout).not.toContain("s3cret-value");
  });

  it("a missing modelfiles folder is a clear error", async () => {
    const workspace = makeProject({});
    writeFileSync(path.join(workspace, "README.md"), "x");
    const result = await runAction(workspace, { command: "lint" });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/::error::modelfiles: no such file or directory/);
  });
});

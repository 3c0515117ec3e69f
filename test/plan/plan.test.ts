import { readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { changedMatrix, type Plan } from "../../src/plan/plan.js";
import { commitAll, git, makeProject, writeFiles } from "../helpers.js";
import { testPipeline } from "../pipeline/fixture.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
const bundled = Object.fromEntries(
  ["theo-voice-agent", "theo-classifier", "theo-transcribe"].map((name) => [
    `modelfiles/${name}.modelfile`,
    readFileSync(path.join(repositoryRoot, "modelfiles", `${name}.modelfile`), "utf8"),
  ]),
);
const withDependant = {
  ...bundled,
  "modelfiles/theo-voice-agent-en.modelfile": "FROM theo-voice-agent\nSYSTEM Answer in English.\n",
};

/** The pipeline's plan of `root`, with the warnings it gave; no plan when lint found errors. */
async function plan(root: string, baseRef?: string) {
  const warnings: string[] = [];
  const pipeline = testPipeline(root, {
    ...(baseRef === undefined ? {} : { baseRef }),
    context: { source: { sha: "0123456789abcdef", branch: "feature/x" }, repository: "Theo/Models" },
    warn: (line) => warnings.push(line),
  });
  const lint = await pipeline.lint();
  const planned: Plan | undefined = lint.counts.error > 0 ? undefined : (await pipeline.plan()).plan;
  return { plan: planned, lint, warnings };
}

const changedOf = (result: Awaited<ReturnType<typeof plan>>) =>
  Object.fromEntries(result.plan?.models.map((m) => [m.name, m.changed]) ?? []);

describe("plan against a base commit", () => {
  it("lists the models in build order with their base, hash and dependencies", async () => {
    const root = makeProject(withDependant);
    await commitAll(root, "base");
    const result = await plan(root);
    expect(result.plan?.models.map((m) => [m.name, m.from, m.dependsOn])).toEqual([
      ["theo-classifier", "functiongemma:270m", []],
      ["theo-transcribe", "qwen3:4b", []],
      ["theo-voice-agent", "qwen3:4b", []],
      ["theo-voice-agent-en", "theo-voice-agent", ["theo-voice-agent"]],
    ]);
    expect(result.plan?.image).toBe("ghcr.io/theo/models");
    expect(result.plan?.imageTag).toMatch(/^ghcr\.io\/theo\/models:m-[0-9a-f]{12}$/);
    expect(result.plan?.tags).toEqual([result.plan?.imageTag.split(":")[1], "sha-0123456", "feature-x"]);
    expect(result.warnings).toEqual([
      "no ollama.lock: base models are not pinned to a manifest; run `ollama-build lock`",
      "no base ref to compare with: every model counts as changed",
    ]);
  });

  it("a comment-only change changes nothing", async () => {
    const root = makeProject(withDependant);
    const base = await commitAll(root, "base");
    writeFiles(root, {
      "modelfiles/theo-voice-agent.modelfile": `# a new comment\n${bundled["modelfiles/theo-voice-agent.modelfile"]}\n\n`,
    });
    await commitAll(root, "comment");
    const result = await plan(root, base);
    expect(result.plan?.base).toBe(base);
    expect(Object.values(changedOf(result))).toEqual([false, false, false, false]);
    expect(changedMatrix(result.plan as NonNullable<typeof result.plan>)).toEqual({ include: [] });
    // The base built the very image this commit would: its smoke report is found by content.
    expect(result.plan?.baseImageTag).toBe(result.plan?.imageTag);
  });

  it("a SYSTEM change changes that model and its dependants only", async () => {
    const root = makeProject(withDependant);
    const base = await commitAll(root, "base");
    const agent = bundled["modelfiles/theo-voice-agent.modelfile"] as string;
    expect(agent).toContain('SYSTEM """Você é a Theo,');
    writeFiles(root, { "modelfiles/theo-voice-agent.modelfile": agent.replace("Você é a Theo,", "Você é a Téo,") });
    const result = await plan(root, base); // uncommitted edits count: the plan reads the working tree
    expect(changedOf(result)).toEqual({
      "theo-classifier": false,
      "theo-transcribe": false,
      "theo-voice-agent": true,
      "theo-voice-agent-en": true,
    });
    expect(changedMatrix(result.plan as NonNullable<typeof result.plan>).include.map((m) => m.model)).toEqual([
      "theo-voice-agent",
      "theo-voice-agent-en",
    ]);
    const before = await plan(root, base);
    writeFiles(root, { "modelfiles/theo-voice-agent.modelfile": agent });
    const unchanged = await plan(root, base);
    expect(before.plan?.baseImageTag).toBe(unchanged.plan?.imageTag);
    expect(before.plan?.baseImageTag).not.toBe(before.plan?.imageTag);
  });

  it("a model that is new since the base counts as changed", async () => {
    const root = makeProject(bundled);
    const base = await commitAll(root, "base");
    writeFiles(root, {
      "modelfiles/extra.modelfile": "FROM qwen3:4b\n# ollama-build-ignore: thinking-enabled -- test\n",
    });
    expect(changedOf(await plan(root, base))).toMatchObject({ extra: true, "theo-classifier": false });
  });

  it("a broken ollama-build.yml at the base does not block the change that fixes it: a warning, all changed", async () => {
    const root = makeProject({ ...bundled, "ollama-build.yml": "client-api: openai\nunknown-setting: 1\n" });
    const base = await commitAll(root, "base");
    writeFiles(root, { "ollama-build.yml": "client-api: openai\n" });
    const result = await plan(root, base);
    expect(Object.values(changedOf(result)).every(Boolean)).toBe(true);
    expect(result.warnings).toContain(
      `the base commit ${base.slice(0, 7)} could not be read (${base}:ollama-build.yml:2: unknown-setting: Unrecognized key: "unknown-setting"): every model counts as changed`,
    );
  });

  it("missing history: everything counts as changed, with a warning that says fetch-depth: 0", async () => {
    const origin = makeProject(bundled);
    const base = await commitAll(origin, "base");
    writeFiles(origin, {
      "modelfiles/theo-classifier.modelfile": `${bundled["modelfiles/theo-classifier.modelfile"]}\n`,
    });
    await commitAll(origin, "head");
    const clone = makeProject({});
    await git(clone, "clone", "-q", "--depth", "1", `file://${origin}`, "checkout");
    const result = await plan(path.join(clone, "checkout"), base);
    expect(Object.values(changedOf(result)).every(Boolean)).toBe(true);
    expect(result.warnings.join("\n")).toMatch(/not in this clone.*fetch-depth: 0/s);
    expect(result.plan?.base).toBeUndefined();
  });

  it("a project root reached through a symbolic link compares with its base all the same", async () => {
    const root = makeProject(bundled);
    const base = await commitAll(root, "base");
    const link = path.join(makeProject({}), "link");
    symlinkSync(root, link);
    const result = await plan(link, base);
    expect(Object.values(Object.fromEntries(result.plan?.models.map((m) => [m.name, m.changed]) ?? []))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("a large file a model references is hashed at the base without holding it in memory", async () => {
    const weights = Buffer.alloc(64 * 1024 * 1024, 7);
    const root = makeProject({ "modelfiles/local.modelfile": "FROM ./w.gguf\n", "modelfiles/w.gguf": weights });
    const base = await commitAll(root, "base");
    const result = await plan(root, base);
    expect(result.plan?.models.map((m) => m.changed)).toEqual([false]);
  });

  it("refuses to plan Modelfiles with errors", async () => {
    const root = makeProject({ "modelfiles/bad.modelfile": "FROM qwen3:4b\nPARAMETER /no_think\n" });
    const result = await plan(root);
    expect(result.plan).toBeUndefined();
    expect(result.lint.counts.error).toBe(1);
  });

  it("hashes are the same in a CRLF checkout and in another directory", async () => {
    const lf = await plan(makeProject(bundled));
    const crlf = await plan(
      makeProject(Object.fromEntries(Object.entries(bundled).map(([f, text]) => [f, text.replaceAll("\n", "\r\n")]))),
    );
    expect(crlf.plan?.models.map((m) => m.hash)).toEqual(lf.plan?.models.map((m) => m.hash));
    expect(crlf.plan?.imageHash).toBe(lf.plan?.imageHash);
  });
});

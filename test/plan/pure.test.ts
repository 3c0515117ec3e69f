import { describe, expect, it } from "vitest";
import { runContextFrom } from "../../src/github/context.js";
import { buildOrder, findCycles } from "../../src/plan/graph.js";
import { imageTags, isImageRepository, sanitiseTag } from "../../src/plan/tags.js";
import { canonicalModelRef, isThinkingModel, parseModelRef, resolveReference } from "../../src/project/model-ref.js";

const HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

describe("image tags", () => {
  it.each([
    ["a local run on a branch", { sha: "abcdef0123", branch: "main" }, ["m-0123456789ab", "sha-abcdef0", "main"]],
    [
      "a pull request",
      { sha: "abcdef0123", branch: "feature", pullRequest: 42 },
      ["m-0123456789ab", "sha-abcdef0", "pr-42"],
    ],
    ["a branch name that is not a tag", { branch: "feature/Voz é boa" }, ["m-0123456789ab", "feature-Voz-boa"]],
    ["no git at all", {}, ["m-0123456789ab"]],
  ])("%s", (_, source, tags) => {
    expect(imageTags(HASH, source)).toEqual(tags);
  });

  it.each([
    ["-x", "x"],
    ["...", undefined],
    ["a".repeat(200), "a".repeat(128)],
  ])("sanitises %j", (input, expected) => {
    expect(sanitiseTag(input)).toBe(expected);
  });
});

describe("dependency graph", () => {
  const node = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });

  it("orders dependencies first", () => {
    expect(buildOrder([node("c", "b"), node("b", "a"), node("a"), node("d")])).toEqual(["a", "b", "c", "d"]);
  });

  it("finds cycles, self-loops included, and leaves their models out of the order", () => {
    const nodes = [node("a", "b"), node("b", "a"), node("c", "a"), node("s", "s"), node("ok")];
    expect(findCycles(nodes)).toEqual([["a", "b"], ["s"]]);
    expect(buildOrder(nodes)).toEqual(["ok"]);
  });
});

describe("model references", () => {
  it.each([
    ["qwen3:4b", { host: "registry.ollama.ai", namespace: "library", model: "qwen3", tag: "4b" }],
    ["functiongemma", { host: "registry.ollama.ai", namespace: "library", model: "functiongemma", tag: undefined }],
    ["theo/agent:v2", { host: "registry.ollama.ai", namespace: "theo", model: "agent", tag: "v2" }],
    ["hf.co/org/repo:Q4_K_M", { host: "hf.co", namespace: "org", model: "repo", tag: "Q4_K_M" }],
  ])("parses %s", (value, ref) => {
    expect(parseModelRef(value)).toEqual(ref);
  });

  it("canonicalises names as Ollama compares them", () => {
    expect(canonicalModelRef("Theo-Agent")).toBe(canonicalModelRef("registry.ollama.ai/library/theo-agent:latest"));
  });

  it.each([
    ["qwen3:4b", true],
    ["qwen3", true],
    ["qwen3:4b-instruct-2507-q4_K_M", false],
    ["deepseek-r1:1.5b", true],
    ["llama3.2:3b", false],
  ])("thinking model %s: %s", (value, thinking) => {
    expect(isThinkingModel(parseModelRef(value))).toBe(thinking);
  });

  it.each([
    ["./w.gguf", "modelfiles", { kind: "inside", path: "modelfiles/w.gguf" }],
    ["../weights/w.gguf", "modelfiles", { kind: "inside", path: "weights/w.gguf" }],
    ["../../w.gguf", "modelfiles", { kind: "escapes" }],
    ["/etc/passwd", "modelfiles", { kind: "escapes" }],
    ["~/w.gguf", "modelfiles", { kind: "escapes" }],
    // Linux file names, as Ollama reads them where images are built; a leading backslash is absolute.
    ["C:\\models\\w.gguf", "modelfiles", { kind: "inside", path: "modelfiles/C:\\models\\w.gguf" }],
    ["..\\..\\w.gguf", "modelfiles", { kind: "inside", path: "modelfiles/..\\..\\w.gguf" }],
    ["\\\\server\\w.gguf", "modelfiles", { kind: "escapes" }],
  ])("resolves %s from %s", (value, dir, resolution) => {
    expect(resolveReference(value, dir)).toEqual(resolution);
  });
});

describe("run context from the workflow event", () => {
  it.each([
    [
      "pull_request",
      {
        GITHUB_SHA: "m1",
        GITHUB_REF: "refs/pull/7/merge",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_REPOSITORY: "theo/models",
      },
      { pull_request: { number: 7, base: { sha: "b1" } } },
      { source: { sha: "m1", pullRequest: 7 }, baseRef: "b1", repository: "theo/models", eventName: "pull_request" },
    ],
    [
      "push",
      { GITHUB_SHA: "h1", GITHUB_REF: "refs/heads/main", GITHUB_EVENT_NAME: "push" },
      { before: "p1" },
      { source: { sha: "h1", branch: "main" }, baseRef: "p1", eventName: "push" },
    ],
    [
      "the first push of a branch",
      { GITHUB_SHA: "h1", GITHUB_REF: "refs/heads/new", GITHUB_EVENT_NAME: "push" },
      { before: "0000000000000000000000000000000000000000" },
      { source: { sha: "h1", branch: "new" }, eventName: "push" },
    ],
    [
      "a tag push",
      { GITHUB_SHA: "h1", GITHUB_REF: "refs/tags/v1.0.0", GITHUB_EVENT_NAME: "push" },
      {},
      { source: { sha: "h1" }, eventName: "push" },
    ],
    [
      "merge queue",
      { GITHUB_SHA: "q1", GITHUB_REF: "refs/heads/gh-readonly-queue/main/pr-1", GITHUB_EVENT_NAME: "merge_group" },
      { merge_group: { base_sha: "b2" } },
      { source: { sha: "q1" }, baseRef: "b2", eventName: "merge_group" },
    ],
  ])("%s", (_, env, payload, expected) => {
    expect(runContextFrom(env, payload)).toEqual(expected);
  });
});

describe("image repositories", () => {
  it.each([
    ["ghcr.io/theo/models", true],
    ["ghcr.io/Theo/Models", true],
    ["localhost:5000/models", true],
    ["models", true],
    ["theo/voice_models", true],
    ["ghcr.io/theo/models:latest", false],
    ["ghcr.io/theo/models@sha256:abc", false],
    ["ghcr.io//models", false],
    ["-models", false],
    ["", false],
  ])("%j: %s", (text, valid) => {
    expect(isImageRepository(text)).toBe(valid);
  });
});

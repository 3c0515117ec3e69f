import { describe, expect, it } from "vitest";
import { canonicalModelRef, isThinkingModel, parseModelRef, resolveReference } from "../../src/project/model-ref.js";

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

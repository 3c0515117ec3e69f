import { describe, expect, it } from "vitest";
import { ollamaVersionOfImage, unsupportedInstruction } from "../../src/modelfile/ollama-versions.js";

describe("Ollama versions", () => {
  it.each([
    ["ollama/ollama:0.11.4", "0.11.4"],
    ["ollama/ollama:v0.24.0", "0.24.0"],
    ["ollama/ollama:0.12.6-rocm", "0.12.6"],
    [`127.0.0.1:5000/ollama:0.24.0@sha256:${"a".repeat(64)}`, "0.24.0"],
    ["ollama/ollama:latest", undefined],
    [`ollama/ollama@sha256:${"a".repeat(64)}`, undefined],
    ["ollama/ollama", undefined],
  ])("the version %s names: %s", (image, version) => {
    expect(ollamaVersionOfImage(image)).toBe(version);
  });

  it("says what that version's ollama create answers to an instruction it does not accept", () => {
    expect(unsupportedInstruction("renderer", "0.11.4")).toBe(
      'RENDERER needs Ollama 0.12.0 or newer; the ollama-image is 0.11.4 (its ollama create: "command must be one of "from", "license", "template", "system", "adapter", "parameter", or "message"")',
    );
    expect(unsupportedInstruction("draft", "0.24.0")).toContain('"DRAFT requires --experimental"');
    expect(unsupportedInstruction("requires", "0.13.5")).toContain('"renderer", "parser", "parameter", or "message"');
    expect(unsupportedInstruction("requires", "0.14.0")).toBeUndefined();
    expect(unsupportedInstruction("draft", "0.30.0")).toBeUndefined();
    expect(unsupportedInstruction("system", "0.1.0")).toBeUndefined();
  });
});

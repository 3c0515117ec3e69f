/** ollama-build.yml as hostile input: every value that reaches a recipe or a command is checked where it is read. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/project/config.js";

const refused = (text: string) => {
  try {
    parseConfig(text, "ollama-build.yml");
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("accepted");
};

describe("ollama-build.yml", () => {
  it("an ollama-image that would be more than a FROM is refused at its line", () => {
    expect(refused('client-api: openai\nollama-image: "ollama/ollama:0.32.15\\nRUN echo pwned"\n')).toBe(
      "ollama-build.yml:2: ollama-image: expected an image reference such as ollama/ollama:0.32.15 (or …@sha256:<digest>)",
    );
  });

  it("warm-up names are model names", () => {
    expect(refused("runtime:\n  warmup: [theo, 'a b']\n")).toMatch(
      /^ollama-build\.yml:2: runtime\.warmup\.1: a model name/,
    );
  });

  it("an unknown key is shown at its own line, with its name", () => {
    expect(refused("client-api: openai\nruntime:\n  keep-alive: 1h\n  numparallel: 2\n")).toBe(
      'ollama-build.yml:4: runtime.numparallel: Unrecognized key: "numparallel"',
    );
  });
});

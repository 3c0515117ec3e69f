/**
 * 100,000 mutated ollama.lock and ollama-build.yml files: each is read, or refused with the reader's own error,
 * every line of which names the file and the line (and, past the syntax, the field). Nothing else is thrown.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/project/config.js";
import { LockError, parseLock, serializeLock, sha256Digest } from "../../src/project/lockfile.js";
import { mutatedTexts } from "../mutations.js";

const manifest = (size: number) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      digest: `sha256:${"1".repeat(64)}`,
      size: 2,
    },
    layers: [{ mediaType: "application/vnd.ollama.image.model", digest: `sha256:${"2".repeat(64)}`, size }],
  });
const entry = (model: string, tag: string, size: number) => {
  const text = manifest(size);
  return {
    registry: "registry.ollama.ai",
    repository: `library/${model}`,
    tag,
    digest: sha256Digest(text),
    manifest: text,
  };
};
const LOCKS = [
  serializeLock({ version: 1, models: {} }),
  serializeLock({ version: 1, models: { "registry.ollama.ai/library/qwen3:4b": entry("qwen3", "4b", 10) } }),
  serializeLock({
    version: 1,
    models: {
      "registry.ollama.ai/library/qwen3:4b": entry("qwen3", "4b", 10),
      "registry.ollama.ai/library/functiongemma:270m": entry("functiongemma", "270m", 3),
    },
  }),
];
const CONFIGS = [
  "",
  "modelfiles: modelfiles\nimage: ghcr.io/theo/models\nollama-image: ollama/ollama:0.32.15\nclient-api: openai\n",
  "runtime:\n  keep-alive: 24h\n  num-parallel: 2\n  max-loaded-models: 2\n  flash-attention: true\n  warmup: [a, b]\nsmoke:\n  cases: [test/smoke]\n  gpus: auto\nmodels:\n  modelfiles/a.modelfile: { name: theo }\n",
];
const TOKENS = [
  '"',
  "{",
  "}",
  "[",
  "]",
  ":",
  ",",
  "\n",
  " ",
  "..",
  "/",
  "-1",
  "1e999",
  "null",
  "true",
  "\\",
  "\u0000",
  "é",
  "#",
  "*a",
  "&a",
  "!!binary",
  "\t",
  "---",
  "\r",
];

/** A text with a few insertions, deletions and replacements. */
const mutated = (corpus: readonly string[]) => mutatedTexts(corpus, TOKENS, { maxCut: 4, maxEdits: 4 });

/** Read, or refused by `Refusal` with every line `file:line: …`; anything else fails the property. */
function check(read: () => unknown, Refusal: new (...args: never[]) => Error, file: string): boolean {
  try {
    read();
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(Refusal);
    for (const line of (error as Error).message.split("\n"))
      expect(line).toMatch(new RegExp(`^${file.replace(".", "\\.")}:\\d+: \\S`));
    return false;
  }
}

describe("fuzz: 100,000 mutated lock and configuration files", () => {
  it("ollama.lock: read, or refused at a line", () => {
    let refused = 0;
    fc.assert(
      fc.property(mutated(LOCKS), (text) => {
        if (!check(() => parseLock(text), LockError, "ollama.lock")) refused++;
      }),
      { numRuns: 50_000, seed: 20261207 },
    );
    // Most mutations break something: the refusals are what is being checked.
    expect(refused).toBeGreaterThan(40_000);
  });

  it("ollama-build.yml: read, or refused at a line", () => {
    let refused = 0;
    fc.assert(
      fc.property(mutated(CONFIGS), (text) => {
        if (!check(() => parseConfig(text, "ollama-build.yml"), ConfigError, "ollama-build.yml")) refused++;
      }),
      { numRuns: 50_000, seed: 20261208 },
    );
    expect(refused).toBeGreaterThan(10_000);
  });
});

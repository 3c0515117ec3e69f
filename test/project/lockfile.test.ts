/** ollama.lock as hostile input: every entry must name its key's model, and every problem is reported at its line. */
import { describe, expect, it } from "vitest";
import { LockError, parseLock, serializeLock, sha256Digest } from "../../src/project/lockfile.js";

const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.docker.distribution.manifest.v2+json",
  config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: `sha256:${"1".repeat(64)}`, size: 2 },
  layers: [{ mediaType: "application/vnd.ollama.image.model", digest: `sha256:${"2".repeat(64)}`, size: 10 }],
});
const KEY = "registry.ollama.ai/library/qwen3:4b";
const entry = (overrides: Record<string, string> = {}) => ({
  registry: "registry.ollama.ai",
  repository: "library/qwen3",
  tag: "4b",
  digest: sha256Digest(MANIFEST),
  manifest: MANIFEST,
  ...overrides,
});
const lockText = (models: Record<string, unknown>) => serializeLock({ version: 1, models } as never);

function failure(text: string): LockError {
  try {
    parseLock(text);
  } catch (error) {
    if (error instanceof LockError) return error;
    throw error;
  }
  throw new Error("parsed");
}

describe("ollama.lock", () => {
  it("reads a lock whose entries name their keys", () => {
    expect(parseLock(lockText({ [KEY]: entry() })).models[KEY]?.tag).toBe("4b");
  });

  it.each([
    ["a tag that climbs out of the store", { tag: "../../../tmp/x" }, "tag", 7],
    ["a tag with a separator", { tag: "4b/x" }, "tag", 7],
    ["another registry than the key's", { registry: "127.0.0.2:5057" }, "registry", 5],
    ["another repository than the key's", { repository: "library/../x" }, "repository", 6],
  ])("refuses %s, at the field's line", (_, overrides, field, line) => {
    const error = failure(lockText({ [KEY]: entry(overrides) }));
    expect(error.message).toMatch(new RegExp(`^ollama\\.lock:${line}: ${KEY.replace(/[.]/g, "\\.")}: ${field} `));
    expect(error.line).toBe(line);
  });

  it.each([
    "registry.ollama.ai/a/../../x:y",
    "registry.ollama.ai/library/Qwen3:4b",
    "registry.ollama.ai/library/qwen3:4b\nRUN x",
    "qwen3:4b",
    "registry.ollama.ai/library/qwen3",
  ])("refuses the key %j: not a name ollama-build writes", (key) => {
    const error = failure(lockText({ [key]: entry() }));
    expect(error.message).toMatch(/: not a model name ollama-build writes/);
    expect(error.line).toBe(4);
  });

  it("names the line of a JSON syntax error and of a field the schema refuses", () => {
    const broken = lockText({ [KEY]: entry() }).replace('"tag": "4b",', '"tag": "4b"');
    expect(failure(broken).message).toMatch(/^ollama\.lock:8: not JSON: /);
    const badDigest = lockText({ [KEY]: entry({ digest: "sha256:xyz" }) });
    expect(failure(badDigest).message).toMatch(/^ollama\.lock:8: models\..*\.digest: /);
  });

  it("names the digest line when the manifest does not hash to it", () => {
    const error = failure(lockText({ [KEY]: entry({ digest: `sha256:${"0".repeat(64)}` }) }));
    expect(error.message).toMatch(/^ollama\.lock:8: .*: the manifest hashes to sha256:/);
  });
});

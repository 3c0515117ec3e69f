import { describe, expect, it } from "vitest";
import { requireLock } from "../../src/lock/stage.js";
import { emptyLock, type Lock, type LockState } from "../../src/project/lockfile.js";

const REF = "registry.ollama.ai/library/qwen3:4b";
const pinned: Lock = {
  version: 1,
  models: {
    [REF]: {
      registry: "registry.ollama.ai",
      repository: "library/qwen3",
      tag: "4b",
      digest: `sha256:${"a".repeat(64)}`,
      manifest: "{}",
    },
  } as unknown as Lock["models"],
};

describe("requireLock: the lock fetch and build use, as lint read it", () => {
  it.each<[string, LockState, string[], Lock | string]>([
    ["no library models, no lock: nothing to pin", { status: "absent" }, [], emptyLock()],
    ["no library models, a broken lock: not needed", { status: "invalid", text: "", error: "x" }, [], emptyLock()],
    [
      "absent",
      { status: "absent" },
      [REF],
      "ollama.lock does not exist: run `ollama-build lock` to pin the base models",
    ],
    ["broken", { status: "invalid", text: "{", error: "ollama.lock:1: not JSON" }, [REF], "ollama.lock:1: not JSON"],
    ["missing an entry", { status: "ok", text: "", lock: emptyLock() }, [REF], `ollama.lock does not pin ${REF}`],
    ["complete", { status: "ok", text: "", lock: pinned }, [REF], pinned],
  ])("%s", (_, state, refs, expected) => {
    if (typeof expected === "string") expect(() => requireLock(state, refs, "ollama.lock")).toThrow(expected);
    else expect(requireLock(state, refs, "ollama.lock")).toEqual(expected);
  });
});

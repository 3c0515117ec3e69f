import { describe, expect, it } from "vitest";
import { causeChain, describeError } from "../../src/text/errors.js";

describe("causeChain", () => {
  it("follows causes down to the root, with codes, each once", () => {
    const root = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    const error = new TypeError("fetch failed", { cause: root });
    expect(causeChain(error)).toEqual(["fetch failed", "other side closed (UND_ERR_SOCKET)"]);
    expect(describeError(error)).toBe("fetch failed: other side closed (UND_ERR_SOCKET)");
  });

  it("a code already in the message is not repeated; a non-Error is its text", () => {
    const root = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    expect(causeChain(new Error("fetch failed", { cause: root }))).toEqual([
      "fetch failed",
      "connect ECONNREFUSED 127.0.0.1:9",
    ]);
    expect(causeChain("boom")).toEqual(["boom"]);
  });

  it("stops on a cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(causeChain(b)).toEqual(["b", "a"]);
  });
});

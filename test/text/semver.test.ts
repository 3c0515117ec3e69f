import { describe, expect, it } from "vitest";
import { isValidSemver } from "../../src/text/semver.js";

describe("isValidSemver", () => {
  it("implements x/mod/semver validity", () => {
    expect(["v1", "v1.2", "v1.2.3", "v0.0.0-0.a-b"].every(isValidSemver)).toBe(true);
    expect(["1.2.3", "v1.2.3-", "v1.2.3+", "v1.02"].some(isValidSemver)).toBe(false);
  });
});

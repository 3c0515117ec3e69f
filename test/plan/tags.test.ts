import { describe, expect, it } from "vitest";
import { imageTags, sanitiseTag } from "../../src/plan/tags.js";

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

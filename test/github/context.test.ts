import { describe, expect, it } from "vitest";
import { runContextFrom } from "../../src/github/context.js";

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
      { source: { sha: "m1", pullRequest: 7 }, baseRef: "b1", repository: "theo/models" },
    ],
    [
      "push",
      { GITHUB_SHA: "h1", GITHUB_REF: "refs/heads/main", GITHUB_EVENT_NAME: "push" },
      { before: "p1" },
      { source: { sha: "h1", branch: "main" }, baseRef: "p1" },
    ],
    [
      "the first push of a branch",
      { GITHUB_SHA: "h1", GITHUB_REF: "refs/heads/new", GITHUB_EVENT_NAME: "push" },
      { before: "0000000000000000000000000000000000000000" },
      { source: { sha: "h1", branch: "new" } },
    ],
    [
      "a tag push",
      { GITHUB_SHA: "h1", GITHUB_REF: "refs/tags/v1.0.0", GITHUB_EVENT_NAME: "push" },
      {},
      { source: { sha: "h1" } },
    ],
    [
      "merge queue",
      { GITHUB_SHA: "q1", GITHUB_REF: "refs/heads/gh-readonly-queue/main/pr-1", GITHUB_EVENT_NAME: "merge_group" },
      { merge_group: { base_sha: "b2" } },
      { source: { sha: "q1" }, baseRef: "b2" },
    ],
  ])("%s", (_, env, payload, expected) => {
    expect(runContextFrom(env, payload)).toEqual(expected);
  });
});

/** Prose from a report (a fork's, a model's, a server's) in the trusted comment: it can say, never do. */
import { describe, expect, it } from "vitest";
import { text } from "../../src/text/markdown.js";

describe("text in the comment", () => {
  it.each([
    ["#1", "#\u20601"],
    ["owner/repo#12", "owner/repo#\u206012"],
    ["see GH-2 and gh-33", "see GH\u2060-2 and gh\u2060-33"],
    ["@theo", "@\u2060theo"],
    ["[x](https://a.example)", "\\[x\\](https:\u2060//a.example)"],
    ["issue #x stays", "issue #x stays"],
  ])("%j cannot link, mention or format: %j", (prose, shown) => {
    expect(text(prose)).toBe(shown);
  });
});

/** The comment's tables, through the comment: which cases are listed and in what order. */
import { describe, expect, it } from "vitest";
import { caseReport, render, smokeReport } from "./fixtures.js";

describe("renderReport: the failing and flaky cases", () => {
  it("lists failing critical cases first, then other failing ones, then flaky passes", () => {
    const markdown = render({
      head: smokeReport({
        passed: false,
        cases: [
          caseReport({ id: "flaky-pass", passes: 4, flaky: true }),
          caseReport({ id: "plain-fail", passed: false }),
          caseReport({ id: "critical-fail", passed: false, critical: true }),
          caseReport({ id: "fine" }),
        ],
      }),
    });
    const order = ["critical-fail", "plain-fail", "flaky-pass"].map((id) => markdown.indexOf(`| \`${id}\``));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(markdown).not.toContain("`fine`");
  });
});

import { describe, expect, it } from "vitest";
import { GITHUB_COMMENT_LIMIT, type ReportInput } from "../../src/report/render.js";
import type { SmokeReport } from "../../src/smoke/types.js";
import { caseReport, columns, modelReport, plan, render, smokeReport, tableRows } from "./fixtures.js";

describe("renderReport: huge reports fit GitHub's limit", () => {
  const longText = (n: number) => "why ".repeat(n / 4);
  function huge(models: number, casesPerModel: number, failureLength: number): SmokeReport {
    // One string shared by every failure: thousands of 100 kB copies would not fit in memory.
    const why = longText(failureLength);
    const names = Array.from({ length: models }, (_, i) => `model-${i}-${"n".repeat(200)}`);
    return smokeReport({
      passed: false,
      failures: names.map((model) => `${model}: ${why}`),
      models: Object.fromEntries(names.map((model) => [model, modelReport()])),
      cases: names.flatMap((model) =>
        Array.from({ length: casesPerModel }, (_, i) =>
          caseReport({
            id: `case-${i}-${"c".repeat(500)}`,
            model,
            passed: false,
            critical: i % 2 === 0,
            failures: Array.from({ length: 8 }, () => why),
          }),
        ),
      ),
      logs: Array.from({ length: 5000 }, () => why),
    });
  }
  const bigPlan = plan({
    models: Array.from({ length: 5000 }, (_, i) => ({
      name: `m${i}`,
      file: `models/${"f".repeat(300)}${i}.Modelfile`,
      from: "qwen3:4b",
      hash: "a".repeat(64),
      changed: true,
      dependsOn: [],
    })),
  });

  it.each<[string, Omit<ReportInput, "marker">, string[]]>([
    [
      "thousands of models",
      { head: huge(3000, 1, 100), baseline: huge(50, 1, 10) },
      ["failing or flaky cases", "model smoke tables"],
    ],
    ["thousands of cases, very long failures", { head: huge(3, 5000, 100_000) }, ["failing or flaky cases"]],
    ["a plan of thousands of models", { plan: bigPlan, head: smokeReport() }, ["model rows"]],
  ])("%s", (_, input, cut) => {
    const markdown = render(input);
    expect(markdown.length).toBeLessThanOrEqual(65_000);
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const note = markdown.match(
      /^✂️ Cut to fit GitHub's 65,536-character limit: left out (.*)\. The full report is in the JSON artifact\.$/m,
    );
    expect(note).not.toBeNull();
    for (const part of cut) expect(note?.[1]).toContain(part);
    for (const table of markdown.split(/\n\n/).filter((block) => block.startsWith("|"))) {
      expect(new Set(tableRows(table).map(columns)).size).toBe(1);
    }
  });

  it("cuts the failing cases before the model tables", () => {
    const head = huge(3, 2000, 200);
    const markdown = render({ head });
    expect(markdown).toContain("**`model-2-");
    expect(markdown).toMatch(/_…[\d,]+ more failing or flaky cases cut to fit; see the JSON report\._/);
    expect(markdown).not.toMatch(/left out [^.]*model smoke tables/);
  });

  it.each([3_000, 8_000, 20_000])("honours maxChars %i", (maxChars) => {
    expect(render({ head: huge(100, 10, 1000), plan: bigPlan }, maxChars).length).toBeLessThanOrEqual(maxChars);
  });

  it("leaves a small report alone", () => {
    expect(render({ head: smokeReport() })).not.toContain("✂️");
  });

  it("refuses a maxChars its fixed parts cannot fit in", () => {
    expect(() => render({ head: huge(10, 10, 100) }, 200)).toThrow(RangeError);
  });
});

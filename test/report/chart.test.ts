import { describe, expect, it } from "vitest";
import type { ReportInput } from "../../src/report/render.js";
import { buildReport, distribution, modelReport, render, smokeReport } from "./fixtures.js";

describe("renderReport: the TTFT chart", () => {
  const noTtft = smokeReport({ models: { m: modelReport({ metrics: { e2e_ms: distribution(900, 1200) } }) } });
  it.each<[string, Omit<ReportInput, "marker">, RegExp | undefined]>([
    [
      "head and base",
      { head: smokeReport(), baseline: smokeReport() },
      /bar \[200, 300, 200, 300\]\n {2}line \[200, 300, 200, 300\]\n```/,
    ],
    ["head only", { head: smokeReport() }, /bar \[200, 300, 200, 300\]\n```/],
    [
      "a model missing from the base: no base line",
      { head: smokeReport(), baseline: smokeReport({ models: { "theo-voice": modelReport() } }) },
      /some models have no baseline[^\n]*\n(.*\n){2} {2}bar \[200, 300, 200, 300\]\n```/,
    ],
    ["no smoke run", { build: buildReport() }, undefined],
    ["smoke without TTFT", { head: noTtft }, undefined],
  ])("%s", (_, input, chart) => {
    const markdown = render(input);
    if (chart === undefined) expect(markdown).not.toContain("```mermaid");
    else {
      expect(markdown).toContain("```mermaid\nxychart-beta\n");
      expect(markdown).toMatch(chart);
    }
  });

  it("keeps the axis labels valid mermaid whatever the model names", () => {
    const head = smokeReport({ models: { 'a"b]c, [d': modelReport(), "e\nf": modelReport() }, cases: [] });
    const axis = render({ head }).match(/^ {2}x-axis (.*)$/m)?.[1];
    expect(axis).toMatch(/^\[("[\w .:/+-]+"(, )?)+\]$/);
  });
});

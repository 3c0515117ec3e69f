import { describe, expect, it } from "vitest";
import { type ReportInput, renderReportJson } from "../../src/report/render.js";
import { failedHead, marker, smokeReport } from "./fixtures.js";

describe("renderReportJson", () => {
  it("gives the verdict and the comparisons as data", () => {
    const json = renderReportJson({ marker, head: failedHead, baseline: smokeReport() });
    expect(json).toMatchObject({
      marker,
      passed: false,
      failures: failedHead.failures,
      baseline: { compared: true },
      server: [{ metric: "Server ready", unit: "ms", head: 4100, base: 4100, delta: 0 }],
    });
    const voice = json.models.find((m) => m.name === "theo-voice");
    expect(voice).toMatchObject({ cases: 2, passed: 0, inBaseline: true });
    expect(voice?.metrics.find((m) => m.metric === "TTFT p50")).toEqual({
      metric: "TTFT p50",
      unit: "ms",
      head: 412,
      base: 200,
      delta: 212,
      change: "worse",
    });
    expect(voice?.metrics.find((m) => m.metric === "Flaky cases")).toEqual({
      metric: "Flaky cases",
      unit: "",
      head: 1,
      base: 0,
      delta: 1,
      change: "worse",
    });
    expect(json.cases.map((c) => c.id)).toEqual(["weather-basic", "no-tool-smalltalk"]);
  });

  it.each<[string, Omit<ReportInput, "marker">, Partial<ReturnType<typeof renderReportJson>>]>([
    [
      "no baseline",
      { head: smokeReport(), baselineNote: "no report for abc1234" },
      { passed: true, baseline: { compared: false, note: "no report for abc1234" } },
    ],
    [
      "a build error",
      { failure: "buildx failed" },
      { passed: false, failures: ["buildx failed"], models: [], cases: [] },
    ],
  ])("%s", (_, input, expected) => {
    expect(renderReportJson({ ...input, marker })).toMatchObject(expected);
  });
});

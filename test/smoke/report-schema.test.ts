import { describe, expect, it } from "vitest";
import { parseSmokeReport } from "../../src/smoke/report-schema.js";
import type { SmokeReport } from "../../src/smoke/types.js";
import { caseReport, distribution, modelReport, smokeReport } from "../report/fixtures.js";

const LABEL = "fork/smoke-report.json";

/** A failed run that fills in the optional fields the fixture leaves out. */
const failedReport = (): SmokeReport =>
  smokeReport({
    passed: false,
    environment: { ...smokeReport().environment, image_id: "sha256:5d41402abc4b2a76b9719d911017c592ae2b4e5f9c1d" },
    failures: ["critical case weather-basic (theo) failed", "theo: ttft_ms p50 412 ms > budget 300 ms (+112 ms)"],
    models: {
      theo: modelReport({
        metrics: { ttft_ms: { ...distribution(412, 530, 20), p95: 601 }, prompt_tokens: distribution(88, 88) },
        reasoning_runs: 2,
        budgets: { ttft_ms: { p50: 300, p90: 450 }, decode_tps: 30, vram_mib: 6000, tool_accuracy_pct: 90 },
        budget_failures: ["ttft_ms p50 412 ms > budget 300 ms (+112 ms)"],
      }),
    },
    cases: [
      caseReport({ id: "weather-basic", model: "theo", critical: true, passed: false, passes: 3, flaky: true }),
      caseReport({ id: "smalltalk", model: "theo", failures: ["run 2: called get_weather, expected no tool call"] }),
    ],
    logs: ['time=2025-06-01T12:00:01Z level=INFO msg="server listening"', "<script>alert(1)</script>"],
  });

/** The report as JSON with one change made to the parsed object first. */
// biome-ignore lint/suspicious/noExplicitAny: the edits write values the report's type forbids
function edited(edit: (report: Record<string, any>) => void): string {
  const report = JSON.parse(JSON.stringify(failedReport()));
  edit(report);
  return JSON.stringify(report);
}

describe("parseSmokeReport", () => {
  it.each([
    ["a passing report", smokeReport()],
    ["a failed report with the optional fields", failedReport()],
  ])("reads back %s as written", (_, report) => {
    expect(parseSmokeReport(JSON.stringify(report), LABEL)).toEqual(report);
  });

  it("drops keys it does not know, at every level", () => {
    const text = edited((report) => {
      report.schema_version = 2;
      report.environment.kernel = "6.8";
      report.environment.runner.gpu_driver = "550.54";
      report.models.theo.new_metric_summary = { ok: true };
      report.models.theo.metrics.itl_ms = distribution(30, 40);
      report.models.theo.metrics.ttft_ms.p99 = 700;
      report.models.theo.budgets.itl_ms = 50;
      report.cases[0].duration_ms = 1234;
    });
    expect(parseSmokeReport(text, LABEL)).toEqual(failedReport());
  });

  it("drops a model named __proto__ instead of making it the prototype", () => {
    // JSON.parse makes "__proto__" an own key; assigning it to a plain object would swap the prototype.
    const text = JSON.stringify(failedReport()).replace(
      '"models":{',
      `"models":{"__proto__":${JSON.stringify(modelReport())},`,
    );
    const { models } = parseSmokeReport(text, LABEL);
    expect(Object.getPrototypeOf(models)).toBe(Object.prototype);
    expect(models).toEqual(failedReport().models);
  });

  it.each<[string, string, string | RegExp]>([
    [
      "text that is not JSON",
      "{",
      // Some V8 versions add the line and column.
      /^fork\/smoke-report\.json: not JSON \(Expected property name or '\}' in JSON at position 1( \(line 1 column 2\))?\)$/,
    ],
    ["an empty file", "", `${LABEL}: not JSON (Unexpected end of JSON input)`],
    ["an array", "[]", `${LABEL}: (top level): Invalid input: expected object, received array`],
    ["null", "null", `${LABEL}: (top level): Invalid input: expected object, received null`],
    [
      "a metric that is text",
      edited((report) => {
        report.models.theo.metrics.ttft_ms.p50 = "412";
      }),
      `${LABEL}: models.theo.metrics.ttft_ms.p50: Invalid input: expected number, received string`,
    ],
    [
      "a missing required field",
      edited((report) => {
        delete report.passed;
      }),
      `${LABEL}: passed: Invalid input: expected boolean, received undefined`,
    ],
    [
      "a failure line that is not text",
      edited((report) => {
        report.cases[1].failures[0] = { html: "<b>" };
      }),
      `${LABEL}: cases.1.failures.0: Invalid input: expected string, received object`,
    ],
    [
      "log lines that are one string",
      edited((report) => {
        report.logs = "line 1\nline 2";
      }),
      `${LABEL}: logs: Invalid input: expected array, received string`,
    ],
    [
      "a budget of the wrong shape",
      edited((report) => {
        report.models.theo.budgets.ttft_ms = "300ms";
      }),
      `${LABEL}: models.theo.budgets.ttft_ms: Invalid input`,
    ],
    [
      "an optional field set to null",
      edited((report) => {
        report.environment.image = null;
      }),
      `${LABEL}: environment.image: Invalid input: expected string, received null`,
    ],
  ])("refuses %s", (_, text, message) => {
    expect(() => parseSmokeReport(text, LABEL)).toThrow(typeof message === "string" ? new Error(message) : message);
  });

  it("names every wrong field, one a line", () => {
    const text = edited((report) => {
      report.environment.gpu = "yes";
      report.cases[0].runs = null;
    });
    expect(() => parseSmokeReport(text, LABEL)).toThrow(
      new Error(
        [
          `${LABEL}: environment.gpu: Invalid input: expected boolean, received string`,
          `${LABEL}: cases.0.runs: Invalid input: expected number, received null`,
        ].join("\n"),
      ),
    );
  });
});

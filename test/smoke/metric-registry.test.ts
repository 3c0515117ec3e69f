/**
 * The metric registry drives the report's schema and types, the budgets, the terminal text and the PR comment:
 * one table test per consumer, over every metric, so a new entry is checked everywhere without a new test.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { commentMarker, renderReport } from "../../src/report/render.js";
import { loadCaseSuite } from "../../src/smoke/cases.js";
import { formatSmokeText } from "../../src/smoke/format.js";
import {
  BUDGETED_METRICS,
  type BudgetKey,
  METRICS,
  type Metric,
  metricsStoredAs,
  QUANTILE_BUDGET_METRICS,
  REQUEST_METRICS,
  type RequestMetricKey,
  SINGLE_BUDGET_METRICS,
} from "../../src/smoke/metric-registry.js";
import type { RunMetrics } from "../../src/smoke/metrics.js";
import { parseSmokeReport, SmokeReportSchema } from "../../src/smoke/report-schema.js";
import type { Budgets, ModelReport, SmokeEnvironment, SmokeReport } from "../../src/smoke/types.js";
import { caseReport, distribution, modelReport, smokeReport } from "../report/fixtures.js";

const MiB = 1024 * 1024;
type DerivedKey = Extract<Metric, { stored: "derived" }>["key"];

/** How a test writes a derived metric's value into the fields it is read from (a new derived metric needs one). */
const WRITE_DERIVED: Record<DerivedKey, (report: SmokeReport, model: ModelReport, value: number) => void> = {
  vram_mib: (_, model, value) => {
    model.memory = { size_bytes: value * MiB, size_vram_bytes: value * MiB };
  },
  gpu_used_mib: (_, model, value) => {
    model.memory = { size_bytes: MiB, size_vram_bytes: MiB, gpu_used_mib: value };
  },
  flaky_cases: (report, _, value) => {
    report.cases = Array.from({ length: value }, (_, i) =>
      caseReport({ id: `c${i}`, model: "m", passes: 4, flaky: true }),
    );
  },
};

/** Makes `value` the figure of `metric` in a report of one model, `model`. */
function setFigure(report: SmokeReport, model: ModelReport, metric: Metric, value: number): void {
  if (metric.stored === "distribution") model.metrics[metric.key] = distribution(value, value);
  else if (metric.stored === "model") model[metric.key] = value;
  else if (metric.stored === "environment") report.environment[metric.key] = value;
  else WRITE_DERIVED[metric.key](report, model, value);
}

/** A report of one model `m` in which `metric` is `value`; every other figure is the fixture's. */
function reportWith(metric: Metric, value: number): SmokeReport {
  const model = modelReport();
  const report = smokeReport({ models: { m: model }, cases: [] });
  setFigure(report, model, metric, value);
  return report;
}

/** A base value, and a head that is worse or better by more than the metric's noise rule. */
function values(metric: Metric): { base: number; worse: number; better: number } {
  const base = { latency: 100, throughput: 100, coldStart: 1000, memory: 1000, exact: 10 }[metric.noise];
  return metric.better === "lower"
    ? { base, worse: base * 3, better: base / 2 }
    : { base, worse: base / 2, better: base * 3 };
}

const shown = (value: number, unit: string) => `${value.toLocaleString("en-US")}${unit === "" ? "" : ` ${unit}`}`;

/** Each row a metric has in the comment: one per quantile shown of a distribution. */
const rowLabels = (metric: Metric) =>
  metric.stored === "distribution" ? metric.comment.map((stat) => `${metric.label} ${stat}`) : [metric.label];

const everyMetric = METRICS.map((metric) => [metric.key, metric] as const);

describe("the registry", () => {
  it("names every metric once: key, comment label and terminal label", () => {
    for (const name of ["key", "label", "short"] as const) {
      const names = METRICS.map((metric) => metric[name]);
      expect(new Set(names).size, name).toBe(names.length);
    }
  });

  it("is what the report's schema and types are keyed by", () => {
    expectTypeOf<keyof ModelReport["metrics"]>().toEqualTypeOf<RequestMetricKey>();
    expectTypeOf<keyof RunMetrics>().toEqualTypeOf<RequestMetricKey>();
    expectTypeOf<keyof Budgets>().toEqualTypeOf<BudgetKey>();
    expectTypeOf<SmokeEnvironment["server_ready_ms"]>().toEqualTypeOf<number | undefined>();
    const model = SmokeReportSchema.shape.models.valueType.shape;
    const keys = (metrics: readonly Metric[]) => metrics.map((metric) => metric.key).sort();
    expect(Object.keys(model.metrics.shape).sort()).toEqual(keys(REQUEST_METRICS));
    expect(Object.keys(model.budgets.shape).sort()).toEqual(keys(BUDGETED_METRICS));
    for (const key of keys(metricsStoredAs("model"))) expect(Object.keys(model)).toContain(key);
    const environment = Object.keys(SmokeReportSchema.shape.environment.shape);
    for (const key of keys(metricsStoredAs("environment"))) expect(environment).toContain(key);
  });

  it("gives a report with every metric and every budget that reads back as written", () => {
    const budgets = Object.fromEntries(BUDGETED_METRICS.map((metric) => [metric.key, 5]));
    const model = modelReport({ budgets });
    const report = smokeReport({ models: { m: model }, cases: [] });
    for (const metric of METRICS) setFigure(report, model, metric, 5);
    expect(parseSmokeReport(JSON.stringify(report), "r.json")).toEqual(report);
  });
});

describe("every metric in the PR comment: label, unit, and an arrow by its direction", () => {
  it.each(everyMetric)("%s", (_, metric) => {
    const { base, worse, better } = values(metric);
    const render = (head: number) =>
      renderReport(
        { marker: commentMarker(), head: reportWith(metric, head), baseline: reportWith(metric, base) },
        { maxChars: 1_000_000 },
      ).split("\n");
    for (const [head, verdict] of [
      [worse, "worse"],
      [better, "better"],
    ] as const) {
      const lines = render(head);
      for (const label of rowLabels(metric)) {
        const row = lines.find((line) => line.startsWith(`| ${label} |`));
        expect(row, label).toMatch(
          new RegExp(
            `^\\| ${label} \\| ${shown(head, metric.unit)} \\| ${shown(base, metric.unit)} \\| .* ${verdict} \\|$`,
          ),
        );
      }
    }
  });
});

describe("every metric in the terminal text: label and unit", () => {
  it.each(everyMetric)("%s", (_, metric) => {
    const lines = formatSmokeText(reportWith(metric, 300)).split("\n");
    const line = lines.find((l) => l.trimStart().startsWith(`${metric.short}  `));
    const figure =
      metric.stored === "distribution" ? `p50/p90  300/300 ${metric.unit} (n=10)` : shown(300, metric.unit);
    expect(line, metric.short).toMatch(new RegExp(`^ {2}${metric.short} +${figure.replace(/[()/]/g, "\\$&")}$`));
  });
});

describe("every budget in a case file", () => {
  const caseFile = (budget: string) => ({
    file: "f.yaml",
    text: `budgets: { m: ${budget} }\ncases:\n  - { id: x, model: m, messages: [{ role: user, content: Oi }], expect: { content: { max_words: 3 } } }\n`,
  });

  it.each(BUDGETED_METRICS.map((metric) => [metric.key] as const))("%s is accepted", (key) => {
    expect(loadCaseSuite([caseFile(`{ ${key}: 5 }`)]).modelBudgets).toEqual({ m: { [key]: 5 } });
  });

  it.each(QUANTILE_BUDGET_METRICS.map((metric) => [metric.key] as const))("%s takes p50 and p90", (key) => {
    expect(loadCaseSuite([caseFile(`{ ${key}: { p90: 5 } }`)]).modelBudgets).toEqual({ m: { [key]: { p90: 5 } } });
  });

  it.each(SINGLE_BUDGET_METRICS.map((metric) => [metric.key, metric.unit] as const))(
    "%s is a single number in its range",
    (key, unit) => {
      expect(() => loadCaseSuite([caseFile(`{ ${key}: { p90: 5 } }`)])).toThrow(`budgets.m.${key}`);
      if (unit === "%") {
        expect(loadCaseSuite([caseFile(`{ ${key}: 0 }`)]).modelBudgets).toEqual({ m: { [key]: 0 } });
        expect(() => loadCaseSuite([caseFile(`{ ${key}: 101 }`)])).toThrow(/Too big/);
      } else expect(() => loadCaseSuite([caseFile(`{ ${key}: 0 }`)])).toThrow(/Too small/);
    },
  );
});

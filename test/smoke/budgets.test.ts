import { describe, expect, it } from "vitest";
import { type BudgetSubject, DEFAULT_BUDGETS, missedBudgets, parseBudgetAssignments } from "../../src/smoke/budgets.js";
import { BUDGETED_METRICS, QUANTILE_BUDGET_METRICS, SINGLE_BUDGET_METRICS } from "../../src/smoke/metric-registry.js";
import type { Distribution } from "../../src/smoke/types.js";

const measured = (p50: number, p90: number): Distribution => ({ n: 10, p50, p90, min: p50, max: p90 });

describe("budgets", () => {
  it.each([
    ["within every budget", { ttft_ms: 300, decode_tps: 15 }, {}, []],
    ["median over", { ttft_ms: 100 }, {}, ["ttft_ms p50 120 ms > budget 100 ms (+20 ms)"]],
    ["p90 over", { ttft_ms: { p90: 150 } }, {}, ["ttft_ms p90 180 ms > budget 150 ms (+30 ms)"]],
    ["decode too slow", { decode_tps: 40 }, {}, ["decode_tps p50 35.5 tok/s < budget 40 (−4.5)"]],
    [
      "accuracy",
      { tool_accuracy_pct: 95 },
      { tool_accuracy_pct: 90 },
      ["tool accuracy 90 % < budget 95 % (−5 points)"],
    ],
    ["vram", { vram_mib: 3000 }, { vram_mib: 3100 }, ["vram 3100 MiB > budget 3000 MiB (+100 MiB)"]],
    ["no data is not judged", { e2e_ms: 1, tool_accuracy_pct: 95, vram_mib: 1 }, {}, []],
  ])("%s", (_, budgets, extra, expected) => {
    const metrics = { ttft_ms: measured(120, 180), decode_tps: measured(35.5, 30) };
    expect(missedBudgets(budgets, { metrics, ...extra })).toEqual(expected);
  });

  it("keeps the seed review's targets as the defaults", () => {
    expect(DEFAULT_BUDGETS).toEqual({
      gpu: { ttft_ms: 100, decode_tps: 40, tool_accuracy_pct: 95 },
      cpu: { ttft_ms: 300, decode_tps: 15, tool_accuracy_pct: 95 },
    });
  });

  it("lists misses in the registry's order, each metric's wording as before", () => {
    const budgets = { ttft_ms: 1, t_tool_ms: 1, e2e_ms: 1, decode_tps: 100, vram_mib: 1, tool_accuracy_pct: 100 };
    const subject: BudgetSubject = {
      metrics: {
        ttft_ms: measured(2, 2),
        t_tool_ms: measured(3, 3),
        e2e_ms: measured(4.25, 4),
        decode_tps: measured(50, 50),
      },
      vram_mib: 2,
      tool_accuracy_pct: 99.5,
    };
    expect(missedBudgets(budgets, subject)).toEqual([
      "ttft_ms p50 2 ms > budget 1 ms (+1 ms)",
      "t_tool_ms p50 3 ms > budget 1 ms (+2 ms)",
      "e2e_ms p50 4.3 ms > budget 1 ms (+3.3 ms)",
      "decode_tps p50 50 tok/s < budget 100 (−50)",
      "vram 2 MiB > budget 1 MiB (+1 MiB)",
      "tool accuracy 99.5 % < budget 100 % (−0.5 points)",
    ]);
  });

  it.each(BUDGETED_METRICS.map((metric) => [metric.key, metric] as const))(
    "%s: a budget a source asked for fails without data, a default does not",
    (key) => {
      const budgets = { [key]: 1 };
      expect(missedBudgets(budgets, { metrics: {} }, [key])).toEqual([
        `${key}: no run measured it, so its budget cannot be met`,
      ]);
      expect(missedBudgets(budgets, { metrics: {} })).toEqual([]);
    },
  );

  it.each(BUDGETED_METRICS.map((metric) => [metric.key, metric.better, metric] as const))(
    "%s bounds from the side its direction says (%s is better)",
    (_, better, metric) => {
      const subjectAt = (value: number): BudgetSubject =>
        metric.stored === "distribution"
          ? { metrics: { [metric.key]: measured(value, value) } }
          : { metrics: {}, [metric.key]: value };
      const budgets = { [metric.key]: 50 };
      const [worse, fine] = better === "lower" ? [60, 40] : [40, 60];
      expect(missedBudgets(budgets, subjectAt(fine))).toEqual([]);
      const [miss] = missedBudgets(budgets, subjectAt(worse));
      expect(miss).toContain(better === "lower" ? " > budget 50" : " < budget 50");
    },
  );
});

describe("budget assignments (inputs and --budget)", () => {
  it("reads medians, percentiles and single numbers", () => {
    expect(
      parseBudgetAssignments(["ttft_ms=300", "ttft_ms.p90=800", " decode_tps = 15.5 ", "", "vram_mib=3000"], "x"),
    ).toEqual({ all: { ttft_ms: { p50: 300, p90: 800 }, decode_tps: 15.5, vram_mib: 3000 }, models: {} });
  });

  it("keeps a p90 bound when the median comes after it, and reads per-model budgets", () => {
    expect(
      parseBudgetAssignments([
        "ttft_ms.p90=800",
        "ttft_ms=300",
        "theo-classifier:ttft_ms=50",
        "theo-classifier:e2e_ms.p90=90",
      ]),
    ).toEqual({
      all: { ttft_ms: { p50: 300, p90: 800 } },
      models: { "theo-classifier": { ttft_ms: 50, e2e_ms: { p90: 90 } } },
    });
  });

  it.each([
    ["ttft=300", /"ttft=300" is not a budget/],
    ["ttft_ms=fast", /is not a budget/],
    ["vram_mib.p90=1", /vram_mib takes a single number/],
  ])("rejects %j, naming the input", (line, message) => {
    expect(() => parseBudgetAssignments([line], "input 'budgets'")).toThrow(message);
    expect(() => parseBudgetAssignments([line], "input 'budgets'")).toThrow(/^input 'budgets': /);
  });

  it("names every budget in its message; the original six keep their names and order", () => {
    const names = BUDGETED_METRICS.map((metric) => metric.key);
    expect(() => parseBudgetAssignments(["ttft=300"])).toThrow(
      new Error(`"ttft=300" is not a budget ([MODEL:]NAME=NUMBER or NAME.p90=NUMBER; names: ${names.join(", ")})`),
    );
    const original = ["ttft_ms", "t_tool_ms", "e2e_ms", "decode_tps", "vram_mib", "tool_accuracy_pct"];
    expect(names.filter((name) => original.includes(name))).toEqual(original);
  });

  it.each(BUDGETED_METRICS.map((metric) => [metric.key] as const))(
    "%s is a budget, for all and for one model",
    (key) => {
      expect(parseBudgetAssignments([`${key}=7`, `theo:${key}=8.5`])).toEqual({
        all: { [key]: 7 },
        models: { theo: { [key]: 8.5 } },
      });
    },
  );

  it.each(QUANTILE_BUDGET_METRICS.map((metric) => [metric.key] as const))("%s takes a p50 and a p90", (key) => {
    expect(parseBudgetAssignments([`${key}.p90=9`, `${key}.p50=3`]).all).toEqual({ [key]: { p50: 3, p90: 9 } });
  });

  it.each(SINGLE_BUDGET_METRICS.map((metric) => [metric.key] as const))("%s refuses a percentile", (key) => {
    expect(() => parseBudgetAssignments([`${key}.p90=9`], "--budget")).toThrow(
      new Error(`--budget: ${key} takes a single number, not a percentile`),
    );
  });
});

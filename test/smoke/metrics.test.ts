import { describe, expect, it } from "vitest";
import { missedBudgets } from "../../src/smoke/budgets.js";
import { aggregate, distribution, nearestRank, runMetrics } from "../../src/smoke/metrics.js";
import type { Distribution, Observation } from "../../src/smoke/types.js";

const observation = (fields: Partial<Observation>): Observation => ({
  stream: true,
  content: "",
  reasoning: "",
  toolCalls: [],
  ...fields,
});

describe("percentiles (nearest rank)", () => {
  it.each([
    [[10], 0.5, 10],
    [[10, 20], 0.5, 10],
    [[10, 20, 30], 0.5, 20],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9, 10],
    [[5, 1, 4].sort((a, b) => a - b), 1, 5],
  ])("%j at %d is %d", (values, quantile, expected) => {
    expect(nearestRank(values, quantile)).toBe(expected);
  });

  it("reports p95 only from 20 samples on, and sorts its input", () => {
    const nineteen = Array.from({ length: 19 }, (_, i) => 19 - i);
    expect(distribution(nineteen)).toEqual({ n: 19, p50: 10, p90: 18, min: 1, max: 19 });
    expect(distribution([...nineteen, 20])?.p95).toBe(19);
    expect(distribution([])).toBeUndefined();
  });
});

describe("per-run metrics", () => {
  it("times content, tool calls and reasoning from the request", () => {
    const metrics = runMetrics({
      observation: observation({
        ttfcMs: 100,
        tReasoningMs: 100,
        ttftMs: 400,
        tToolMs: 700,
        e2eMs: 700,
        completionTokens: 31,
        reasoning: "pensando",
        content: "Vou te passar",
      }),
      native: { decodeTps: 41.234, prefillMs: 80 },
    });
    expect(metrics).toEqual({
      ttft_ms: 400,
      ttfc_ms: 100,
      t_tool_ms: 700,
      e2e_ms: 700,
      tpot_ms: 20, // (700 − 100) / 30
      decode_tps: 41.23,
      prefill_ms: 80,
      reasoning_ms: 300,
    });
  });

  it("a failed run contributes nothing, and metrics a run lacks are left out of the distribution", () => {
    const runs = [
      { observation: observation({ ttftMs: 10, e2eMs: 20, completionTokens: 1 }) },
      { observation: observation({ tToolMs: 30, e2eMs: 30, completionTokens: 1 }) },
      { observation: observation({ ttftMs: 999, error: "HTTP 500: boom" }) },
    ];
    const metrics = aggregate(runs);
    expect(metrics.ttft_ms?.n).toBe(1);
    expect(metrics.t_tool_ms?.n).toBe(1);
    expect(metrics.e2e_ms).toMatchObject({ n: 2, p50: 20, max: 30 });
    expect(metrics.tpot_ms).toBeUndefined();
  });
});

const measured = (p50: number, p90: number): Distribution => ({ n: 10, p50, p90, min: p50, max: p90 });

describe("budgets", () => {
  it.each([
    ["within every budget", { ttft_ms: 300, decode_tps: 15 }, {}, []],
    ["median over", { ttft_ms: 100 }, {}, ["ttft_ms p50 120 ms > budget 100 ms (+20 ms)"]],
    ["p90 over", { ttft_ms: { p90: 150 } }, {}, ["ttft_ms p90 180 ms > budget 150 ms (+30 ms)"]],
    ["decode too slow", { decode_tps: 40 }, {}, ["decode_tps p50 35.5 tok/s < budget 40 (−4.5)"]],
    ["accuracy", { tool_accuracy_pct: 95 }, { toolAccuracyPct: 90 }, ["tool accuracy 90 % < budget 95 % (−5 points)"]],
    ["vram", { vram_mib: 3000 }, { vramMib: 3100 }, ["vram 3100 MiB > budget 3000 MiB (+100 MiB)"]],
    ["no data is not judged", { e2e_ms: 1, tool_accuracy_pct: 95, vram_mib: 1 }, {}, []],
  ])("%s", (_, budgets, extra, expected) => {
    const metrics = { ttft_ms: measured(120, 180), decode_tps: measured(35.5, 30) };
    expect(missedBudgets(budgets, { metrics, ...extra })).toEqual(expected);
  });
});

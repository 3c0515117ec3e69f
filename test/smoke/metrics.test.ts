import { describe, expect, it } from "vitest";
import { aggregate, distribution, nearestRank, runMetrics } from "../../src/smoke/metrics.js";
import type { Observation } from "../../src/smoke/types.js";

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

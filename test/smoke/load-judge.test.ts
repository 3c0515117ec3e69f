/** The load's figures and verdict from hand-made results and samples: quantiles, budgets, residency, durations. */
import { describe, expect, it } from "vitest";
import type { LoadedModel } from "../../src/smoke/client.js";
import type { LoadScript } from "../../src/smoke/load-cases.js";
import type { ConversationResult } from "../../src/smoke/load-conversation.js";
import {
  conversationFailureLines,
  evictionLine,
  loadDistribution,
  missedLoadBudgets,
  modelUnderLoad,
} from "../../src/smoke/load-judge.js";
import { durationsOf } from "../../src/smoke/load-native.js";
import { residencyOf } from "../../src/smoke/load-residency.js";

const MiB = 1024 * 1024;
const script = (id: string, model = "agent") => ({ id, model }) as LoadScript;
const loaded = (name: string, mib: number, vramMib = 0): LoadedModel => ({
  name,
  size: mib * MiB,
  size_vram: vramMib * MiB,
});

describe("loadDistribution", () => {
  it("gives nearest-rank p5, p50 and p95: with fewer than 20 requests the tails are the extremes", () => {
    expect(loadDistribution([])).toBeUndefined();
    expect(loadDistribution([30, 10, 20])).toEqual({ n: 3, p5: 10, p50: 20, p95: 30 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(loadDistribution(hundred)).toEqual({ n: 100, p5: 5, p50: 50, p95: 95 });
  });
});

describe("budgets under load", () => {
  const metrics = {
    ttft_ms: { n: 20, p5: 80, p50: 120, p95: 912.25 },
    decode_tps: { n: 20, p5: 12.5, p50: 30, p95: 41 },
  };

  it("bound the p95 of a time and the p5 of a rate, saying by how much", () => {
    expect(missedLoadBudgets({ ttft_ms: 800, decode_tps: 15 }, metrics)).toEqual([
      "ttft_ms p95 912.3 ms > budget 800 ms under load (+112.3 ms)",
      "decode_tps p5 12.5 < budget 15 under load (−2.5)",
    ]);
    expect(missedLoadBudgets({ ttft_ms: 1000, decode_tps: 12 }, metrics)).toEqual([]);
  });

  it("are missed when nothing under load measured them", () => {
    expect(missedLoadBudgets({ t_tool_ms: 500 }, metrics)).toEqual([
      "t_tool_ms: no request under load measured it, so its budget cannot be met",
    ]);
  });

  it("are judged over every reply of the model's conversations", () => {
    const results: ConversationResult[] = [
      {
        script: script("a"),
        figures: [
          { ttft_ms: 100, queue_wait_ms: 0 },
          { ttft_ms: 300, queue_wait_ms: 40 },
        ],
      },
      { script: script("a"), figures: [{ ttft_ms: 200 }], failure: "turn 2: content is wrong" },
    ];
    expect(modelUnderLoad(results, { ttft_ms: 250 })).toEqual({
      conversations: 2,
      conversations_passed: 1,
      requests: 3,
      metrics: {
        ttft_ms: { n: 3, p5: 100, p50: 200, p95: 300 },
        queue_wait_ms: { n: 2, p5: 0, p50: 0, p95: 40 },
      },
      budgets: { ttft_ms: 250 },
      budget_failures: ["ttft_ms p95 300 ms > budget 250 ms under load (+50 ms)"],
    });
  });
});

describe("failure lines", () => {
  it("group failed conversations by script and reason", () => {
    const transfer = script("transfer");
    const classify = script("classify", "classifier");
    const results: ConversationResult[] = [
      { script: transfer, figures: [], failure: 'turn 2: content does not contain "suporte"' },
      { script: transfer, figures: [] },
      { script: transfer, figures: [], failure: 'turn 2: content does not contain "suporte"' },
      { script: classify, figures: [], failure: "turn 1: request failed: HTTP 500: model runner has stopped" },
    ];
    expect(conversationFailureLines(results)).toEqual([
      'conversation transfer (agent) failed 2 of 3 times: turn 2: content does not contain "suporte"',
      "conversation classify (classifier) failed 1 of 1 times: turn 1: request failed: HTTP 500: model runner has stopped",
    ]);
  });
});

describe("residencyOf", () => {
  const samples = [
    { atMs: 3, loaded: [loaded("agent:latest", 3000, 2900), loaded("classifier:latest", 600, 600)] },
    { atMs: 255, loaded: [loaded("agent:latest", 3100, 3000), loaded("classifier:latest", 600, 600)] },
    { atMs: 1210.6, loaded: [loaded("big:latest", 9000, 8000)] },
    { atMs: 1462, loaded: [loaded("classifier:latest", 600, 600), loaded("big:latest", 9000, 8000)] },
  ];

  it("dates the first sample that missed each resident model, with what was loaded instead", () => {
    const residency = residencyOf(samples, ["agent", "classifier"]);
    expect(residency.samples).toBe(4);
    expect(residency.evictions).toEqual([
      { model: "agent", at_ms: 1211, missing_samples: 2, loaded_then: ["big:latest"] },
      { model: "classifier", at_ms: 1211, missing_samples: 1, loaded_then: ["big:latest"] },
    ]);
    expect(evictionLine(residency.evictions[0] as never, residency.samples)).toBe(
      "agent must stay resident but was not loaded 1211 ms into the load (/api/ps listed: big:latest; missing in 2 of 4 samples)",
    );
  });

  it("keeps the most memory the loaded models took while all resident ones were loaded, and each one's size", () => {
    const residency = residencyOf(samples, ["agent", "classifier"]);
    expect(residency.residentMemory).toEqual({ size_bytes: 3700 * MiB, size_vram_bytes: 3600 * MiB });
    expect(residency.sizes.get("agent:latest")?.size).toBe(3100 * MiB);
    // No resident model: every sample counts.
    expect(residencyOf(samples, []).residentMemory).toEqual({ size_bytes: 9600 * MiB, size_vram_bytes: 8600 * MiB });
    expect(residencyOf(samples, ["absent"]).residentMemory).toBeUndefined();
  });
});

describe("durationsOf", () => {
  it("takes the queue wait as what the total leaves after the load, prompt evaluation and decoding", () => {
    const durations = durationsOf({
      total_duration: 6_600_000_000,
      load_duration: 7_000_000,
      prompt_eval_count: 12,
      prompt_eval_duration: 2_000_000,
      eval_count: 61,
      eval_duration: 1_045_000_000,
    });
    expect(durations).toEqual({
      native: { decodeTps: (61 / 1_045_000_000) * 1e9, prefillMs: 2, promptTokens: 12 },
      queueWaitMs: 5546,
      loadDurationMs: 7,
    });
    // Parts rounded on their own may add up to a hair more than the total: no wait, not a negative one.
    expect(
      durationsOf({ total_duration: 10, load_duration: 4, prompt_eval_duration: 4, eval_duration: 4 }).queueWaitMs,
    ).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { loadSection } from "../../src/report/load.js";
import type { LoadModelReport, LoadReport } from "../../src/smoke/load-report.js";
import { render, smokeReport } from "./fixtures.js";

const MiB = 1024 * 1024;

function modelUnderLoad(overrides: Partial<LoadModelReport> = {}): LoadModelReport {
  return {
    conversations: 10,
    conversations_passed: 10,
    requests: 20,
    metrics: {
      ttft_ms: { n: 10, p5: 90, p50: 120, p95: 340 },
      t_tool_ms: { n: 10, p5: 150, p50: 210, p95: 480.5 },
      queue_wait_ms: { n: 20, p5: 0, p50: 3.2, p95: 95 },
      decode_tps: { n: 20, p5: 31.5, p50: 38, p95: 41 },
    },
    budgets: { ttft_ms: 800 },
    budget_failures: [],
    ...overrides,
  };
}

function loadReport(overrides: Partial<LoadReport> = {}): LoadReport {
  return {
    passed: true,
    failures: [],
    concurrency: 2,
    concurrency_from: "image",
    conversations: 20,
    conversations_passed: 20,
    duration_ms: 18_240,
    resident: ["theo-voice", "theo-classifier"],
    samples: 73,
    sample_every_ms: 250,
    resident_memory: { size_bytes: 3800 * MiB, size_vram_bytes: 3800 * MiB },
    evictions: [],
    models: { "theo-voice": modelUnderLoad(), "theo-classifier": modelUnderLoad({ metrics: {} }) },
    ...overrides,
  };
}

const shown = (load: LoadReport | undefined) => {
  const part = loadSection(smokeReport({ ...(load === undefined ? {} : { load }) }));
  return part.lead + part.items.join(part.separator);
};

describe("the comment's section under load", () => {
  it("says how the load went, that the models stayed resident, and each model's median and tail", () => {
    expect(shown(loadReport()).split("\n")).toEqual([
      "#### Under load",
      "",
      "✅ 20/20 conversations passed, 2 at a time (the image's OLLAMA_NUM_PARALLEL), 18.2 s. " +
        "✅ `theo-voice`, `theo-classifier` stayed loaded together (73 samples of /api/ps, 3.71 GiB together).",
      "",
      "| Model | Conversations | TTFT p50 / p95 | Tool call p50 / p95 | Queue wait p50 / p95 | Decode p50 / p5 |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      "| `theo-voice` | 10/10 | 120 / 340 ms | 210 / 481 ms | 3.2 / 95 ms | 38 / 31.5 |",
      "| `theo-classifier` | 10/10 | – | – | – | – |",
    ]);
  });

  it("marks a missed budget and names the evicted models with the time", () => {
    const load = loadReport({
      passed: false,
      conversations_passed: 18,
      evictions: [{ model: "theo-voice", at_ms: 1234, missing_samples: 3, loaded_then: ["big"] }],
      models: { "theo-voice": modelUnderLoad({ budgets: { ttft_ms: 300, decode_tps: 35 } }) },
    });
    const text = shown(load);
    expect(text).toContain("❌ 18/20 conversations passed");
    expect(text).toContain("❌ Evicted during the load: `theo-voice` at 1.2 s.");
    expect(text).toContain("| `theo-voice` | 10/10 | 120 / 340 ms ❌ | 210 / 481 ms | 3.2 / 95 ms | 38 / 31.5 ❌ |");
  });

  it("keeps a hostile model name inside its code span", () => {
    const hostile = "a|b`<img src=x>@team\nrow";
    const text = shown(loadReport({ resident: [hostile], models: { [hostile]: modelUnderLoad() } }));
    expect(text).toContain("| `a\\|b'<img src=x>@team row` | 10/10 |");
    expect(text.split("\n").filter((line) => line.startsWith("|"))).toHaveLength(3);
  });

  it("is left out without a load, and is part of the comment with one", () => {
    expect(shown(undefined)).toBe("");
    expect(render({ head: smokeReport() })).not.toContain("Under load");
    expect(render({ head: smokeReport({ load: loadReport() }) })).toContain(
      "| `theo-voice` | 10/10 | 120 / 340 ms | 210 / 481 ms | 3.2 / 95 ms | 38 / 31.5 |",
    );
  });
});

/** The paired comparison in the comment: rows with intervals and p-values, the calls, and what it says when unpaired. */
import { describe, expect, it } from "vitest";
import { GITHUB_COMMENT_LIMIT } from "../../src/report/render.js";
import type { PairedComparison } from "../../src/smoke/paired-schema.js";
import { caseReport, render, smokeReport, tableRows } from "./fixtures.js";

const metric = (overrides: Partial<PairedComparison["models"][string]["metrics"][number]> = {}) => ({
  metric: "ttft_ms",
  unit: "ms",
  better: "lower" as const,
  base: { n: 36, median: 95 },
  head: { n: 36, median: 106 },
  shift: 10.4,
  lower: 8.2,
  upper: 12.9,
  test: "signed-rank" as const,
  pairs: 36,
  p: 0.00002,
  verdict: "worse" as const,
  ...overrides,
});

function paired(overrides: Partial<PairedComparison> = {}): PairedComparison {
  return {
    base_image: "ghcr.io/theo/models:m-base00000000",
    mode: "interleaved",
    mode_reason: "5,200 MiB for both images, 20,000 MiB free",
    alpha: 0.05,
    confidence: 0.95,
    min_effect: 0.05,
    cases_tested: 12,
    cases: [
      {
        id: "suporte",
        model: "theo-voice-agent",
        base: { runs: 10, passes: 10, all_passed: true },
        head: { runs: 10, passes: 2, all_passed: false },
        p: 0.0004,
        regression: true,
      },
      {
        id: "vendas",
        model: "theo-voice-agent",
        base: { runs: 10, passes: 10, all_passed: true },
        head: { runs: 10, passes: 10, all_passed: true },
        p: 1,
        regression: false,
      },
    ],
    models: {
      "theo-voice-agent": {
        metrics: [
          metric(),
          metric({
            metric: "decode_tps",
            unit: "tok/s",
            better: "higher",
            shift: -0.2,
            lower: -0.9,
            upper: 0.4,
            p: 0.6,
            verdict: "unchanged",
            base: { n: 36, median: 45 },
            head: { n: 36, median: 44.8 },
          }),
        ],
        memory: { base: 2_600 * 1024 * 1024, head: 2_610 * 1024 * 1024 },
      },
    },
    ...overrides,
  };
}

describe("renderReport: a paired comparison", () => {
  it("shows each metric's medians, the shift with its interval and p, and the called regressions", () => {
    const body = render({ head: smokeReport({ paired: paired() }) });
    expect(body).toContain("Paired with the base commit's image on this runner (below).");
    expect(body).toContain("#### Paired with the base commit's image");
    expect(body).toContain(
      "both servers up, requests alternating A B B A (5,200 MiB for both images, 20,000 MiB free)",
    );
    const rows = tableRows(body);
    expect(rows).toContain("| TTFT (median) | 95 ms | 106 ms | +10.4 ms [+8.2 ms, +12.9 ms] ▲ worse | < 0.001 |");
    expect(rows).toContain("| Decode (median) | 45 tok/s | 44.8 tok/s | -0.2 tok/s [-0.9 tok/s, +0.4 tok/s] | 0.60 |");
    expect(rows).toContain("| Resident memory | 2.54 GiB | 2.55 GiB | | |");
    expect(rows).toContain("| `suporte` | 10/10 ✓ | 2/10 | < 0.001 ▼ worse |");
    expect(body).toContain("1 other case passed as often on both images.");
    expect(body).toContain(
      "p: Wilcoxon's signed-rank test on matched pairs, the same request in the same round on both images)",
    );
    expect(body).toContain("12 cases tested, so about 0.6 false calls by chance");
    expect(body).toMatch(/\*\*✅ Passed\*\*: smoke passed: .*; ⚠️ 2 regressions against the base image\./);
  });

  it("in blocks, nothing pairs the samples: the lead names Mann–Whitney's test", () => {
    const blocks = paired({
      mode: "blocks",
      models: { m: { metrics: [metric({ test: "rank-sum", pairs: undefined })], memory: {} } },
    });
    const body = render({ head: smokeReport({ paired: blocks }) });
    expect(body).toContain("one server at a time, in blocks A B B A");
    expect(body).toContain("p: Mann–Whitney's test on the two samples)");
    expect(body).not.toContain("signed-rank");
  });

  it("thousands of models and cases in the comparison still fit GitHub's limit, the section's lead kept", () => {
    const names = Array.from({ length: 3000 }, (_, i) => `model-${i}-${"n".repeat(200)}`);
    const huge = paired({
      cases_tested: names.length * 4,
      cases: names.flatMap((model) =>
        Array.from({ length: 4 }, (_, i) => ({
          id: `case-${i}-${"c".repeat(300)}`,
          model,
          base: { runs: 10, passes: 10, all_passed: true },
          head: { runs: 10, passes: 1, all_passed: false },
          p: 0.0001,
          regression: true,
        })),
      ),
      models: Object.fromEntries(names.map((model) => [model, { metrics: [metric(), metric()], memory: {} }])),
    });
    const body = render({ head: smokeReport({ paired: huge }) });
    expect([...body].length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toContain("#### Paired with the base commit's image");
    expect(body).toContain("12,000 cases tested");
  });

  it("an interval the samples cannot bound says so and gets no arrow", () => {
    const open = paired({
      models: { m: { metrics: [metric({ lower: null, upper: null, verdict: "unchanged" })], memory: {} } },
    });
    const rows = tableRows(render({ head: smokeReport({ paired: open }) }));
    expect(rows).toContain("| TTFT (median) | 95 ms | 106 ms | +10.4 ms [too few runs to bound it] | < 0.001 |");
  });

  it("not paired: says why and where and when the saved baseline was measured", () => {
    const baseline = smokeReport();
    baseline.environment = {
      ...baseline.environment,
      started_at: "2026-12-01T10:00:00.000Z",
      runner: { os: "Linux 6.1", arch: "x64", cpus: 4, memory_mib: 16_000, node: "v24" },
    };
    const body = render({ head: smokeReport(), baseline, notPaired: "not a pull request" });
    expect(body).toContain(
      "Not paired (not a pull request): compared with the smoke report of the base commit, measured on Linux 6.1, x64, 4 CPUs on 2026-12-01.",
    );
    expect(body).not.toContain("#### Paired");
  });

  it("a paired comparison of many models still fits GitHub's limit, cut from the end", () => {
    const models = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [
        `model-${i}-${"x".repeat(80)}`,
        { metrics: [metric(), metric(), metric()], memory: {} },
      ]),
    );
    const cases = Array.from(
      { length: 4000 },
      (_, i) =>
        ({
          ...paired().cases[0],
          id: `case-${i}`,
          model: `model-${i % 400}-${"x".repeat(80)}`,
        }) as PairedComparison["cases"][number],
    );
    const head = smokeReport({ paired: paired({ models, cases, cases_tested: 4000 }), cases: [caseReport()] });
    const body = render({ head });
    expect(body.length).toBeLessThanOrEqual(65_000);
    expect(body).toContain("#### Paired with the base commit's image");
    expect(body).toMatch(/left out [^.]*paired comparisons/);
  });
});

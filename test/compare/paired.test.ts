/** The paired comparison's calls: what earns an arrow, what a case regression is, and what is left out. */
import { describe, expect, it } from "vitest";
import {
  compareCase,
  comparePaired,
  comparePairs,
  compareSamples,
  DEFAULT_PAIRED_SETTINGS,
  PAIRED_METRICS,
} from "../../src/compare/paired.js";
import type { CaseReport } from "../../src/smoke/types.js";
import {
  fisherExact,
  hodgesLehmannPairedShift,
  hodgesLehmannShift,
  mannWhitneyU,
  wilcoxonSignedRank,
} from "../../src/statistics/statistics.js";

const ttft = PAIRED_METRICS.find((m) => m.key === "ttft_ms");
const decode = PAIRED_METRICS.find((m) => m.key === "decode_tps");
if (ttft === undefined || decode === undefined) throw new Error("ttft_ms and decode_tps are paired metrics");

/** `n` values around `center`, spread evenly over ±`spread`: deterministic, no ties. */
const around = (center: number, spread: number, n = 30) =>
  Array.from({ length: n }, (_, i) => center - spread + (2 * spread * (i + 0.5)) / n);

describe("a metric, base samples against head samples", () => {
  it.each([
    ["a clear slowdown past the minimum effect", ttft, around(100, 5), around(110, 5), "worse"],
    ["a clear speed-up", ttft, around(100, 5), around(90, 5), "better"],
    ["a real but small shift (2 %, under the 5 % minimum)", ttft, around(100, 1), around(102, 1), "unchanged"],
    ["a large but noisy shift (the interval includes zero)", ttft, around(100, 60, 6), around(110, 60, 6), "unchanged"],
    ["higher is better: a lower decode speed is worse", decode, around(50, 2), around(40, 2), "worse"],
    ["higher is better: a higher decode speed is better", decode, around(50, 2), around(60, 2), "better"],
  ])("%s → %s", (_, metric, base, head, verdict) => {
    const result = compareSamples(metric, base, head, DEFAULT_PAIRED_SETTINGS);
    expect(result.verdict).toBe(verdict);
    const expected = hodgesLehmannShift(base, head);
    expect([result.shift, result.lower, result.upper]).toEqual([expected.shift, expected.lower, expected.upper]);
  });

  it("too few samples to bound the shift: the interval is open (null) and nothing is called", () => {
    const result = compareSamples(ttft, [100, 101, 102], [200, 201, 202], DEFAULT_PAIRED_SETTINGS);
    expect(result).toMatchObject({ lower: null, upper: null, verdict: "unchanged" });
  });

  it("the minimum effect is the caller's", () => {
    const [base, head] = [around(100, 1), around(103, 1)];
    expect(compareSamples(ttft, base, head, { ...DEFAULT_PAIRED_SETTINGS, minEffect: 0.05 }).verdict).toBe("unchanged");
    expect(compareSamples(ttft, base, head, { ...DEFAULT_PAIRED_SETTINGS, minEffect: 0.02 }).verdict).toBe("worse");
  });
});

/**
 * 36 matched pairs on a runner whose speed swings by ±60 ms from round to round (a sawtooth), far more than the
 * head's +`shift` ms; each member of a pair also has its own small, deterministic jitter.
 */
function drifting(shift: number) {
  const drift = Array.from({ length: 36 }, (_, i) => 60 * ((i % 6) / 5 - 0.5) * (i % 12 < 6 ? 1 : -1));
  const jitter = (i: number, side: number) => ((i * 7 + side * 3) % 11) / 5 - 1;
  return {
    base: drift.map((d, i) => 100 + d + jitter(i, 0)),
    head: drift.map((d, i) => 100 + d + shift + jitter(i, 1)),
  };
}

describe("a metric, matched pairs", () => {
  it("sees a 10 ms shift through a drift the two-sample comparison cannot see past", () => {
    const { base, head } = drifting(10);
    const paired = comparePairs(ttft, base, head, DEFAULT_PAIRED_SETTINGS);
    const d = head.map((h, i) => h - (base[i] as number));
    const expected = hodgesLehmannPairedShift(d);
    expect(paired).toMatchObject({ test: "signed-rank", pairs: 36, verdict: "worse", p: wilcoxonSignedRank(d).p });
    expect([paired.shift, paired.lower, paired.upper]).toEqual([expected.shift, expected.lower, expected.upper]);
    expect(paired.lower).toBeLessThanOrEqual(10);
    expect(paired.upper).toBeGreaterThanOrEqual(10);
    const unpaired = compareSamples(ttft, base, head, DEFAULT_PAIRED_SETTINGS);
    expect(unpaired).toMatchObject({ test: "rank-sum", verdict: "unchanged", p: mannWhitneyU(base, head).p });
    expect(unpaired.lower).toBeLessThan(0);
  });

  it("no shift under the same drift: nothing is called", () => {
    const { base, head } = drifting(0);
    expect(comparePairs(ttft, base, head, DEFAULT_PAIRED_SETTINGS).verdict).toBe("unchanged");
  });

  it("pairs only the slots both images measured; with none in common, compares the samples", () => {
    const { base, head } = drifting(10);
    const withGaps = comparePairs(
      ttft,
      base.map((b, i) => (i % 4 === 0 ? null : b)),
      head.map((h, i) => (i % 6 === 0 ? null : h)),
      DEFAULT_PAIRED_SETTINGS,
    );
    expect(withGaps).toMatchObject({ test: "signed-rank", pairs: 24, base: { n: 24 }, head: { n: 24 } });
    const apart = comparePairs(ttft, [100, 101, null, null], [null, null, 110, 111], DEFAULT_PAIRED_SETTINGS);
    expect(apart).toMatchObject({ test: "rank-sum", base: { n: 2 }, head: { n: 2 } });
    expect(apart.pairs).toBeUndefined();
  });

  it("identical pairs: p is 1 and nothing moved", () => {
    const same = around(100, 5);
    expect(comparePairs(ttft, same, same, DEFAULT_PAIRED_SETTINGS)).toMatchObject({
      shift: 0,
      p: 1,
      verdict: "unchanged",
    });
  });
});

const caseReport = (id: string, runs: number, passes: number, model = "m"): CaseReport => ({
  id,
  model,
  file: "c.yaml",
  critical: false,
  passed: passes === runs,
  runs,
  passes,
  flaky: passes > 0 && passes < runs,
  failures: [],
});

describe("a case, base passes against head passes", () => {
  it.each([
    ["3 of 3 → 2 of 3: noise, not a regression", 3, 3, 2, false],
    ["3 of 3 → 0 of 3: not enough runs to call it at α = 0.05", 3, 3, 0, false],
    ["10 of 10 → 2 of 10: a regression", 10, 10, 2, true],
    ["2 of 10 → 10 of 10: better is never a regression", 10, 2, 10, false],
  ])("%s", (_, runs, basePasses, headPasses, regression) => {
    const result = compareCase(
      caseReport("c", runs, basePasses),
      caseReport("c", runs, headPasses),
      DEFAULT_PAIRED_SETTINGS,
    );
    expect(result.regression).toBe(regression);
    expect(result.p).toBe(
      fisherExact(
        [
          [headPasses, runs - headPasses],
          [basePasses, runs - basePasses],
        ],
        "less",
      ),
    );
    expect(result.base.all_passed).toBe(basePasses === runs);
    expect(result.head.all_passed).toBe(headPasses === runs);
  });
});

describe("comparePaired", () => {
  it("tests the cases both images ran, per model the metrics both measured, and keeps both memories", () => {
    const base = {
      cases: [caseReport("a", 5, 5), caseReport("gone", 5, 5), caseReport("b", 5, 5, "other")],
      samples: { m: { ttft_ms: around(100, 5), decode_tps: around(50, 1) } },
      memory: { m: 1_000 },
    };
    const head = {
      cases: [caseReport("a", 5, 4), caseReport("new", 5, 5), caseReport("b", 0, 0, "other")],
      samples: { m: { ttft_ms: around(112, 5) } },
      memory: { m: 1_100 },
    };
    const result = comparePaired(base, head, { baseImage: "r/m:m-base", mode: "interleaved", modeReason: "room" });
    expect(result.cases.map((c) => c.id)).toEqual(["a"]);
    expect(result.cases_tested).toBe(1);
    expect(result.models.m?.metrics.map((m) => [m.metric, m.verdict])).toEqual([["ttft_ms", "worse"]]);
    expect(result.models.m?.memory).toEqual({ base: 1_000, head: 1_100 });
    expect(result).toMatchObject({ base_image: "r/m:m-base", mode: "interleaved", alpha: 0.05, min_effect: 0.05 });
    expect(result.models.m?.metrics[0]?.test).toBe("signed-rank");
  });

  it("in blocks the same slot ran minutes apart: the samples are compared as independent", () => {
    const { base, head } = drifting(10);
    const arm = (ttft_ms: number[]) => ({ cases: [], samples: { m: { ttft_ms } }, memory: {} });
    const result = comparePaired(arm(base), arm(head), { baseImage: "b", mode: "blocks", modeReason: "no room" });
    expect(result.models.m?.metrics[0]).toMatchObject({ test: "rank-sum", verdict: "unchanged" });
  });
});

/**
 * Base against head, measured together on one runner: per case, did the head pass less often (Fisher's exact
 * test); per metric, by how much did it move (the Hodges–Lehmann shift with its distribution-free interval, and a
 * p-value: Wilcoxon's signed-rank test on matched pairs when both servers were up, else Mann–Whitney's). A shift earns an arrow only when its interval excludes zero and it is larger than the
 * minimum effect: a 4B model's sampled tool calls and a shared runner's jitter make smaller moves noise.
 */
import { REQUEST_METRICS } from "../smoke/metric-registry.js";
import { type MetricSamples, valuesOf } from "../smoke/metrics.js";
import type { CaseComparison, MetricComparison, PairedComparison } from "../smoke/paired-schema.js";
import type { CaseReport } from "../smoke/report-schema.js";
import {
  fisherExact,
  hodgesLehmannPairedShift,
  hodgesLehmannShift,
  mannWhitneyU,
  median,
  type ShiftEstimate,
  wilcoxonSignedRank,
} from "../statistics/statistics.js";

export interface PairedSettings {
  /** The significance level a case regression is called at. */
  alpha: number;
  /** The confidence of the shift's interval. */
  confidence: number;
  /** The smallest shift worth an arrow, relative to the base's median. */
  minEffect: number;
}

export const DEFAULT_PAIRED_SETTINGS: PairedSettings = { alpha: 0.05, confidence: 0.95, minEffect: 0.05 };

/** What one image's smoke gives the comparison. */
export interface ArmResult {
  cases: readonly CaseReport[];
  /** Per model. */
  samples: Readonly<Record<string, MetricSamples>>;
  /** Resident bytes per model (/api/ps), when listed. */
  memory: Readonly<Record<string, number | undefined>>;
}

export const PAIRED_METRICS = REQUEST_METRICS.filter((metric) => "paired" in metric && metric.paired === true);

const finite = (value: number) => (Number.isFinite(value) ? value : null);

/** ▲/▼ only when the interval excludes zero and the shift is larger than the minimum effect. */
function verdictOf(
  metric: (typeof PAIRED_METRICS)[number],
  estimate: ShiftEstimate,
  baseMedian: number,
  settings: PairedSettings,
): MetricComparison["verdict"] {
  const { shift, lower, upper } = estimate;
  if (!(lower > 0 || upper < 0) || Math.abs(shift) <= settings.minEffect * Math.abs(baseMedian)) return "unchanged";
  return (metric.better === "lower") === shift > 0 ? "worse" : "better";
}

function comparison(
  metric: (typeof PAIRED_METRICS)[number],
  samples: { base: readonly number[]; head: readonly number[] },
  estimate: ShiftEstimate,
  test: Pick<MetricComparison, "test" | "p" | "pairs">,
  settings: PairedSettings,
): MetricComparison {
  const baseMedian = median(samples.base);
  return {
    metric: metric.key,
    unit: metric.unit,
    better: metric.better,
    base: { n: samples.base.length, median: baseMedian },
    head: { n: samples.head.length, median: median(samples.head) },
    shift: estimate.shift,
    lower: finite(estimate.lower),
    upper: finite(estimate.upper),
    ...test,
    verdict: verdictOf(metric, estimate, baseMedian, settings),
  };
}

/**
 * One metric, two independent samples (the images measured in blocks, or a saved report): the two-sample
 * Hodges–Lehmann shift and the Mann–Whitney (rank-sum) p.
 */
export function compareSamples(
  metric: (typeof PAIRED_METRICS)[number],
  base: readonly number[],
  head: readonly number[],
  settings: PairedSettings,
): MetricComparison {
  const estimate = hodgesLehmannShift(base, head, settings.confidence);
  return comparison(metric, { base, head }, estimate, { test: "rank-sum", p: mannWhitneyU(base, head).p }, settings);
}

/**
 * One metric, matched pairs (both servers up: slot i of each image is the same request in the same round, a
 * few requests apart): the paired Hodges–Lehmann shift of the differences head − base and the Wilcoxon
 * signed-rank p. Whatever slowed the runner down for both members of a pair cancels in its difference. Slots
 * where either image has no value are left out; with no pair at all, the samples are compared as independent.
 */
export function comparePairs(
  metric: (typeof PAIRED_METRICS)[number],
  base: readonly (number | null)[],
  head: readonly (number | null)[],
  settings: PairedSettings,
): MetricComparison {
  const pairs = base.flatMap((b, i) => (b === null || head[i] == null ? [] : [[b, head[i] as number] as const]));
  if (pairs.length === 0) return compareSamples(metric, valuesOf(base), valuesOf(head), settings);
  const differences = pairs.map(([b, h]) => h - b);
  const estimate = hodgesLehmannPairedShift(differences, settings.confidence);
  // Every pair equal: the signed-rank test says nothing, and nothing moved.
  const p = differences.every((d) => d === 0) ? 1 : wilcoxonSignedRank(differences).p;
  const samples = { base: pairs.map(([b]) => b), head: pairs.map(([, h]) => h) };
  return comparison(metric, samples, estimate, { test: "signed-rank", p, pairs: pairs.length }, settings);
}

/** One case: pass counts, pass^k on each image, and whether the head passes significantly less often. */
export function compareCase(base: CaseReport, head: CaseReport, settings: PairedSettings): CaseComparison {
  const arm = (c: CaseReport) => ({ runs: c.runs, passes: c.passes, all_passed: c.runs > 0 && c.passes === c.runs });
  const p = fisherExact(
    [
      [head.passes, head.runs - head.passes],
      [base.passes, base.runs - base.passes],
    ],
    "less",
  );
  return { id: head.id, model: head.model, base: arm(base), head: arm(head), p, regression: p < settings.alpha };
}

const caseKey = (c: CaseReport) => `${c.model}\0${c.id}`;

export function comparePaired(
  base: ArmResult,
  head: ArmResult,
  context: { baseImage: string; mode: PairedComparison["mode"]; modeReason: string },
  settings: PairedSettings = DEFAULT_PAIRED_SETTINGS,
): PairedComparison {
  const baseCases = new Map(base.cases.map((c) => [caseKey(c), c]));
  const cases = head.cases.flatMap((c) => {
    const other = baseCases.get(caseKey(c));
    return other === undefined || other.runs === 0 || c.runs === 0 ? [] : [compareCase(other, c, settings)];
  });
  const models: PairedComparison["models"] = {};
  for (const [model, samples] of Object.entries(head.samples)) {
    const baseSamples = base.samples[model] ?? {};
    const metrics = PAIRED_METRICS.flatMap((metric) => {
      const [b, h] = [baseSamples[metric.key] ?? [], samples[metric.key] ?? []];
      if (valuesOf(b).length === 0 || valuesOf(h).length === 0) return [];
      // In blocks the same slot on the two images ran minutes apart: nothing pairs them.
      return context.mode === "interleaved"
        ? [comparePairs(metric, b, h, settings)]
        : [compareSamples(metric, valuesOf(b), valuesOf(h), settings)];
    });
    const [baseMemory, headMemory] = [base.memory[model], head.memory[model]];
    models[model] = {
      metrics,
      memory: {
        ...(baseMemory === undefined ? {} : { base: baseMemory }),
        ...(headMemory === undefined ? {} : { head: headMemory }),
      },
    };
  }
  return {
    base_image: context.baseImage,
    mode: context.mode,
    mode_reason: context.modeReason,
    alpha: settings.alpha,
    confidence: settings.confidence,
    min_effect: settings.minEffect,
    cases_tested: cases.length,
    cases,
    models,
  };
}

/**
 * Head against base, one figure at a time: the difference, and whether it is past run-to-run noise (then it gets
 * an arrow and a verdict, better or worse by the metric's direction). The figures and the noise rules come from
 * the metric registry.
 */
import { type MetricDefinition, NOISE, type NoiseRule } from "../smoke/metric-registry.js";
import {
  isRequestMetric,
  MODEL_METRICS,
  type ModelView,
  modelDetail,
  modelValue,
  SERVER_METRICS,
  serverValue,
} from "../smoke/metric-values.js";
import type { SmokeEnvironment } from "../smoke/types.js";

export { NOISE, type NoiseRule } from "../smoke/metric-registry.js";

export const beyondNoise = (change: number, base: number, rule: NoiseRule) =>
  Math.abs(change) > Math.max(rule.relative * Math.abs(base), rule.floor);

export const describeRule = (rule: NoiseRule) =>
  rule.relative === 0
    ? `${rule.appliesTo}: any change`
    : `${rule.appliesTo}: |Δ| > max(${rule.relative * 100} % of base, ${rule.floor} ${rule.unit})`;

/** One figure a table row shows, read from a T (a model's results and cases, or the environment): `TTFT p50`. */
export interface Figure<T> {
  label: string;
  metric: MetricDefinition;
  read: (source: T) => number | undefined;
  /** Said after the value. */
  detail?: (source: T) => string | undefined;
}

/** A row per quantile the comment shows of a distribution, one row for any other metric. */
export const MODEL_FIGURES: readonly Figure<ModelView>[] = MODEL_METRICS.flatMap((metric): Figure<ModelView>[] =>
  isRequestMetric(metric)
    ? metric.comment.map((stat) => ({
        label: `${metric.label} ${stat}`,
        metric,
        read: (view) => modelValue(metric, view, stat),
      }))
    : [
        {
          label: metric.label,
          metric,
          read: (view) => modelValue(metric, view),
          detail: (view) => modelDetail(metric, view),
        },
      ],
);

export const SERVER_FIGURES: readonly Figure<SmokeEnvironment>[] = SERVER_METRICS.map((metric) => ({
  label: metric.label,
  metric,
  read: (environment) => serverValue(metric, environment),
}));

/** One figure, head against base: what a table row and the JSON report say. */
export interface MetricComparison {
  metric: string;
  unit: string;
  head?: number;
  base?: number;
  /** Head minus base, when both are known. */
  delta?: number;
  /** Set only when the change is past the noise rule (NOISE). */
  change?: "better" | "worse";
}

/** Undefined when neither side has the figure. */
export function compare<T>(figure: Figure<T>, head: T, base: T | undefined): MetricComparison | undefined {
  const headValue = figure.read(head);
  const baseValue = base === undefined ? undefined : figure.read(base);
  if (headValue === undefined && baseValue === undefined) return undefined;
  const comparison: MetricComparison = { metric: figure.label, unit: figure.metric.unit };
  if (headValue !== undefined) comparison.head = headValue;
  if (baseValue !== undefined) comparison.base = baseValue;
  if (headValue !== undefined && baseValue !== undefined) {
    comparison.delta = headValue - baseValue;
    if (beyondNoise(comparison.delta, baseValue, NOISE[figure.metric.noise])) {
      comparison.change = comparison.delta > 0 === (figure.metric.better === "lower") ? "worse" : "better";
    }
  }
  return comparison;
}

/** Every figure either side has, compared. */
export const comparisons = <T>(figures: readonly Figure<T>[], head: T, base: T | undefined) =>
  figures.flatMap((figure) => compare(figure, head, base) ?? []);

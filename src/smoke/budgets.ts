/**
 * Budgets: the seed review's targets are the defaults (GPU: TTFT under 100 ms and over 40 tok/s; CPU: under
 * 300 ms and over 15 tok/s; tool calls right more than 95 % of the time; the metric registry holds them). Case
 * files and inputs override them per model; a case may carry its own. A number bounds the median; `{p50, p90}`
 * bounds either. A budget bounds from above when lower is better, from below when higher is.
 */
import {
  BUDGETED_METRICS,
  type BudgetedMetric,
  type BudgetKey,
  type Quantile,
  type QuantileBudgetMetric,
  type RequestMetricKey,
  SINGLE_BUDGET_METRICS,
  type SingleBudgetMetric,
} from "./metric-registry.js";
import type { BudgetOverrides, Budgets, Distribution, MetricBudget } from "./types.js";

const defaultsOn = (where: "gpu" | "cpu"): Budgets =>
  Object.fromEntries(
    BUDGETED_METRICS.flatMap((metric) => {
      const defaults = "defaults" in metric.budget ? metric.budget.defaults : undefined;
      return defaults === undefined ? [] : [[metric.key, defaults[where]]];
    }),
  );

export const DEFAULT_BUDGETS: Record<"gpu" | "cpu", Budgets> = { gpu: defaultsOn("gpu"), cpu: defaultsOn("cpu") };

/** Later sources win, metric by metric. */
export function mergeBudgets(...sources: (Budgets | undefined)[]): Budgets {
  return Object.assign({}, ...sources.filter((s) => s !== undefined)) as Budgets;
}

/** What budgets are judged against: the timed runs' distributions, and the metrics that have one value. */
export type BudgetSubject = { metrics: Partial<Record<RequestMetricKey, Distribution>> } & {
  [K in SingleBudgetMetric["key"]]?: number;
};

function bounds(budget: MetricBudget): [Quantile, number][] {
  if (typeof budget === "number") return [["p50", budget]];
  return (["p50", "p90"] as const).flatMap((q) => (budget[q] === undefined ? [] : [[q, budget[q]]]));
}

export const formatNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const withUnit = (value: number, unit: string) => `${formatNumber(value)}${unit === "" ? "" : ` ${unit}`}`;

/** `ttft_ms p50 412 ms > budget 300 ms (+112 ms)`, `decode_tps p50 35.5 tok/s < budget 40 (−4.5)`. */
function describeMiss(metric: BudgetedMetric, quantile: Quantile | undefined, value: number, limit: number): string {
  const wording = "wording" in metric.budget ? metric.budget.wording : undefined;
  const { name, limitUnit, deltaUnit } = wording ?? {
    name: metric.key,
    limitUnit: metric.unit,
    deltaUnit: metric.unit,
  };
  const subject = `${name}${quantile === undefined ? "" : ` ${quantile}`} ${withUnit(value, metric.unit)}`;
  return metric.better === "lower"
    ? `${subject} > budget ${withUnit(limit, limitUnit)} (+${withUnit(value - limit, deltaUnit)})`
    : `${subject} < budget ${withUnit(limit, limitUnit)} (−${withUnit(limit - value, deltaUnit)})`;
}

/** Whether a value misses its budget: above it where lower is better, below it where higher is. */
export const missesBudget = (better: "lower" | "higher", value: number, limit: number) =>
  better === "lower" ? value > limit : value < limit;

const missed = (metric: BudgetedMetric, value: number, limit: number) => missesBudget(metric.better, value, limit);

/** The measured value for each bound of a budget; undefined when nothing was measured. */
function measuredBounds(
  metric: BudgetedMetric,
  budget: MetricBudget,
  subject: BudgetSubject,
): [Quantile | undefined, number, number][] | undefined {
  if (isQuantileBudget(metric)) {
    const measured = subject.metrics[metric.key];
    return measured && bounds(budget).map(([quantile, limit]) => [quantile, measured[quantile], limit]);
  }
  const measured = subject[metric.key];
  return measured === undefined ? undefined : [[undefined, measured, budget as number]];
}

const isQuantileBudget = (metric: BudgetedMetric): metric is QuantileBudgetMetric => metric.stored === "distribution";

/**
 * Each missed budget as a sentence saying which and by how much. A budget in `strict` (one a case file or an
 * input asked for) also fails when nothing was measured for it; the others judge only what was measured.
 */
export function missedBudgets(budgets: Budgets, subject: BudgetSubject, strict: readonly BudgetKey[] = []): string[] {
  return BUDGETED_METRICS.flatMap((metric) => {
    const budget = budgets[metric.key];
    if (budget === undefined) return [];
    const measured = measuredBounds(metric, budget, subject);
    if (measured === undefined) {
      return strict.includes(metric.key) ? [`${metric.key}: no run measured it, so its budget cannot be met`] : [];
    }
    return measured.flatMap(([quantile, value, limit]) =>
      missed(metric, value, limit) ? [describeMiss(metric, quantile, value, limit)] : [],
    );
  });
}

const BUDGET_NAMES = BUDGETED_METRICS.map((metric) => metric.key);
const SINGLE_VALUED: readonly string[] = SINGLE_BUDGET_METRICS.map((metric) => metric.key);
const ASSIGNMENT = new RegExp(
  `^(?:([^\\s:=]+):)?(${BUDGET_NAMES.join("|")})(?:\\.(p50|p90))?\\s*=\\s*(\\d+(?:\\.\\d+)?)$`,
);

/**
 * Budgets given as inputs or flags, one per line: `ttft_ms=300`, `ttft_ms.p90=800`, `decode_tps=15`, and
 * `theo-voice-agent:ttft_ms=250` for one model. `label` names the source in errors (none: no prefix).
 */
export function parseBudgetAssignments(lines: readonly string[], label = ""): BudgetOverrides {
  const prefix = label === "" ? "" : `${label}: `;
  const overrides: BudgetOverrides = { all: {}, models: {} };
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const match = ASSIGNMENT.exec(line);
    if (match === null) {
      throw new Error(
        `${prefix}${JSON.stringify(line)} is not a budget ([MODEL:]NAME=NUMBER or NAME.p90=NUMBER; names: ${BUDGET_NAMES.join(", ")})`,
      );
    }
    const [, model, name, quantile, value] = match as unknown as [
      string,
      string | undefined,
      string,
      string | undefined,
      string,
    ];
    if (model !== undefined) overrides.models[model] ??= {};
    const target = (model === undefined ? overrides.all : overrides.models[model]) as Record<string, unknown>;
    if (quantile === undefined) {
      const existing = target[name];
      // `ttft_ms.p90=800` then `ttft_ms=300`: the median joins the p90 bound rather than replacing it.
      target[name] = typeof existing === "object" ? { ...existing, p50: Number(value) } : Number(value);
    } else if (SINGLE_VALUED.includes(name)) {
      throw new Error(`${prefix}${name} takes a single number, not a percentile`);
    } else {
      const existing = target[name];
      target[name] = {
        ...(typeof existing === "number" ? { p50: existing } : (existing as object | undefined)),
        [quantile]: Number(value),
      };
    }
  }
  return overrides;
}

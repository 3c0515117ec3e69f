/**
 * The load's figures and verdict (pure): per model, the quantiles of each metric over every reply under load,
 * the budgets judged against the slow tail (load-report.ts says which), and one failure line per eviction, per
 * kind of failed conversation and per missed budget.
 */

import { formatNumber, missesBudget } from "./budgets.js";
import type { LoadProfile } from "./load-cases.js";
import type { ConversationResult } from "./load-conversation.js";
import {
  type Eviction,
  LOAD_METRIC_KEYS,
  LOAD_METRICS,
  type LoadBudgets,
  type LoadDistribution,
  type LoadMetricKey,
  type LoadModelReport,
  tailOf,
} from "./load-report.js";
import { quantilesOf } from "./metrics.js";

export function loadDistribution(values: readonly number[]): LoadDistribution | undefined {
  if (values.length === 0) return undefined;
  const { at } = quantilesOf(values);
  return { n: values.length, p5: at(0.05), p50: at(0.5), p95: at(0.95) };
}

const withUnit = (value: number, unit: string) => `${formatNumber(value)}${unit === "ms" ? " ms" : ""}`;

/** `ttft_ms p95 912 ms > budget 800 ms under load (+112 ms)`; a budget with nothing measured is missed too. */
export function missedLoadBudgets(budgets: LoadBudgets, metrics: LoadModelReport["metrics"]): string[] {
  return (Object.entries(budgets) as [LoadMetricKey, number | undefined][]).flatMap(([key, limit]) => {
    if (limit === undefined) return [];
    const measured = metrics[key];
    if (measured === undefined) return [`${key}: no request under load measured it, so its budget cannot be met`];
    const { unit, better } = LOAD_METRICS[key];
    const tail = tailOf(key);
    const value = measured[tail];
    if (!missesBudget(better, value, limit)) return [];
    const subject = `${key} ${tail} ${withUnit(value, unit)}`;
    return better === "lower"
      ? [`${subject} > budget ${withUnit(limit, unit)} under load (+${withUnit(value - limit, unit)})`]
      : [`${subject} < budget ${withUnit(limit, unit)} under load (−${withUnit(limit - value, unit)})`];
  });
}

/** One model's figures over its conversations, judged against its budgets under load. */
export function modelUnderLoad(results: readonly ConversationResult[], budgets: LoadBudgets = {}): LoadModelReport {
  const figures = results.flatMap((result) => result.figures);
  const metrics: LoadModelReport["metrics"] = {};
  for (const key of LOAD_METRIC_KEYS) {
    const distribution = loadDistribution(figures.flatMap((f) => (f[key] === undefined ? [] : [f[key]])));
    if (distribution !== undefined) metrics[key] = distribution;
  }
  return {
    conversations: results.length,
    conversations_passed: results.filter((result) => result.failure === undefined).length,
    requests: figures.length,
    metrics,
    budgets,
    budget_failures: missedLoadBudgets(budgets, metrics),
  };
}

export const evictionLine = (eviction: Eviction, samples: number) =>
  `${eviction.model} must stay resident but was not loaded ${eviction.at_ms} ms into the load ` +
  `(/api/ps listed: ${eviction.loaded_then.join(", ") || "nothing"}; missing in ${eviction.missing_samples} of ${samples} samples)`;

/** Failed conversations, one line per script and reason: `conversation transfer (agent) failed 3 of 10 times: turn 2: …`. */
export function conversationFailureLines(results: readonly ConversationResult[]): string[] {
  const byScript = Map.groupBy(results, (result) => result.script);
  return [...byScript].flatMap(([script, runs]) => {
    const reasons = Map.groupBy(
      runs.filter((run) => run.failure !== undefined),
      (run) => run.failure as string,
    );
    return [...reasons].map(
      ([reason, failed]) =>
        `conversation ${script.id} (${script.model}) failed ${failed.length} of ${runs.length} times: ${reason}`,
    );
  });
}

/** Every model the load touches, resident ones first, each once. */
export const modelsOf = (profile: LoadProfile) => [
  ...new Set([...profile.resident, ...profile.scripts.map((script) => script.model)]),
];

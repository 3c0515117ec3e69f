/**
 * Budgets: the seed review's targets are the defaults (GPU: TTFT under 100 ms and over 40 tok/s; CPU: under
 * 300 ms and over 15 tok/s; tool calls right more than 95 % of the time). Case files and inputs override them
 * per model; a case may carry its own. A number bounds the median; `{p50, p90}` bounds either.
 */
import type { Budgets, Distribution, MetricBudget, MetricName } from "./types.js";

export const DEFAULT_BUDGETS: Record<"gpu" | "cpu", Budgets> = {
  gpu: { ttft_ms: 100, decode_tps: 40, tool_accuracy_pct: 95 },
  cpu: { ttft_ms: 300, decode_tps: 15, tool_accuracy_pct: 95 },
};

/** Later sources win, metric by metric. */
export function mergeBudgets(...sources: (Budgets | undefined)[]): Budgets {
  return Object.assign({}, ...sources.filter((s) => s !== undefined)) as Budgets;
}

const LATENCY: readonly MetricName[] = ["ttft_ms", "t_tool_ms", "e2e_ms"];

function bounds(budget: MetricBudget): [keyof Distribution & ("p50" | "p90"), number][] {
  if (typeof budget === "number") return [["p50", budget]];
  return (["p50", "p90"] as const).flatMap((q) => (budget[q] === undefined ? [] : [[q, budget[q]]]));
}

const formatNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export interface BudgetSubject {
  metrics: Partial<Record<MetricName, Distribution>>;
  toolAccuracyPct?: number;
  vramMib?: number;
}

/** Each missed budget as a sentence saying which and by how much; metrics without data are not judged. */
export function missedBudgets(budgets: Budgets, subject: BudgetSubject): string[] {
  const missed: string[] = [];
  for (const metric of [...LATENCY, "decode_tps"] as const) {
    const budget = budgets[metric as keyof Budgets] as MetricBudget | undefined;
    const measured = subject.metrics[metric];
    if (budget === undefined || measured === undefined) continue;
    for (const [quantile, limit] of bounds(budget)) {
      const value = measured[quantile];
      if (metric === "decode_tps") {
        if (value < limit)
          missed.push(
            `decode_tps ${quantile} ${formatNumber(value)} tok/s < budget ${formatNumber(limit)} (−${formatNumber(limit - value)})`,
          );
      } else if (value > limit) {
        missed.push(
          `${metric} ${quantile} ${formatNumber(value)} ms > budget ${formatNumber(limit)} ms (+${formatNumber(value - limit)} ms)`,
        );
      }
    }
  }
  if (budgets.vram_mib !== undefined && subject.vramMib !== undefined && subject.vramMib > budgets.vram_mib) {
    missed.push(
      `vram ${formatNumber(subject.vramMib)} MiB > budget ${budgets.vram_mib} MiB (+${formatNumber(subject.vramMib - budgets.vram_mib)} MiB)`,
    );
  }
  const accuracy = subject.toolAccuracyPct;
  if (budgets.tool_accuracy_pct !== undefined && accuracy !== undefined && accuracy < budgets.tool_accuracy_pct) {
    missed.push(
      `tool accuracy ${formatNumber(accuracy)} % < budget ${budgets.tool_accuracy_pct} % (−${formatNumber(budgets.tool_accuracy_pct - accuracy)} points)`,
    );
  }
  return missed;
}

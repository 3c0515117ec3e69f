/**
 * Budgets: the seed review's targets are the defaults (GPU: TTFT under 100 ms and over 40 tok/s; CPU: under
 * 300 ms and over 15 tok/s; tool calls right more than 95 % of the time). Case files and inputs override them
 * per model; a case may carry its own. A number bounds the median; `{p50, p90}` bounds either.
 */
import type { BudgetOverrides, Budgets, Distribution, MetricBudget, MetricName } from "./types.js";

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

/**
 * Each missed budget as a sentence saying which and by how much. A budget in `strict` (one a case file or an
 * input asked for) also fails when nothing was measured for it; the others judge only what was measured.
 */
export function missedBudgets(
  budgets: Budgets,
  subject: BudgetSubject,
  strict: readonly (keyof Budgets)[] = [],
): string[] {
  const missed: string[] = [];
  const noData = (name: keyof Budgets) => {
    if (strict.includes(name)) missed.push(`${name}: no run measured it, so its budget cannot be met`);
  };
  for (const metric of [...LATENCY, "decode_tps"] as const) {
    const budget = budgets[metric as keyof Budgets] as MetricBudget | undefined;
    if (budget === undefined) continue;
    const measured = subject.metrics[metric];
    if (measured === undefined) {
      noData(metric as keyof Budgets);
      continue;
    }
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
  if (budgets.vram_mib !== undefined) {
    if (subject.vramMib === undefined) noData("vram_mib");
    else if (subject.vramMib > budgets.vram_mib) {
      missed.push(
        `vram ${formatNumber(subject.vramMib)} MiB > budget ${budgets.vram_mib} MiB (+${formatNumber(subject.vramMib - budgets.vram_mib)} MiB)`,
      );
    }
  }
  const accuracy = subject.toolAccuracyPct;
  if (budgets.tool_accuracy_pct !== undefined) {
    if (accuracy === undefined) noData("tool_accuracy_pct");
    else if (accuracy < budgets.tool_accuracy_pct) {
      missed.push(
        `tool accuracy ${formatNumber(accuracy)} % < budget ${budgets.tool_accuracy_pct} % (−${formatNumber(budgets.tool_accuracy_pct - accuracy)} points)`,
      );
    }
  }
  return missed;
}

const ASSIGNMENT =
  /^(?:([^\s:=]+):)?(ttft_ms|t_tool_ms|e2e_ms|decode_tps|vram_mib|tool_accuracy_pct)(?:\.(p50|p90))?\s*=\s*(\d+(?:\.\d+)?)$/;

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
        `${prefix}${JSON.stringify(line)} is not a budget ([MODEL:]NAME=NUMBER or NAME.p90=NUMBER; names: ttft_ms, t_tool_ms, e2e_ms, decode_tps, vram_mib, tool_accuracy_pct)`,
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
    } else if (name === "vram_mib" || name === "tool_accuracy_pct") {
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

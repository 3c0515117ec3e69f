/**
 * The comment's tables: each model's metrics (head, and against the base when there is one), the failing and
 * flaky cases, and the plan's models. Report strings go into code spans (inline.ts), so none can break a row.
 */
import type { BuildReport } from "../build/report.js";
import type { Plan } from "../plan/plan.js";
import type { ModelView } from "../smoke/metric-values.js";
import type { CaseReport } from "../smoke/types.js";
import { clip, code } from "../text/markdown.js";
import { formatBytes } from "../text/units.js";
import { compare, type Figure, type MetricComparison, MODEL_FIGURES, NOISE } from "./comparison.js";
import { formatNumber, MAX_REASON, MAX_REASONS_PER_CASE, name, plural, withUnit } from "./inline.js";

function deltaCell<T>(figure: Figure<T>, { base, delta, change }: MetricComparison): string {
  if (base === undefined || delta === undefined) return "–";
  // A change too small to show at the table's precision is shown as none, never as "-0".
  const shown = formatNumber(Math.abs(delta));
  const sign = /^[0.,]+$/.test(shown) ? "±" : delta > 0 ? "+" : "-";
  const amount = `${sign}${withUnit(Math.abs(delta), figure.metric.deltaUnit ?? figure.metric.unit)}`;
  const percent = base === 0 ? 0 : Math.round((Math.abs(delta) / Math.abs(base)) * 100);
  const relative =
    NOISE[figure.metric.noise].relative > 0 && percent !== 0 && sign !== "±" ? ` (${sign}${percent} %)` : "";
  return change === undefined ? `${amount}${relative}` : `${amount}${relative} ${delta > 0 ? "▲" : "▼"} ${change}`;
}

/** A table of head values, with base values and deltas when there is a baseline report at all. */
export function metricTable<T>(
  figures: readonly Figure<T>[],
  subject: string,
  head: T,
  base: T | undefined,
  compared: boolean,
): string | undefined {
  const lines = figures.flatMap((figure) => {
    const comparison = compare(figure, head, base);
    if (comparison === undefined) return [];
    const shown = (value: number | undefined, source: T | undefined) =>
      value === undefined || source === undefined
        ? "–"
        : [withUnit(value, figure.metric.unit), figure.detail?.(source)].filter((part) => part !== undefined).join(" ");
    const headCell = shown(comparison.head, head);
    return compared
      ? [`| ${figure.label} | ${headCell} | ${shown(comparison.base, base)} | ${deltaCell(figure, comparison)} |`]
      : [`| ${figure.label} | ${headCell} |`];
  });
  if (lines.length === 0) return undefined;
  const header = compared
    ? [`| ${subject} | Head | Base | Δ |`, "| --- | ---: | ---: | --- |"]
    : [`| ${subject} | Head |`, "| --- | ---: |"];
  return [...header, ...lines].join("\n");
}

/** A model's title line (cases passed, new, thinking left on) and its metric table. */
export function modelBlock(model: string, head: ModelView, baseline: Map<string, ModelView> | undefined): string {
  const base = baseline?.get(model);
  const passed = head.cases.filter((c) => c.passed).length;
  const notes = [`${passed}/${head.cases.length} cases passed`];
  if (baseline !== undefined && base === undefined) notes.push("new: not in the baseline");
  const reasoning = head.results?.reasoning_runs ?? 0;
  if (reasoning > 0) notes.push(`⚠️ ${plural(reasoning, "run")} reasoned before answering (thinking is on)`);
  const title = `**${name(model)}**: ${notes.join("; ")}`;
  const table = metricTable(MODEL_FIGURES, "Metric", head, base, baseline !== undefined);
  return table === undefined ? title : `${title}\n\n${table}`;
}

/** Failing critical cases, then other failing cases, then flaky ones that passed. */
export function casesWorthShowing(cases: readonly CaseReport[]): CaseReport[] {
  const rank = (c: CaseReport) => (c.passed ? 2 : c.critical ? 0 : 1);
  return cases.filter((c) => !c.passed || c.flaky).sort((a, b) => rank(a) - rank(b));
}

export const CASE_TABLE_HEAD =
  "| | Case | Model | File | Runs passed | Why |\n| --- | --- | --- | --- | ---: | --- |\n";

export function caseRow(c: CaseReport): string {
  const status = [c.passed ? "⚠️" : "❌", c.critical ? "critical" : "", c.flaky ? "flaky" : ""]
    .filter((word) => word !== "")
    .join(" ");
  const reasons = c.failures.slice(0, MAX_REASONS_PER_CASE).map((failure) => code(clip(failure, MAX_REASON)));
  const unshown = c.failures.length - reasons.length;
  if (unshown > 0) reasons.push(`…and ${unshown} more`);
  const why = reasons.length === 0 ? "–" : reasons.join("<br>");
  return `| ${status} | ${name(c.id)} | ${name(c.model)} | ${name(c.file)} | ${c.passes}/${c.runs} | ${why} |`;
}

/**
 * One row per model, with its image layer's size. What a push uploads is not in the build report (the
 * registry skips layers it holds, and only it knows which those were), so the table does not guess: a changed
 * model's layer is new content, an unchanged one is byte-identical to the layer built before.
 */
export function planRows(plan: Plan, build: BuildReport | undefined): { lead: string; rows: string[] } {
  const layers = new Map(build?.layers.filter((l) => l.kind === "custom").map((l) => [l.name, l]));
  const sized = layers.size > 0;
  const rows = plan.models.map((m) => {
    const cells = [name(m.name), name(m.file), code(m.hash.slice(0, 12)), m.changed ? "yes" : "no"];
    if (sized) {
      const layer = layers.get(m.name);
      cells.push(layer === undefined ? "–" : formatBytes(layer.bytes));
    }
    return `| ${cells.join(" | ")} |`;
  });
  const header = sized
    ? ["| Model | File | Hash | Changed | Layer |", "| --- | --- | --- | --- | ---: |"]
    : ["| Model | File | Hash | Changed |", "| --- | --- | --- | --- |"];
  return { lead: `${header.join("\n")}\n`, rows };
}

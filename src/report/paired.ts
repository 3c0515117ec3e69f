/**
 * The paired comparison in the comment: per model, each metric's median on both images with the shift and its
 * 95 % interval and p-value, the resident memory, and the cases whose pass counts moved. An arrow only where the
 * comparison called a change (interval excluding zero and a shift past the minimum effect); a case regression
 * only at p < α, with how many cases were tested, so the chance of a false call stays visible.
 */
import { METRICS } from "../smoke/metric-registry.js";
import type { CaseComparison, MetricComparison, PairedComparison } from "../smoke/paired-schema.js";
import { formatBytes } from "../text/units.js";
import { formatNumber, name, plural, withUnit } from "./inline.js";

const labelOf = (key: string) => METRICS.find((m) => m.key === key)?.label ?? key;

const signed = (value: number, unit: string) =>
  `${value > 0 ? "+" : value < 0 ? "-" : "±"}${withUnit(Math.abs(value), unit)}`;

/** `p < 0.001`, `0.042`, `0.31`. */
export const formatP = (p: number) => (p < 0.001 ? "< 0.001" : p < 0.01 ? p.toFixed(3) : p.toFixed(2));

function intervalCell(m: MetricComparison): string {
  const interval =
    m.lower === null || m.upper === null
      ? "[too few runs to bound it]"
      : `[${signed(m.lower, m.unit)}, ${signed(m.upper, m.unit)}]`;
  const arrow = m.verdict === "unchanged" ? "" : ` ${m.shift > 0 ? "▲" : "▼"} ${m.verdict}`;
  return `${signed(m.shift, m.unit)} ${interval}${arrow}`;
}

function metricRow(m: MetricComparison): string {
  return `| ${labelOf(m.metric)} (median) | ${withUnit(m.base.median, m.unit)} | ${withUnit(m.head.median, m.unit)} | ${intervalCell(m)} | ${formatP(m.p)} |`;
}

const passCount = (arm: CaseComparison["base"]) => `${arm.passes}/${arm.runs}${arm.all_passed ? " ✓" : ""}`;

function caseRow(c: CaseComparison): string {
  const call = c.regression ? " ▼ worse" : "";
  return `| ${name(c.id)} | ${passCount(c.base)} | ${passCount(c.head)} | ${formatP(c.p)}${call} |`;
}

function modelSection(model: string, comparison: PairedComparison): string {
  const figures = comparison.models[model];
  const lines = [`**${name(model)}**`, ""];
  const rows = figures?.metrics.map(metricRow) ?? [];
  const { base, head } = figures?.memory ?? {};
  if (base !== undefined || head !== undefined) {
    rows.push(
      `| Resident memory | ${base === undefined ? "–" : formatBytes(base)} | ${head === undefined ? "–" : formatBytes(head)} | | |`,
    );
  }
  if (rows.length > 0) {
    lines.push(
      "| Metric | Base | Head | Shift [95 % interval] | p |",
      "| --- | ---: | ---: | --- | ---: |",
      ...rows,
      "",
    );
  }
  const cases = comparison.cases.filter((c) => c.model === model);
  const moved = cases.filter((c) => c.regression || c.base.passes * c.head.runs !== c.head.passes * c.base.runs);
  if (moved.length > 0) {
    lines.push(
      "| Case | Base passed | Head passed | p (head worse) |",
      "| --- | ---: | ---: | ---: |",
      ...moved.map(caseRow),
      "",
    );
  }
  const same = cases.length - moved.length;
  if (same > 0) lines.push(`${plural(same, "other case")} passed as often on both images.`);
  return lines.join("\n").trimEnd();
}

/** Which test each row's p comes from, as the section's lead says it. */
function testNote(comparison: PairedComparison): string {
  const metrics = Object.values(comparison.models).flatMap((m) => m.metrics);
  const notes = [];
  if (metrics.some((m) => m.test === "signed-rank")) {
    notes.push("Wilcoxon's signed-rank test on matched pairs, the same request in the same round on both images");
  }
  if (metrics.some((m) => m.test === "rank-sum")) notes.push("Mann–Whitney's test on the two samples");
  return notes.join("; where nothing pairs them, ");
}

/** The section's lead: what was compared, how, and how to read the calls. */
function lead(comparison: PairedComparison): string {
  const how =
    comparison.mode === "interleaved"
      ? "both servers up, requests alternating A B B A"
      : "one server at a time, in blocks A B B A";
  const expected = formatNumber(comparison.alpha * comparison.cases_tested);
  return [
    `#### Paired with the base commit's image`,
    "",
    `${name(comparison.base_image)} (base) and this commit's image ran the same requests on this runner: ${how} (${comparison.mode_reason}).`,
    `Shifts are head minus base (Hodges–Lehmann, ${Math.round(comparison.confidence * 100)} % interval; p: ${testNote(comparison)}); ▲/▼ only when the interval excludes zero and the shift exceeds ${Math.round(comparison.min_effect * 100)} % of the base. A case is called worse at p < ${comparison.alpha} (one-sided Fisher's exact test): ${plural(comparison.cases_tested, "case")} tested, so about ${expected} false call${expected === "1" ? "" : "s"} by chance. ✓: every run passed (pass^k).`,
  ].join("\n");
}

/** One block per model (each may be cut to fit), after the lead. */
export function pairedBlocks(comparison: PairedComparison): { lead: string; models: string[] } {
  const models = Object.keys(comparison.models);
  for (const c of comparison.cases) if (!models.includes(c.model)) models.push(c.model);
  return { lead: `${lead(comparison)}\n\n`, models: models.map((model) => modelSection(model, comparison)) };
}

/** The regressions the comparison called, for the verdict line. */
export function pairedRegressions(comparison: PairedComparison): number {
  const metrics = Object.values(comparison.models).flatMap((m) => m.metrics.filter((x) => x.verdict === "worse"));
  return metrics.length + comparison.cases.filter((c) => c.regression).length;
}

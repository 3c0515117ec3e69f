/** The smoke report for a terminal: every registry metric on a line of its own, per model. */

import { formatLoadLines } from "./load-format.js";
import { METRICS } from "./metric-registry.js";
import {
  distributionOf,
  isRequestMetric,
  MODEL_METRICS,
  type ModelView,
  modelDetail,
  modelValue,
  modelViews,
  SERVER_METRICS,
  serverValue,
} from "./metric-values.js";
import type { PairedComparison } from "./paired-schema.js";
import type { Distribution, SmokeReport } from "./types.js";

const MIB = 1024 * 1024;
const LABEL_WIDTH = Math.max(...METRICS.map((metric) => metric.short.length));

const line = (label: string, figure: string) => `  ${label.padEnd(LABEL_WIDTH)}  ${figure}`;

const withUnit = (value: number, unit: string) => (unit === "" ? String(value) : `${value} ${unit}`);

const figure = (d: Distribution | undefined, unit: string) =>
  d === undefined ? "–" : `${d.p50}/${d.p90}${d.p95 === undefined ? "" : `/${d.p95}`} ${unit} (n=${d.n})`;

/** At most one decimal: MiB from bytes and percentages are not exact anyway. */
const rounded = (value: number) => Math.round(value * 10) / 10;

function metricLines(view: ModelView): string[] {
  return MODEL_METRICS.map((metric) => {
    if (isRequestMetric(metric)) {
      return line(metric.short, `p50/p90  ${figure(distributionOf(metric, view), metric.unit)}`);
    }
    const value = modelValue(metric, view);
    const detail = modelDetail(metric, view);
    const shown = value === undefined ? "–" : withUnit(rounded(value), metric.unit);
    return line(metric.short, detail === undefined ? shown : `${shown} ${detail}`);
  });
}

function modelLines(model: string, view: ModelView): string[] {
  const passed = view.cases.filter((c) => c.passed).length;
  const lines = ["", `${model}: ${passed}/${view.cases.length} cases passed`, ...metricLines(view)];
  const memory = view.results?.memory;
  if (memory?.size_bytes !== undefined) {
    const context = memory.context_length === undefined ? "" : `, context ${memory.context_length}`;
    lines.push(line("size", `${(memory.size_bytes / MIB).toFixed(0)} MiB${context}`));
  }
  const reasoning = view.results?.reasoning_runs ?? 0;
  if (reasoning > 0) lines.push(`  warning: ${reasoning} run(s) reasoned before speaking (thinking on)`);
  for (const c of view.cases.filter((c) => !c.passed || c.flaky)) {
    lines.push(
      `  ${c.passed ? "flaky" : c.critical ? "FAIL (critical)" : "FAIL"} ${c.id}: ${c.passes}/${c.runs} runs passed`,
    );
    for (const failure of c.failures) lines.push(`    - ${failure}`);
  }
  return lines;
}

/** The paired comparison in the terminal: one line per metric, and the cases whose pass counts moved. */
function pairedLines(paired: PairedComparison): string[] {
  const signed = (value: number, unit: string) => `${value >= 0 ? "+" : "-"}${withUnit(Math.abs(value), unit)}`;
  const lines = ["", `paired with ${paired.base_image} (${paired.mode}, ${paired.mode_reason}):`];
  for (const [model, figures] of Object.entries(paired.models)) {
    for (const m of figures.metrics) {
      const interval =
        m.lower === null || m.upper === null ? "unbounded" : `${signed(m.lower, m.unit)} .. ${signed(m.upper, m.unit)}`;
      lines.push(
        `  ${model} ${m.metric}: ${signed(m.shift, m.unit)} (${interval}, p ${m.p.toPrecision(2)}) ${m.verdict}`,
      );
    }
  }
  for (const c of paired.cases.filter((x) => x.regression || x.base.passes !== x.head.passes)) {
    const call = c.regression ? `worse (p ${c.p.toPrecision(2)} < ${paired.alpha})` : `p ${c.p.toPrecision(2)}`;
    lines.push(`  ${c.model} ${c.id}: ${c.base.passes}/${c.base.runs} → ${c.head.passes}/${c.head.runs}, ${call}`);
  }
  return lines;
}

export function formatSmokeText(report: SmokeReport): string {
  const env = report.environment;
  const lines = [
    `smoke: ${env.image ?? env.endpoint} (Ollama ${env.ollama_version ?? "?"}, ${env.gpu ? `GPU: ${env.gpu_names?.join(", ")}` : "CPU"})`,
    ...SERVER_METRICS.map((metric) => {
      const value = serverValue(metric, env);
      return line(metric.short, value === undefined ? "–" : withUnit(value, metric.unit));
    }),
  ];
  for (const [model, view] of modelViews(report)) lines.push(...modelLines(model, view));
  if (report.paired !== undefined) lines.push(...pairedLines(report.paired));
  if (report.load !== undefined) lines.push(...formatLoadLines(report.load));
  lines.push("");
  if (report.passed) lines.push("smoke passed");
  else {
    lines.push("smoke FAILED:");
    for (const failure of report.failures) lines.push(`  - ${failure}`);
  }
  if (report.logs !== undefined && report.logs.length > 0) {
    lines.push("", "last container log lines:", ...report.logs.map((l) => `  ${l}`));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The load report for a terminal: the run in one line, residency and memory, then each model's figures under
 * load (the median and the slow tail budgets judge). Its failures are the smoke's (`under load: …`), listed
 * with the others at the end.
 */
import { formatBytes } from "../text/units.js";
import { LOAD_METRIC_KEYS, LOAD_METRICS, type LoadReport, tailOf } from "./load-report.js";

const LABEL_WIDTH = Math.max(...Object.values(LOAD_METRICS).map((metric) => metric.label.length));

function residencyLine(load: LoadReport): string {
  const memory = load.resident_memory;
  const together =
    memory === undefined
      ? ""
      : `; together ${formatBytes(memory.size_bytes)}${memory.size_vram_bytes > 0 ? ` (${formatBytes(memory.size_vram_bytes)} VRAM)` : ""}`;
  if (load.resident.length === 0) return `  resident: not checked${together}`;
  const evicted = load.evictions.map((e) => `${e.model} evicted at ${e.at_ms} ms`);
  const state = evicted.length === 0 ? `all loaded in ${load.samples} samples` : evicted.join(", ");
  return `  resident: ${load.resident.join(", ")}: ${state}${together}`;
}

export function formatLoadLines(load: LoadReport): string[] {
  const lines = [
    "",
    `under load: ${load.conversations_passed}/${load.conversations} conversations passed, ${load.concurrency} at a time ` +
      `(${load.concurrency_from}), ${(load.duration_ms / 1000).toFixed(1)} s`,
    residencyLine(load),
  ];
  for (const [model, figures] of Object.entries(load.models)) {
    lines.push(
      `  ${model}: ${figures.conversations_passed}/${figures.conversations} conversations, ${figures.requests} requests`,
    );
    for (const key of LOAD_METRIC_KEYS) {
      const measured = figures.metrics[key];
      if (measured === undefined) continue;
      const { label, unit } = LOAD_METRICS[key];
      const tail = tailOf(key);
      const budget = figures.budgets[key] === undefined ? "" : `, budget ${figures.budgets[key]}`;
      lines.push(
        `    ${label.padEnd(LABEL_WIDTH)}  p50/${tail}  ${measured.p50}/${measured[tail]} ${unit} (n=${measured.n}${budget})`,
      );
    }
  }
  return lines;
}

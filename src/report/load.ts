/**
 * The comment's section for the smoke under load: one sentence for the run and residency, then one row per model
 * with the median and the slow tail that budgets judge (p95 of a time, p5 of a rate). Kept short: the failures
 * are in the verdict's list already (`under load: …`), and the JSON report has every figure. Report strings go
 * into code spans (inline.ts); the rows are cuttable, the last part of the comment a model's figures need.
 */

import { missesBudget } from "../smoke/budgets.js";
import {
  LOAD_METRICS,
  type LoadMetricKey,
  type LoadModelReport,
  type LoadReport,
  tailOf,
} from "../smoke/load-report.js";
import type { SmokeReport } from "../smoke/types.js";
import { formatBytes } from "../text/units.js";
import { type Cuttable, cuttable } from "./fit.js";
import { formatDuration, formatNumber, name, plural } from "./inline.js";

/** The columns: what a voice call feels (first word, first tool call), what the server adds (queue), decoding. */
const COLUMNS: readonly LoadMetricKey[] = ["ttft_ms", "t_tool_ms", "queue_wait_ms", "decode_tps"];
const MAX_EVICTIONS_SHOWN = 5;

const CONCURRENCY_FROM: Record<LoadReport["concurrency_from"], string> = {
  "case files": "as the case files say",
  image: "the image's OLLAMA_NUM_PARALLEL",
  default: "the default",
};

function cell(figures: LoadModelReport, key: LoadMetricKey): string {
  const measured = figures.metrics[key];
  if (measured === undefined) return "–";
  const { unit, better } = LOAD_METRICS[key];
  const tail = measured[tailOf(key)];
  const budget = figures.budgets[key];
  const missed = budget !== undefined && missesBudget(better, tail, budget);
  const shown = `${formatNumber(measured.p50)} / ${formatNumber(tail)}${unit === "ms" ? " ms" : ""}`;
  return missed ? `${shown} ❌` : shown;
}

function residencySentence(load: LoadReport): string {
  const memory = load.resident_memory;
  const size = memory === undefined ? "" : `, ${formatBytes(memory.size_bytes)} together`;
  if (load.resident.length === 0) return `Residency not checked${size}.`;
  const models = load.resident.slice(0, MAX_EVICTIONS_SHOWN).map(name).join(", ");
  if (load.evictions.length === 0) {
    return `✅ ${models} stayed loaded together (${plural(load.samples, "sample")} of /api/ps${size}).`;
  }
  const shown = load.evictions
    .slice(0, MAX_EVICTIONS_SHOWN)
    .map((eviction) => `${name(eviction.model)} at ${formatDuration(eviction.at_ms)}`);
  if (load.evictions.length > MAX_EVICTIONS_SHOWN)
    shown.push(`…and ${load.evictions.length - MAX_EVICTIONS_SHOWN} more`);
  return `❌ Evicted during the load: ${shown.join(", ")}.`;
}

/** The section, empty without a load report. */
export function loadSection(head: SmokeReport | undefined): Cuttable {
  const load = head?.load;
  if (load === undefined) return cuttable("models under load", "", [], "");
  const heads = COLUMNS.map((key) => `${LOAD_METRICS[key].label} p50 / ${tailOf(key)}`);
  const lead = [
    "#### Under load",
    "",
    `${load.passed ? "✅" : "❌"} ${load.conversations_passed}/${load.conversations} conversations passed, ` +
      `${load.concurrency} at a time (${CONCURRENCY_FROM[load.concurrency_from]}), ${formatDuration(load.duration_ms)}. ` +
      residencySentence(load),
    "",
    `| Model | Conversations | ${heads.join(" | ")} |`,
    `| --- | ---: | ${COLUMNS.map(() => "---:").join(" | ")} |`,
    "",
  ].join("\n");
  const rows = Object.entries(load.models).map(
    ([model, figures]) =>
      `| ${name(model)} | ${figures.conversations_passed}/${figures.conversations} | ${COLUMNS.map((key) => cell(figures, key)).join(" | ")} |`,
  );
  return cuttable("models under load", lead, rows, "\n");
}

/** The comment's mermaid chart: each model's TTFT p50 and p90 as bars, the base's as a line. */
import type { ModelReport, SmokeReport } from "../smoke/types.js";
import { clip } from "../text/markdown.js";
import { MAX_CHART_MODELS } from "./inline.js";

/** Mermaid's quoted labels end at `"`; keep label characters plain. */
const chartLabel = (value: string) => clip(value.replace(/[^\w .:/+-]/g, "_"), 40);

const ttftPair = (results: ModelReport | undefined) => {
  const ttft = results?.metrics.ttft_ms;
  return ttft === undefined ? undefined : [Math.round(ttft.p50), Math.round(ttft.p90)];
};

/** Bars for this commit's TTFT p50 and p90 per model, a line for the base's (when every charted model has one). */
export function ttftChart(head: SmokeReport, baseline: SmokeReport | undefined): string | undefined {
  const measured = Object.entries(head.models).filter(([, results]) => results.metrics.ttft_ms !== undefined);
  if (measured.length === 0) return undefined;
  const charted = measured.slice(0, MAX_CHART_MODELS);
  const headValues = charted.flatMap(([, results]) => ttftPair(results) ?? []);
  // A model named `constructor` must not find Object.prototype's.
  const basePairs = charted.map(([model]) =>
    ttftPair(baseline !== undefined && Object.hasOwn(baseline.models, model) ? baseline.models[model] : undefined),
  );
  const baseValues = basePairs.every((p) => p !== undefined) ? basePairs.flat() : undefined;
  const top = Math.ceil(Math.max(...headValues, ...(baseValues ?? [])) * 1.1) || 1;
  const scope = charted.length < measured.length ? `, first ${charted.length} of ${measured.length} models` : "";
  const legend =
    baseValues !== undefined
      ? "bars: head, line: base"
      : baseline !== undefined
        ? "bars: head (no base line: some models have no baseline)"
        : "bars: head";
  return [
    "```mermaid",
    "xychart-beta",
    `  title "TTFT p50 and p90 (ms); ${legend}${scope}"`,
    `  x-axis [${charted.flatMap(([model]) => [`"${chartLabel(model)} p50"`, `"${chartLabel(model)} p90"`]).join(", ")}]`,
    `  y-axis "TTFT (ms)" 0 --> ${top}`,
    `  bar [${headValues.join(", ")}]`,
    ...(baseValues === undefined ? [] : [`  line [${baseValues.join(", ")}]`]),
    "```",
  ].join("\n");
}

/**
 * The pull-request comment: a verdict, the image and its models, the smoke metrics against the base commit's
 * report, the failing cases, a TTFT chart and the environment. Pure: the same input always gives the same text.
 *
 * Every string that comes from a report (model names, case ids, failure reasons, paths) is clipped and goes
 * into a code span or through `text()`, so it can neither break a table nor inject HTML or @-mentions.
 *
 * GitHub refuses a comment over 65,536 characters. When the comment would be longer, whole parts are cut from
 * the end, in this order: failing cases, per-model smoke tables, the models table, the container log, the
 * chart, the environment, the verdict's failure list. A note says what was left out; the JSON report (the
 * smoke stage's artifact) always has everything.
 */

import { deliveredAs } from "../build/format.js";
import type { BuildReport } from "../build/stage.js";
import type { Plan } from "../plan/plan.js";
import type { CaseReport, ModelReport, SmokeEnvironment, SmokeReport } from "../smoke/types.js";
import { clip, code, text } from "../text/markdown.js";
import { formatBytes } from "../text/units.js";

export interface ReportInput {
  /** This commit's smoke report. */
  head?: SmokeReport;
  /** The base commit's smoke report, to compare with. */
  baseline?: SmokeReport;
  /** Why there is no baseline: `no report was saved for the base commit abc1234`. */
  baselineNote?: string;
  /** Said under the verdict, as plain text: where the figures come from when that is not this run. */
  provenance?: string;
  /** The figures are a fork's run's, posted by the base repository's workflow_run: its pull request, linked. */
  forkPullRequest?: number;
  /** Defaults to the build's plan. */
  plan?: Plan;
  build?: BuildReport;
  /** Why the run failed before it had a smoke report (a build error): the first line leads the verdict. */
  failure?: string;
  /** From `commentMarker()`: finds this comment again. */
  marker: string;
  runUrl?: string;
}

/** A pull request number from the event (an integer, not text): the one reference that links. */
function forkLine(pullRequest: number | undefined): string {
  if (pullRequest === undefined || !Number.isSafeInteger(pullRequest) || pullRequest < 1) return "";
  return `ℹ️ These figures come from the workflow run of pull request #${pullRequest} (from a fork), as that run reported them.`;
}

export interface RenderOptions {
  /** The longest comment to produce; GitHub's limit (65,536) less a margin by default. */
  maxChars?: number;
}

/** GitHub's limit on a comment body; the default leaves room for a caller's extra line. */
export const GITHUB_COMMENT_LIMIT = 65_536;
const DEFAULT_MAX_CHARS = 65_000;

const MARKER_NAME = "ollama-build";

/** `ollama-build`, or `ollama-build:<id>` so several workflows can each keep their own comment on a PR. */
export function commentMarker(commentId?: string): string {
  return commentId === undefined || commentId === "" ? MARKER_NAME : `${MARKER_NAME}:${commentId}`;
}

/**
 * The hidden first line of the comment: `<!-- ollama-build report: ollama-build:voice -->`. Only characters
 * that cannot end the HTML comment early are kept. The closing ` -->` makes `ollama-build` and
 * `ollama-build:x` distinct prefixes.
 */
export const markerLine = (marker: string) => `<!-- ollama-build report: ${marker.replace(/[^\w.:/@+-]/g, "_")} -->`;

/** A change counts when |Δ| > max(relative × |base|, floor); see NOISE. */
export interface NoiseRule {
  relative: number;
  floor: number;
  unit: string;
  /** For the footer: what the rule applies to. */
  appliesTo: string;
}

/**
 * When a change against the base counts (gets an arrow): |Δ| > max(relative × |base|, floor).
 *
 * - latency (TTFT, tool call, end to end; p50 and p90): 10 %, at least 5 ms. Medians of a few streamed
 *   requests on shared CI runners move by several percent between identical runs; 10 % is also about the
 *   smallest change a person notices in a voice turn. The floor keeps a 1 ms wobble on a 12 ms TTFT quiet
 *   (loopback HTTP and event-loop granularity are a few ms).
 * - decode tok/s: the same 10 %, at least 0.5 tok/s (slow CPU runs decode a handful of tokens a second).
 * - cold start (model load, server ready): 20 %, at least 100 ms: single samples, dominated by disk reads and
 *   the page cache.
 * - memory (MiB): 2 %, at least 32 MiB: Ollama's VRAM figure is deterministic for a model, context and
 *   version; the slack absorbs CUDA allocation granularity and nvidia-smi sampling.
 * - pass rate and flaky cases: any change (they are counts of seeded runs, not timings).
 */
export const NOISE = {
  latency: { relative: 0.1, floor: 5, unit: "ms", appliesTo: "latency" },
  throughput: { relative: 0.1, floor: 0.5, unit: "tok/s", appliesTo: "decode speed" },
  coldStart: { relative: 0.2, floor: 100, unit: "ms", appliesTo: "load and server start" },
  memory: { relative: 0.02, floor: 32, unit: "MiB", appliesTo: "memory" },
  // The floor only absorbs floating-point dust: every real change of a pass rate or a count is larger.
  exact: { relative: 0, floor: 0.001, unit: "", appliesTo: "pass rate and flaky cases" },
} as const satisfies Record<string, NoiseRule>;

export const beyondNoise = (change: number, base: number, rule: NoiseRule) =>
  Math.abs(change) > Math.max(rule.relative * Math.abs(base), rule.floor);

const describeRule = (rule: NoiseRule) =>
  rule.relative === 0
    ? `${rule.appliesTo}: any change`
    : `${rule.appliesTo}: |Δ| > max(${rule.relative * 100} % of base, ${rule.floor} ${rule.unit})`;

// Caps on what one report string may add, so the parts that are never cut stay small whatever the input.
const MAX_NAME = 120;
const MAX_REASON = 300;
const MAX_REASONS_PER_CASE = 5;
const MAX_VERDICT_FAILURES = 20;
const MAX_CHART_MODELS = 20;
const MAX_LOG_LINES = 40;
/** Room kept for the note saying what was cut. */
const NOTE_RESERVE = 1_000;
const MiB = 1024 * 1024;

const name = (value: string) => code(clip(value, MAX_NAME));
const shortSha = (sha: string) => code(sha.slice(0, 7));
const plural = (count: number, noun: string) => `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
const formatNumber = (value: number) =>
  value.toLocaleString("en-US", { maximumFractionDigits: Math.abs(value) < 100 ? 1 : 0 });
const withUnit = (value: number, unit: string) =>
  unit === "" ? formatNumber(value) : `${formatNumber(value)} ${unit}`;

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

// --- metric tables -------------------------------------------------------------------------------------

/** One row of a head-against-base table, read from a T (a model's results, or the environment). */
interface MetricRow<T> {
  label: string;
  unit: string;
  /** The delta's unit when it differs: a pass rate changes by percentage points. */
  deltaUnit?: string;
  better: "lower" | "higher";
  noise: NoiseRule;
  read: (source: T) => number | undefined;
  /** Said after the value: VRAM that is less than the model's size means the rest runs on the CPU. */
  detail?: (source: T) => string | undefined;
}

/** A model's results and its cases (a model can have cases but no results, when it never loaded). */
interface ModelView {
  results?: ModelReport;
  cases: CaseReport[];
}

const LATENCIES = [
  ["TTFT", "ttft_ms"],
  ["Tool call", "t_tool_ms"],
  ["End to end", "e2e_ms"],
] as const;

const MODEL_ROWS: MetricRow<ModelView>[] = [
  {
    label: "Tool calls passed",
    unit: "%",
    deltaUnit: "pt",
    better: "higher",
    noise: NOISE.exact,
    read: (m) => m.results?.tool_accuracy_pct,
  },
  {
    label: "Flaky cases",
    unit: "",
    better: "lower",
    noise: NOISE.exact,
    read: (m) => m.cases.filter((c) => c.flaky).length,
  },
  ...LATENCIES.flatMap(([label, metric]) =>
    (["p50", "p90"] as const).map(
      (stat): MetricRow<ModelView> => ({
        label: `${label} ${stat}`,
        unit: "ms",
        better: "lower",
        noise: NOISE.latency,
        read: (m) => m.results?.metrics[metric]?.[stat],
      }),
    ),
  ),
  {
    label: "Decode p50",
    unit: "tok/s",
    better: "higher",
    noise: NOISE.throughput,
    read: (m) => m.results?.metrics.decode_tps?.p50,
  },
  { label: "Load", unit: "ms", better: "lower", noise: NOISE.coldStart, read: (m) => m.results?.load_ms },
  {
    label: "VRAM",
    unit: "MiB",
    better: "lower",
    noise: NOISE.memory,
    read: (m) => (m.results?.memory === undefined ? undefined : m.results.memory.size_vram_bytes / MiB),
    detail: ({ results }) => {
      const memory = results?.memory;
      if (memory === undefined || memory.size_vram_bytes >= memory.size_bytes) return undefined;
      return `(${Math.round((1 - memory.size_vram_bytes / memory.size_bytes) * 100)} % on the CPU)`;
    },
  },
  {
    label: "GPU memory in use",
    unit: "MiB",
    better: "lower",
    noise: NOISE.memory,
    read: (m) => m.results?.memory?.gpu_used_mib,
  },
];

const SERVER_ROWS: MetricRow<SmokeEnvironment>[] = [
  { label: "Server ready", unit: "ms", better: "lower", noise: NOISE.coldStart, read: (e) => e.server_ready_ms },
];

/** One metric, head against base: what a table row and the JSON report say. */
export interface MetricComparison {
  metric: string;
  unit: string;
  head?: number;
  base?: number;
  /** Head minus base, when both are known. */
  delta?: number;
  /** Set only when the change is past the noise rule (NOISE). */
  change?: "better" | "worse";
}

function compare<T>(row: MetricRow<T>, head: T, base: T | undefined): MetricComparison | undefined {
  const headValue = row.read(head);
  const baseValue = base === undefined ? undefined : row.read(base);
  if (headValue === undefined && baseValue === undefined) return undefined;
  const comparison: MetricComparison = { metric: row.label, unit: row.unit };
  if (headValue !== undefined) comparison.head = headValue;
  if (baseValue !== undefined) comparison.base = baseValue;
  if (headValue !== undefined && baseValue !== undefined) {
    comparison.delta = headValue - baseValue;
    if (beyondNoise(comparison.delta, baseValue, row.noise)) {
      comparison.change = comparison.delta > 0 === (row.better === "lower") ? "worse" : "better";
    }
  }
  return comparison;
}

function deltaCell<T>(row: MetricRow<T>, { base, delta, change }: MetricComparison): string {
  if (base === undefined || delta === undefined) return "–";
  // A change too small to show at the table's precision is shown as none, never as "-0".
  const shown = formatNumber(Math.abs(delta));
  const sign = /^[0.,]+$/.test(shown) ? "±" : delta > 0 ? "+" : "-";
  const amount = `${sign}${withUnit(Math.abs(delta), row.deltaUnit ?? row.unit)}`;
  const percent = base === 0 ? 0 : Math.round((Math.abs(delta) / Math.abs(base)) * 100);
  const relative = row.noise.relative > 0 && percent !== 0 && sign !== "±" ? ` (${sign}${percent} %)` : "";
  return change === undefined ? `${amount}${relative}` : `${amount}${relative} ${delta > 0 ? "▲" : "▼"} ${change}`;
}

/** A table of head values, with base values and deltas when there is a baseline report at all. */
function metricTable<T>(
  rows: readonly MetricRow<T>[],
  subject: string,
  head: T,
  base: T | undefined,
  compared: boolean,
): string | undefined {
  const lines = rows.flatMap((row) => {
    const comparison = compare(row, head, base);
    if (comparison === undefined) return [];
    const shown = (value: number | undefined, source: T | undefined) =>
      value === undefined || source === undefined
        ? "–"
        : [withUnit(value, row.unit), row.detail?.(source)].filter((part) => part !== undefined).join(" ");
    const headCell = shown(comparison.head, head);
    return compared
      ? [`| ${row.label} | ${headCell} | ${shown(comparison.base, base)} | ${deltaCell(row, comparison)} |`]
      : [`| ${row.label} | ${headCell} |`];
  });
  if (lines.length === 0) return undefined;
  const header = compared
    ? [`| ${subject} | Head | Base | Δ |`, "| --- | ---: | ---: | --- |"]
    : [`| ${subject} | Head |`, "| --- | ---: |"];
  return [...header, ...lines].join("\n");
}

function modelViews(report: SmokeReport): Map<string, ModelView> {
  const views = new Map<string, ModelView>();
  const viewOf = (model: string) => {
    let view = views.get(model);
    if (view === undefined) {
      view = { cases: [] };
      views.set(model, view);
    }
    return view;
  };
  for (const [model, results] of Object.entries(report.models)) viewOf(model).results = results;
  for (const c of report.cases) viewOf(c.model).cases.push(c);
  return views;
}

function modelBlock(model: string, head: ModelView, baseline: Map<string, ModelView> | undefined): string {
  const base = baseline?.get(model);
  const passed = head.cases.filter((c) => c.passed).length;
  const notes = [`${passed}/${head.cases.length} cases passed`];
  if (baseline !== undefined && base === undefined) notes.push("new: not in the baseline");
  const reasoning = head.results?.reasoning_runs ?? 0;
  if (reasoning > 0) notes.push(`⚠️ ${plural(reasoning, "run")} reasoned before answering (thinking is on)`);
  const title = `**${name(model)}**: ${notes.join("; ")}`;
  const table = metricTable(MODEL_ROWS, "Metric", head, base, baseline !== undefined);
  return table === undefined ? title : `${title}\n\n${table}`;
}

// --- cases, chart, environment -------------------------------------------------------------------------

/** Failing critical cases, then other failing cases, then flaky ones that passed. */
function casesWorthShowing(cases: readonly CaseReport[]): CaseReport[] {
  const rank = (c: CaseReport) => (c.passed ? 2 : c.critical ? 0 : 1);
  return cases.filter((c) => !c.passed || c.flaky).sort((a, b) => rank(a) - rank(b));
}

function caseRow(c: CaseReport): string {
  const status = [c.passed ? "⚠️" : "❌", c.critical ? "critical" : "", c.flaky ? "flaky" : ""]
    .filter((word) => word !== "")
    .join(" ");
  const reasons = c.failures.slice(0, MAX_REASONS_PER_CASE).map((failure) => code(clip(failure, MAX_REASON)));
  const unshown = c.failures.length - reasons.length;
  if (unshown > 0) reasons.push(`…and ${unshown} more`);
  const why = reasons.length === 0 ? "–" : reasons.join("<br>");
  return `| ${status} | ${name(c.id)} | ${name(c.model)} | ${name(c.file)} | ${c.passes}/${c.runs} | ${why} |`;
}

/** Mermaid's quoted labels end at `"`; keep label characters plain. */
const chartLabel = (value: string) => clip(value.replace(/[^\w .:/+-]/g, "_"), 40);

/** Bars for this commit's TTFT p50 and p90 per model, a line for the base's (when every charted model has one). */
function ttftChart(head: SmokeReport, baseline: SmokeReport | undefined): string | undefined {
  const measured = Object.entries(head.models).filter(([, results]) => results.metrics.ttft_ms !== undefined);
  if (measured.length === 0) return undefined;
  const charted = measured.slice(0, MAX_CHART_MODELS);
  const pair = (results: ModelReport | undefined) => {
    const ttft = results?.metrics.ttft_ms;
    return ttft === undefined ? undefined : [Math.round(ttft.p50), Math.round(ttft.p90)];
  };
  const headValues = charted.flatMap(([, results]) => pair(results) ?? []);
  // A model named `constructor` must not find Object.prototype's.
  const basePairs = charted.map(([model]) =>
    pair(baseline !== undefined && Object.hasOwn(baseline.models, model) ? baseline.models[model] : undefined),
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

const ENVIRONMENT_ROWS: [label: string, read: (e: SmokeEnvironment) => string | undefined][] = [
  [
    "GPU",
    (e) => (e.gpu ? (e.gpu_names?.length ? text(clip(e.gpu_names.join(", "), MAX_NAME)) : "yes") : "none (CPU only)"),
  ],
  ["Ollama", (e) => (e.ollama_version === undefined ? undefined : name(e.ollama_version))],
  ["Image", (e) => (e.image === undefined ? undefined : name(e.image))],
  ["Image digest", (e) => (e.image_digest === undefined ? undefined : name(e.image_digest))],
  [
    "Runner",
    ({ runner }) =>
      text(
        clip(
          `${runner.os}, ${runner.arch}, ${runner.cpus} CPUs, ${formatBytes(runner.memory_mib * MiB)} memory`,
          MAX_NAME,
        ),
      ),
  ],
  ["Node", (e) => name(e.runner.node)],
  ["Endpoint", (e) => name(e.endpoint)],
  ["Started", (e) => name(e.started_at)],
];

function environmentBlock(head: SmokeEnvironment, base: SmokeEnvironment | undefined): string {
  const rows = ENVIRONMENT_ROWS.map(([label, read]) => {
    const values = [head, ...(base === undefined ? [] : [base])].map((e) => read(e) ?? "–");
    return `| ${label} | ${values.join(" | ")} |`;
  });
  const header = base === undefined ? ["| | Head |", "| --- | --- |"] : ["| | Head | Base |", "| --- | --- | --- |"];
  return ["<details><summary>Environment</summary>", "", ...header, ...rows, "", "</details>"].join("\n");
}

/** The last lines of some output, verbatim in a code block. */
function fenced(lines: readonly string[]): string {
  // One output line stays one line: a line break inside would count against the line cap unseen.
  const shown = lines.slice(-MAX_LOG_LINES).map((line) => clip(line.replace(/\r\n?|\n/g, " "), MAX_REASON));
  // A fence longer than any backtick run inside cannot be closed by the output.
  const longestRun = Math.max(0, ...shown.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [`${fence}text`, ...shown, fence].join("\n");
}

function logBlock(logs: readonly string[]): string {
  const count = Math.min(logs.length, MAX_LOG_LINES);
  return [`<details><summary>Container log (last ${count} lines)</summary>`, "", fenced(logs), "", "</details>"].join(
    "\n",
  );
}

// --- build ---------------------------------------------------------------------------------------------

/** Whether the build made an image: not skipped, and not a dry run (only a real build fetches). */
const madeImage = (build: BuildReport | undefined): build is BuildReport =>
  build !== undefined && build.skipped === undefined && build.fetched !== undefined;

function buildSummary(build: BuildReport): string {
  if (build.skipped !== undefined) return `build skipped (${text(clip(build.skipped, MAX_REASON))})`;
  if (!madeImage(build)) return "dry run: nothing built";
  return `image built and ${deliveredAs(build, name).replace(/ as .*$/, "")}`;
}

function imageBlock(plan: Plan, build: BuildReport | undefined): string {
  const changed = plan.models.filter((m) => m.changed).length;
  const against = plan.base === undefined ? "no base, so all count as changed" : `against ${shortSha(plan.base)}`;
  const lines = [`${name(plan.imageTag)}: ${changed} of ${plan.models.length} models changed (${against}).`];
  if (madeImage(build)) {
    const t = build.milliseconds;
    const output = deliveredAs(build, name);
    lines.push(
      `Built in ${formatDuration(t.total)} (fetch ${formatDuration(t.fetch)}, create ${formatDuration(t.create)}, build ${formatDuration(t.build)}) and ${output}.`,
    );
  } else if (build !== undefined) {
    lines.push(`${buildSummary(build).replace(/^./, (first) => first.toUpperCase())}.`);
  }
  if (build !== undefined && build.layers.length > 0) {
    const bytes = (kind: "base" | "custom") =>
      build.layers.filter((l) => l.kind === kind).reduce((sum, l) => sum + l.bytes, 0);
    lines.push(
      `${build.layers.length} layers: ${formatBytes(bytes("base"))} of base models, ${formatBytes(bytes("custom"))} of custom models.`,
    );
  }
  const transfer = build?.pushedAgainstBase;
  if (transfer !== undefined) {
    lines.push(
      `Pushed ${formatBytes(transfer.bytes)} where the base commit's image ${name(transfer.image)} was (${plural(transfer.blobs, "new blob")}; the registry had the rest).`,
    );
  }
  // A trailing backslash is a hard line break, in comments and job summaries alike.
  return ["#### Image", "", lines.join("\\\n")].join("\n");
}

/**
 * One row per model, with its image layer's size. What a push uploads is not in the build report (the
 * registry skips layers it holds, and only it knows which those were), so the table does not guess: a changed
 * model's layer is new content, an unchanged one is byte-identical to the layer built before.
 */
function modelRows(plan: Plan, build: BuildReport | undefined): { lead: string; rows: string[] } {
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

// --- assembling and fitting ----------------------------------------------------------------------------

/** A part of the comment that can shrink: its items are dropped from the end when the comment is too long. */
interface Cuttable {
  /** What the notes call the items: "failing cases"; a one-item part says what it is: "TTFT chart". */
  noun: string;
  lead: string;
  items: string[];
  separator: string;
  kept: number;
}

const NOTE_SLOT = Symbol("truncation note");
type Block = string | Cuttable | typeof NOTE_SLOT;

const cuttable = (noun: string, lead: string, items: string[], separator: string): Cuttable => ({
  noun,
  lead,
  items,
  separator,
  kept: items.length,
});

const moreNote = (part: Cuttable, kept: number) =>
  `\n\n_…${(part.items.length - kept).toLocaleString("en-US")} more ${part.noun} cut to fit; see the JSON report._`;

function renderCuttable(part: Cuttable): string {
  if (part.kept === 0) return "";
  const shown = part.lead + part.items.slice(0, part.kept).join(part.separator);
  return part.kept < part.items.length ? shown + moreNote(part, part.kept) : shown;
}

function assemble(blocks: readonly Block[], note: string): string {
  const rendered = blocks.map((b) => (b === NOTE_SLOT ? note : typeof b === "string" ? b : renderCuttable(b)));
  return `${rendered.filter((b) => b !== "").join("\n\n")}\n`;
}

/** The most items that fit in `room` characters, the cut note included. */
function itemsFitting(part: Cuttable, room: number): number {
  let length = part.lead.length;
  for (let kept = 1; kept <= part.items.length; kept++) {
    length += (kept > 1 ? part.separator.length : 0) + (part.items[kept - 1] as string).length;
    const note = kept < part.items.length ? moreNote(part, kept).length : 0;
    if (length + note > room) return kept - 1;
  }
  return part.items.length;
}

function truncationNote(cutOrder: readonly Cuttable[]): string {
  const cut = cutOrder
    .filter((part) => part.kept < part.items.length)
    .map((part) =>
      part.items.length === 1
        ? `the ${part.noun}`
        : part.kept === 0
          ? `all ${part.items.length.toLocaleString("en-US")} ${part.noun}`
          : `${(part.items.length - part.kept).toLocaleString("en-US")} of ${part.items.length.toLocaleString("en-US")} ${part.noun}`,
    );
  return `✂️ Cut to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character limit: left out ${cut.join(", ")}. The full report is in the JSON artifact.`;
}

/** Cuts parts, in `cutOrder`, until the comment fits in `max` characters. */
function fitToLength(blocks: readonly Block[], cutOrder: readonly Cuttable[], max: number): string {
  const whole = assemble(blocks, "");
  if (whole.length <= max) return whole;
  const budget = max - NOTE_RESERVE;
  for (const part of cutOrder) {
    part.kept = 0;
    const without = assemble(blocks, "").length;
    if (without <= budget) {
      // A part joins the others with a blank line.
      part.kept = itemsFitting(part, budget - without - 2);
      break;
    }
  }
  const fitted = assemble(blocks, truncationNote(cutOrder));
  if (fitted.length > max) {
    throw new RangeError(`maxChars ${max} is too small: the report's fixed parts alone take ${fitted.length}`);
  }
  return fitted;
}

// --- the comment ---------------------------------------------------------------------------------------

const passedOf = (input: ReportInput) => input.failure === undefined && (input.head?.passed ?? true);
const failureLines = (failure: string) => failure.trimEnd().split(/\r\n?|\n/);

function verdictLine(input: ReportInput, plan: Plan | undefined): string {
  const { head, build, failure } = input;
  const parts: string[] = [];
  if (failure !== undefined) {
    const [first = ""] = failureLines(failure);
    parts.push(text(clip(first.replace(/:$/, ""), MAX_REASON)));
  }
  if (build !== undefined) parts.push(buildSummary(build));
  else if (plan !== undefined)
    parts.push(`${plan.models.filter((m) => m.changed).length} of ${plan.models.length} models changed`);
  if (head === undefined) parts.push("no smoke run");
  else {
    const passed = head.cases.filter((c) => c.passed).length;
    const models = Object.keys(head.models).length;
    parts.push(
      head.passed
        ? `smoke passed: ${passed}/${head.cases.length} cases on ${plural(models, "model")}`
        : `smoke failed: ${plural(head.failures.length, "problem")}, ${passed}/${head.cases.length} cases passed`,
    );
  }
  return `**${passedOf(input) ? "✅ Passed" : "❌ Failed"}**: ${parts.join("; ")}.`;
}

function baselineLine(input: ReportInput, plan: Plan | undefined): string | undefined {
  if (input.head === undefined) return undefined;
  if (input.baseline !== undefined) {
    const commit = plan?.base === undefined ? "" : ` ${shortSha(plan.base)}`;
    return `Compared with the smoke report of the base commit${commit}.`;
  }
  const why = input.baselineNote ?? "no smoke report was given for the base commit";
  return `ℹ️ No baseline to compare with: ${text(clip(why.replace(/\.$/, ""), MAX_REASON))}.`;
}

function footer(input: ReportInput): string {
  const parts: string[] = [];
  if (input.head !== undefined && input.baseline !== undefined) {
    parts.push(
      `Δ is head minus base; ▲/▼ mark a change past run-to-run noise: ${Object.values(NOISE).map(describeRule).join("; ")}.`,
    );
  }
  if (input.head !== undefined) parts.push("The full smoke report is in the JSON artifact.");
  const runUrl = input.runUrl !== undefined && URL.canParse(input.runUrl) ? new URL(input.runUrl) : undefined;
  if (runUrl !== undefined && /^https?:$/.test(runUrl.protocol)) {
    // Parentheses would end the link's destination early (URL encodes spaces but not these).
    parts.push(`[Workflow run](${runUrl.href.replaceAll("(", "%28").replaceAll(")", "%29")})`);
  }
  return parts.length === 0 ? "" : `<sub>${parts.join(" ")}</sub>`;
}

/** The comment body, at most `options.maxChars` characters (see the module comment for what is cut first). */
export function renderReport(input: ReportInput, options: RenderOptions = {}): string {
  const { head, baseline, build } = input;
  const plan = input.plan ?? build?.plan;
  const id = input.marker.startsWith(`${MARKER_NAME}:`) ? input.marker.slice(MARKER_NAME.length + 1) : undefined;
  const compared = head !== undefined && baseline !== undefined;

  const verdictFailures = cuttable(
    "failure lines",
    "",
    head === undefined || head.passed
      ? []
      : [
          ...head.failures.slice(0, MAX_VERDICT_FAILURES).map((f) => `- ${code(clip(f, MAX_REASON))}`),
          ...(head.failures.length > MAX_VERDICT_FAILURES
            ? [`- …and ${head.failures.length - MAX_VERDICT_FAILURES} more`]
            : []),
        ],
    "\n",
  );
  const models = plan === undefined ? undefined : modelRows(plan, build);
  const modelTable = cuttable("model rows", models?.lead ?? "", models?.rows ?? [], "\n");

  const headViews = head === undefined ? undefined : modelViews(head);
  const baseViews = baseline === undefined ? undefined : modelViews(baseline);
  const serverTable =
    head === undefined
      ? undefined
      : metricTable(SERVER_ROWS, "Server", head.environment, baseline?.environment, compared);
  const smokeTables = cuttable(
    "model smoke tables",
    `#### Smoke\n\n${serverTable === undefined ? "" : `${serverTable}\n\n`}`,
    headViews === undefined ? [] : [...headViews].map(([model, view]) => modelBlock(model, view, baseViews)),
    "\n\n",
  );
  const failingCases = cuttable(
    "failing or flaky cases",
    "#### Failing and flaky cases\n\n| | Case | Model | File | Runs passed | Why |\n| --- | --- | --- | --- | ---: | --- |\n",
    head === undefined ? [] : casesWorthShowing(head.cases).map(caseRow),
    "\n",
  );
  const chart = head === undefined ? undefined : ttftChart(head, baseline);
  const chartPart = cuttable("TTFT chart", "", chart === undefined ? [] : [chart], "");
  const environment = cuttable(
    "environment table",
    "",
    head === undefined ? [] : [environmentBlock(head.environment, baseline?.environment)],
    "",
  );
  const logs = cuttable("container log", "", head?.logs?.length ? [logBlock(head.logs)] : [], "");

  const blocks: Block[] = [
    markerLine(input.marker),
    `### ollama-build${id === undefined ? "" : ` (${text(clip(id, MAX_NAME))})`}`,
    verdictLine(input, plan),
    // The rest of a failure's message (a build's last stderr lines) as it was.
    input.failure !== undefined && failureLines(input.failure).length > 1
      ? fenced(failureLines(input.failure).slice(1))
      : "",
    verdictFailures,
    NOTE_SLOT,
    input.provenance === undefined ? "" : `ℹ️ ${text(clip(input.provenance, MAX_REASON))}`,
    forkLine(input.forkPullRequest),
    baselineLine(input, plan) ?? "",
    plan === undefined ? "" : imageBlock(plan, build),
    modelTable,
    smokeTables,
    failingCases,
    chartPart,
    environment,
    logs,
    footer(input),
  ];
  const cutOrder = [failingCases, smokeTables, modelTable, logs, chartPart, environment, verdictFailures];
  return fitToLength(blocks, cutOrder, options.maxChars ?? DEFAULT_MAX_CHARS);
}

/** The report as data, for `report --format json`: the verdict and every comparison the comment shows. */
export interface ReportJson {
  marker: string;
  passed: boolean;
  /** The run's failure, then the smoke's failure lines. */
  failures: string[];
  baseline: { compared: boolean; note?: string };
  server: MetricComparison[];
  models: { name: string; cases: number; passed: number; inBaseline: boolean; metrics: MetricComparison[] }[];
  /** Failing critical cases, then other failing cases, then flaky ones that passed. */
  cases: CaseReport[];
  noise: typeof NOISE;
}

export function renderReportJson(input: ReportInput): ReportJson {
  const { head, baseline } = input;
  const baseViews = baseline === undefined ? undefined : modelViews(baseline);
  const comparisons = <T>(rows: readonly MetricRow<T>[], headSource: T, baseSource: T | undefined) =>
    rows.flatMap((row) => compare(row, headSource, baseSource) ?? []);
  const baselineState: ReportJson["baseline"] = { compared: head !== undefined && baseline !== undefined };
  if (head !== undefined && baseline === undefined && input.baselineNote !== undefined) {
    baselineState.note = input.baselineNote;
  }
  return {
    marker: input.marker,
    passed: passedOf(input),
    failures: [...(input.failure === undefined ? [] : [input.failure]), ...(head?.failures ?? [])],
    baseline: baselineState,
    server: head === undefined ? [] : comparisons(SERVER_ROWS, head.environment, baseline?.environment),
    models:
      head === undefined
        ? []
        : [...modelViews(head)].map(([name, view]) => ({
            name,
            cases: view.cases.length,
            passed: view.cases.filter((c) => c.passed).length,
            inBaseline: baseViews?.has(name) ?? false,
            metrics: comparisons(MODEL_ROWS, view, baseViews?.get(name)),
          })),
    cases: head === undefined ? [] : casesWorthShowing(head.cases),
    noise: NOISE,
  };
}

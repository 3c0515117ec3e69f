/**
 * The pull-request comment: a verdict, the image and its models, the smoke metrics against the base commit's
 * report, the failing cases, a TTFT chart and the environment. Pure: the same input always gives the same text.
 * This file puts the comment together from its parts (verdict.ts, image.ts, tables.ts, chart.ts,
 * environment.ts) and fits it to GitHub's limit (fit.ts).
 *
 * Every string that comes from a report (model names, case ids, failure reasons, paths) is clipped and goes
 * into a code span or through `text()`, so it can neither break a table nor inject HTML or @-mentions.
 *
 * GitHub refuses a comment over 65,536 characters. When the comment would be longer, whole parts are cut from
 * the end, in this order: failing cases, per-model smoke tables, the models table, the container log, the
 * chart, the environment, the verdict's failure list. A note says what was left out; the JSON report (the
 * smoke stage's artifact) always has everything.
 */

import { modelViews } from "../smoke/metric-values.js";
import type { SmokeReport } from "../smoke/types.js";
import { clip, code, text } from "../text/markdown.js";
import { ttftChart } from "./chart.js";
import { describeRule, NOISE, SERVER_FIGURES } from "./comparison.js";
import { environmentBlock, fenced, logBlock } from "./environment.js";
import { type Block, type Cuttable, cuttable, fitToLength, NOTE_SLOT } from "./fit.js";
import { imageBlock } from "./image.js";
import { MAX_NAME, MAX_REASON, MAX_VERDICT_FAILURES } from "./inline.js";
import type { ReportInput } from "./input.js";
import { loadSection } from "./load.js";
import { pairedBlocks } from "./paired.js";
import { CASE_TABLE_HEAD, caseRow, casesWorthShowing, metricTable, modelBlock, planRows } from "./tables.js";
import { baselineLine, failureLines, verdictLine } from "./verdict.js";

export { GITHUB_COMMENT_LIMIT } from "./fit.js";
export type { ReportInput } from "./input.js";
export { type ReportJson, renderReportJson } from "./json.js";

export interface RenderOptions {
  /** The longest comment to produce; GitHub's limit (65,536) less a margin by default. */
  maxChars?: number;
}

/** The default leaves room for a caller's extra line. */
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

/** A pull request number from the event (an integer, not text): the one reference that links. */
function forkLine(pullRequest: number | undefined): string {
  if (pullRequest === undefined || !Number.isSafeInteger(pullRequest) || pullRequest < 1) return "";
  return `ℹ️ These figures come from the workflow run of pull request #${pullRequest} (from a fork), as that run reported them.`;
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

/** The smoke's failure lines, under the verdict. */
function verdictFailures(head: SmokeReport | undefined): Cuttable {
  const failures = head === undefined || head.passed ? [] : head.failures;
  const shown = failures.slice(0, MAX_VERDICT_FAILURES).map((f) => `- ${code(clip(f, MAX_REASON))}`);
  if (failures.length > MAX_VERDICT_FAILURES) shown.push(`- …and ${failures.length - MAX_VERDICT_FAILURES} more`);
  return cuttable("failure lines", "", shown, "\n");
}

/** The smoke's parts of the comment; each is empty without a smoke report. */
function smokeParts(head: SmokeReport | undefined, baseline: SmokeReport | undefined) {
  const compared = head !== undefined && baseline !== undefined;
  const baseViews = baseline === undefined ? undefined : modelViews(baseline);
  const serverTable =
    head === undefined
      ? undefined
      : metricTable(SERVER_FIGURES, "Server", head.environment, baseline?.environment, compared);
  const chart = head === undefined ? undefined : ttftChart(head, baseline);
  return {
    smokeTables: cuttable(
      "model smoke tables",
      `#### Smoke\n\n${serverTable === undefined ? "" : `${serverTable}\n\n`}`,
      head === undefined ? [] : [...modelViews(head)].map(([model, view]) => modelBlock(model, view, baseViews)),
      "\n\n",
    ),
    failingCases: cuttable(
      "failing or flaky cases",
      `#### Failing and flaky cases\n\n${CASE_TABLE_HEAD}`,
      head === undefined ? [] : casesWorthShowing(head.cases).map(caseRow),
      "\n",
    ),
    chart: cuttable("TTFT chart", "", chart === undefined ? [] : [chart], ""),
    environment: cuttable(
      "environment table",
      "",
      head === undefined ? [] : [environmentBlock(head.environment, baseline?.environment)],
      "",
    ),
    logs: cuttable("container log", "", head?.logs?.length ? [logBlock(head.logs)] : [], ""),
    paired: pairedPart(head),
  };
}

function pairedPart(head: SmokeReport | undefined): Cuttable {
  if (head?.paired === undefined) return cuttable("paired comparisons", "", [], "\n\n");
  const { lead, models } = pairedBlocks(head.paired);
  return cuttable("paired comparisons", lead, models, "\n\n");
}

/** The comment body, at most `options.maxChars` characters (see the module comment for what is cut first). */
export function renderReport(input: ReportInput, options: RenderOptions = {}): string {
  const plan = input.plan ?? input.build?.plan;
  const id = input.marker.startsWith(`${MARKER_NAME}:`) ? input.marker.slice(MARKER_NAME.length + 1) : undefined;
  const failures = verdictFailures(input.head);
  const plannedModels = plan === undefined ? undefined : planRows(plan, input.build);
  const modelTable = cuttable("model rows", plannedModels?.lead ?? "", plannedModels?.rows ?? [], "\n");
  const smoke = smokeParts(input.head, input.baseline);
  const underLoad = loadSection(input.head);
  const failureOutput = input.failure === undefined ? [] : failureLines(input.failure).slice(1);

  const blocks: Block[] = [
    markerLine(input.marker),
    `### ollama-build${id === undefined ? "" : ` (${text(clip(id, MAX_NAME))})`}`,
    verdictLine(input, plan),
    // The rest of a failure's message (a build's last stderr lines) as it was.
    failureOutput.length > 0 ? fenced(failureOutput) : "",
    failures,
    NOTE_SLOT,
    input.provenance === undefined ? "" : `ℹ️ ${text(clip(input.provenance, MAX_REASON))}`,
    forkLine(input.forkPullRequest),
    baselineLine(input, plan) ?? "",
    plan === undefined ? "" : imageBlock(plan, input.build),
    modelTable,
    smoke.smokeTables,
    smoke.paired,
    underLoad,
    smoke.failingCases,
    smoke.chart,
    smoke.environment,
    smoke.logs,
    footer(input),
  ];
  const cutOrder = [
    smoke.failingCases,
    smoke.smokeTables,
    smoke.paired,
    underLoad,
    modelTable,
    smoke.logs,
    smoke.chart,
    smoke.environment,
    failures,
  ];
  return fitToLength(blocks, cutOrder, options.maxChars ?? DEFAULT_MAX_CHARS);
}

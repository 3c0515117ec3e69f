/** The comment's verdict line (passed or failed, and why in one sentence) and what it is compared with. */
import type { Plan } from "../plan/plan.js";
import type { SmokeReport } from "../smoke/types.js";
import { clip, text } from "../text/markdown.js";
import { buildSummary } from "./image.js";
import { MAX_REASON, plural, shortSha } from "./inline.js";
import type { ReportInput } from "./input.js";
import { pairedRegressions } from "./paired.js";

/** Passed: no failure before the smoke, and the smoke (if any) passed. */
export const passedOf = (input: ReportInput) => input.failure === undefined && (input.head?.passed ?? true);

export const failureLines = (failure: string) => failure.trimEnd().split(/\r\n?|\n/);

function smokeSummary(input: ReportInput): string {
  const { head } = input;
  if (head === undefined) return "no smoke run";
  const passed = head.cases.filter((c) => c.passed).length;
  const models = Object.keys(head.models).length;
  const summary = head.passed
    ? `smoke passed: ${passed}/${head.cases.length} cases on ${plural(models, "model")}`
    : `smoke failed: ${plural(head.failures.length, "problem")}, ${passed}/${head.cases.length} cases passed`;
  const regressions = head.paired === undefined ? 0 : pairedRegressions(head.paired);
  return regressions === 0 ? summary : `${summary}; ⚠️ ${plural(regressions, "regression")} against the base image`;
}

export function verdictLine(input: ReportInput, plan: Plan | undefined): string {
  const { build, failure } = input;
  const parts: string[] = [];
  if (failure !== undefined) {
    const [first = ""] = failureLines(failure);
    parts.push(text(clip(first.replace(/:$/, ""), MAX_REASON)));
  }
  if (build !== undefined) parts.push(buildSummary(build));
  else if (plan !== undefined)
    parts.push(`${plan.models.filter((m) => m.changed).length} of ${plan.models.length} models changed`);
  parts.push(smokeSummary(input));
  return `**${passedOf(input) ? "✅ Passed" : "❌ Failed"}**: ${parts.join("; ")}.`;
}

/** `Linux 6.1, x64, 2 CPUs, 2026-12-06`: where and when a saved report was measured. */
function measuredOn(report: SmokeReport): string {
  const { runner, started_at: started } = report.environment;
  const day = /^\d{4}-\d{2}-\d{2}/.exec(started)?.[0];
  return `${text(clip(`${runner.os}, ${runner.arch}, ${runner.cpus} CPUs`, MAX_REASON))}${day === undefined ? "" : ` on ${day}`}`;
}

export function baselineLine(input: ReportInput, plan: Plan | undefined): string | undefined {
  if (input.head === undefined) return undefined;
  if (input.head.paired !== undefined) return "Paired with the base commit's image on this runner (below).";
  if (input.baseline !== undefined) {
    const commit = plan?.base === undefined ? "" : ` ${shortSha(plan.base)}`;
    const why = input.notPaired === undefined ? "" : ` (${text(clip(input.notPaired, MAX_REASON))})`;
    return `Not paired${why}: compared with the smoke report of the base commit${commit}, measured on ${measuredOn(input.baseline)}.`;
  }
  const why = input.baselineNote ?? "no smoke report was given for the base commit";
  return `ℹ️ No baseline to compare with: ${text(clip(why.replace(/\.$/, ""), MAX_REASON))}.`;
}

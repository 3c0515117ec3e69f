/** The comment's verdict line (passed or failed, and why in one sentence) and what it is compared with. */
import type { Plan } from "../plan/plan.js";
import { clip, text } from "../text/markdown.js";
import { buildSummary } from "./image.js";
import { MAX_REASON, plural, shortSha } from "./inline.js";
import type { ReportInput } from "./input.js";

/** Passed: no failure before the smoke, and the smoke (if any) passed. */
export const passedOf = (input: ReportInput) => input.failure === undefined && (input.head?.passed ?? true);

export const failureLines = (failure: string) => failure.trimEnd().split(/\r\n?|\n/);

function smokeSummary(input: ReportInput): string {
  const { head } = input;
  if (head === undefined) return "no smoke run";
  const passed = head.cases.filter((c) => c.passed).length;
  const models = Object.keys(head.models).length;
  return head.passed
    ? `smoke passed: ${passed}/${head.cases.length} cases on ${plural(models, "model")}`
    : `smoke failed: ${plural(head.failures.length, "problem")}, ${passed}/${head.cases.length} cases passed`;
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

export function baselineLine(input: ReportInput, plan: Plan | undefined): string | undefined {
  if (input.head === undefined) return undefined;
  if (input.baseline !== undefined) {
    const commit = plan?.base === undefined ? "" : ` ${shortSha(plan.base)}`;
    return `Compared with the smoke report of the base commit${commit}.`;
  }
  const why = input.baselineNote ?? "no smoke report was given for the base commit";
  return `ℹ️ No baseline to compare with: ${text(clip(why.replace(/\.$/, ""), MAX_REASON))}.`;
}

/** What the pull-request comment and `report --format json` are made from. */
import type { BuildReport } from "../build/report.js";
import type { Plan } from "../plan/plan.js";
import type { SmokeReport } from "../smoke/types.js";

export interface ReportInput {
  /** This commit's smoke report. */
  head?: SmokeReport;
  /** The base commit's smoke report, to compare with. */
  baseline?: SmokeReport;
  /** Why there is no baseline: `no report was saved for the base commit abc1234`. */
  baselineNote?: string;
  /** Why the head was not smoked beside the base commit's image (then a saved report is the baseline). */
  notPaired?: string;
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

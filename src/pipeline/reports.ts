/**
 * What the run reads from and saves to the report store: the policy, whatever keeps the reports (GitHub's
 * cache in a workflow, a baseline file on the command line).
 */
import type { Plan } from "../plan/plan.js";
import type { ReportStore, SavedReport } from "../report/saved-reports.js";
import type { SmokeReport } from "../smoke/types.js";

/** An earlier smoke of this very image with the same settings: when this run built nothing, it is reused. */
export async function reusableSmoke(
  store: ReportStore,
  imageTag: string,
  settings: string,
): Promise<SmokeReport | undefined> {
  const saved = await store.forImage(imageTag, imageTag, settings);
  return "report" in saved ? saved.report : undefined;
}

/** The base commit's report; else the newest report of the image the base commit's models make. */
export async function baselineFor(store: ReportStore, plan: Plan | undefined, baseSha?: string): Promise<SavedReport> {
  const base = plan?.base ?? baseSha;
  if (base === undefined) return { missing: "no base commit to compare with" };
  const what = `the base commit ${base.slice(0, 7)} (the base branch's workflow saves one)`;
  const byCommit = await store.forCommit(base, what);
  // When the base built this very image, its image's reports are this pull request's own: only the commit's counts.
  if ("report" in byCommit || plan?.baseImageTag === undefined || plan.baseImageTag === plan.imageTag) return byCommit;
  return store.forImage(plan.baseImageTag, what);
}

export interface SmokeToSave {
  smoke: SmokeReport;
  /** The report is an earlier run's (reused): it is not saved under this image again. */
  reused: boolean;
  plan?: Plan;
  /** The smoke settings' digest: part of the image report's key. */
  settings?: string;
  /** The commit built, saved under when the run is not a pull request's. */
  sha?: string;
  pullRequest?: number;
}

/** Saves this run's smoke under its commit (runs on a branch) and, when it was made here and passed, its image. */
export async function saveSmoke(store: ReportStore, run: SmokeToSave): Promise<void> {
  // Every run on a branch (main) saves its report for the pull requests that will be based on it, even when it
  // reuses the image's report: most commits on main change no model.
  if (run.pullRequest === undefined && run.sha !== undefined) await store.saveForCommit(run.sha, run.smoke);
  // Only a passing smoke stands in for a later one: a failure (a stall, a flaky case) must be run again.
  if (!run.reused && run.smoke.passed && run.plan !== undefined && run.settings !== undefined) {
    await store.saveForImage(run.plan.imageTag, run.settings, run.smoke);
  }
}

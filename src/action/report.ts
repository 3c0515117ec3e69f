/**
 * The report in a workflow: the comparison with the base commit's saved report, the job summary, the report
 * artifact, and the sticky pull request comment. None of it can fail the step: the check's result is the
 * build and smoke verdict, and every reporting problem ends as a warning.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { getOctokit } from "@actions/github";
import type { BuildReport } from "../build/stage.js";
import { uploadReports } from "../github/artifact.js";
import { githubReportCache } from "../github/cache.js";
import { writeFileAtomically } from "../io/files.js";
import type { Plan } from "../plan/plan.js";
import { type CommentResult, upsertComment } from "../publish/comment.js";
import { commentMarker, renderReport } from "../report/render.js";
import {
  type Baseline,
  baselineKey,
  imageReportKey,
  imageReportPrefix,
  restoreBaseline,
  saveBaseline,
} from "../report/saved-reports.js";
import { parseSmokeReport } from "../smoke/report-schema.js";
import type { SmokeReport } from "../smoke/types.js";
import type { Inputs } from "./inputs.js";
import { log } from "./log.js";

/** Where the report files are written; the artifact holds exactly these. */
export const REPORT_FILES = {
  comment: "comment.md",
  smoke: "smoke-report.json",
  build: "build-report.json",
  plan: "plan.json",
  pullRequest: "pull-request.json",
} as const;

export interface ReportContext {
  inputs: Inputs;
  env: NodeJS.ProcessEnv;
  repository?: string;
  pullRequest?: number;
  /** The commit the baseline is looked up for (a pull request's base). */
  baseSha?: string;
  sha?: string;
}

export interface StageResults {
  plan?: Plan;
  build?: BuildReport;
  smoke?: SmokeReport;
  /** The smoke report is an earlier run's, of the same image (this run built nothing). */
  smokeReused?: boolean;
  /** Digest of what the smoke ran with (cases, budgets, repeat, GPU mode): part of the image report's key. */
  smokeSettings?: string;
  /** Why the run failed before it had a smoke report (a build error). */
  failure?: string;
}

const runnerTemp = (env: NodeJS.ProcessEnv) => env.RUNNER_TEMP ?? os.tmpdir();

const artifactName = (commentId: string | undefined) =>
  commentId === undefined ? "ollama-build-report" : `ollama-build-report-${commentId}`;

function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_REPOSITORY === undefined || env.GITHUB_RUN_ID === undefined) return undefined;
  return `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

function octokitFor(context: ReportContext) {
  const token = context.inputs["github-token"];
  if (token === undefined) return undefined;
  return getOctokit(token, context.env.GITHUB_API_URL === undefined ? {} : { baseUrl: context.env.GITHUB_API_URL });
}

/** Posts (or updates) the comment; a failure is a warning that says how fork pull requests get theirs. */
async function postComment(
  context: ReportContext,
  pullRequest: number,
  body: string,
): Promise<CommentResult | undefined> {
  const octokit = octokitFor(context);
  const [owner, repo] = (context.repository ?? "").split("/");
  if (octokit === undefined || owner === undefined || repo === undefined) {
    core.warning("the pull request comment was not posted: no github-token or repository");
    return undefined;
  }
  const result = await upsertComment(
    octokit,
    { owner, repo, issueNumber: pullRequest, marker: commentMarker(context.inputs["comment-id"]), body },
    { log },
  );
  if (result.action === "skipped") {
    core.warning(
      `the pull request comment was not posted: ${result.reason}. The job summary and the report artifact have it; for pull requests from forks, post it with the workflow_run workflow (README: "Pull requests from forks").`,
    );
  } else core.info(`pull request comment ${result.action}: ${result.url}`);
  return result;
}

/**
 * One folder for every saved report, at the same path in every job: a cache entry restores only to the paths it
 * was saved from (they are part of its version), and RUNNER_TEMP differs between runners.
 */
const SAVED_REPORT_DIR = path.join(os.tmpdir(), "ollama-build-saved-report");

/** Saves this run's smoke report under its commit (on branches) and, when it was made here, under its image. */
async function saveReport(context: ReportContext, results: StageResults, smoke: SmokeReport): Promise<void> {
  const commentId = context.inputs["comment-id"];
  // Every run on a branch (main) saves its report for the pull requests that will be based on it, even when it
  // reuses the image's report: most commits on main change no model.
  if (context.pullRequest === undefined && context.sha !== undefined) {
    await saveBaseline(githubReportCache, SAVED_REPORT_DIR, baselineKey(context.sha, commentId), smoke);
  }
  // Only a passing smoke stands in for a later one: a failure (a stall, a flaky case) must be run again.
  if (!results.smokeReused && smoke.passed && results.plan !== undefined && results.smokeSettings !== undefined) {
    const key = imageReportKey(results.plan.imageTag, results.smokeSettings, commentId);
    await saveBaseline(githubReportCache, SAVED_REPORT_DIR, key, smoke);
  }
}

/** The base commit's report; else the newest report of the image the base commit's models make. */
async function baselineFor(context: ReportContext, plan: Plan | undefined): Promise<Baseline> {
  const base = plan?.base ?? context.baseSha;
  if (base === undefined) return { missing: "no base commit to compare with" };
  const commentId = context.inputs["comment-id"];
  const what = `the base commit ${base.slice(0, 7)} (the base branch's workflow saves one)`;
  const byCommit = await restoreBaseline(githubReportCache, SAVED_REPORT_DIR, what, baselineKey(base, commentId));
  // When the base built this very image, its image's reports are this pull request's own: only the commit's counts.
  if ("report" in byCommit || plan?.baseImageTag === undefined || plan.baseImageTag === plan.imageTag) return byCommit;
  const prefix = imageReportPrefix(plan.baseImageTag, commentId);
  return restoreBaseline(githubReportCache, SAVED_REPORT_DIR, what, prefix, prefix);
}

/**
 * The smoke report of an image an earlier run built and smoked with the same settings: this run need not boot
 * it again. Undefined when no run saved one that this run can see.
 */
export async function savedImageReport(
  context: ReportContext,
  imageTag: string,
  settings: string,
): Promise<SmokeReport | undefined> {
  if (!context.inputs.baseline) return undefined;
  const key = imageReportKey(imageTag, settings, context.inputs["comment-id"]);
  const saved = await restoreBaseline(githubReportCache, SAVED_REPORT_DIR, imageTag, key);
  return "report" in saved ? saved.report : undefined;
}

/** Renders the report, writes the job summary and the report files, uploads them, and comments on the PR. */
export async function reportStage(context: ReportContext, results: StageResults): Promise<string> {
  let baseline: Baseline | undefined;
  if (context.inputs.baseline && results.smoke !== undefined) {
    // Looked up before this run saves its own, which must never be its own baseline.
    baseline = await baselineFor(context, results.plan);
    await saveReport(context, results, results.smoke);
  }
  const url = runUrl(context.env);
  const body = renderReport({
    marker: commentMarker(context.inputs["comment-id"]),
    ...(results.smoke === undefined ? {} : { head: results.smoke }),
    ...(baseline === undefined
      ? {}
      : "report" in baseline
        ? { baseline: baseline.report }
        : { baselineNote: baseline.missing }),
    ...(results.plan === undefined ? {} : { plan: results.plan }),
    ...(results.build === undefined ? {} : { build: results.build }),
    ...(results.failure === undefined ? {} : { failure: results.failure }),
    ...(results.smokeReused && results.smoke !== undefined
      ? {
          provenance: `This image was built and smoked before, with the same cases and settings: the smoke figures are from that run (${results.smoke.environment.started_at}).`,
        }
      : {}),
    ...(url === undefined ? {} : { runUrl: url }),
  });
  await core.summary.addRaw(body).write();

  const dir = path.join(runnerTemp(context.env), "ollama-build-report");
  const files: [string, string][] = [[REPORT_FILES.comment, body]];
  if (results.smoke !== undefined) files.push([REPORT_FILES.smoke, JSON.stringify(results.smoke, null, 2)]);
  if (results.build !== undefined) files.push([REPORT_FILES.build, JSON.stringify(results.build, null, 2)]);
  if (results.plan !== undefined) files.push([REPORT_FILES.plan, JSON.stringify(results.plan, null, 2)]);
  if (context.pullRequest !== undefined) {
    files.push([REPORT_FILES.pullRequest, JSON.stringify({ number: context.pullRequest })]);
  }
  for (const [name, text] of files) await writeFileAtomically(path.join(dir, name), `${text}\n`);
  core.setOutput("report-dir", dir);
  core.setOutput("comment", body);
  if (context.inputs.artifact) {
    await uploadReports(
      artifactName(context.inputs["comment-id"]),
      files.map(([name]) => path.join(dir, name)),
      dir,
    );
  }
  if (context.pullRequest !== undefined && context.inputs.comment) {
    await postComment(context, context.pullRequest, body);
  }
  return body;
}

interface WorkflowRunEvent {
  workflow_run?: { head_sha?: string; event?: string };
}

/**
 * `command: report` in a `workflow_run` workflow: the comment a fork's pull request run could not post. Its
 * artifact (downloaded to `report-dir`) is that run's output, and a fork's pull request runs the fork's own
 * workflow file, so nothing in it is trusted: the pull request it names is believed only when its head is the
 * commit the triggering run built, the comment is rendered here from the validated smoke report (the renderer
 * escapes every string, so no markdown, link or mention gets through), and it says where its figures come from.
 */
export async function postSavedReport(
  context: ReportContext,
  reportDir: string,
  event: WorkflowRunEvent,
): Promise<void> {
  const read = (name: string) => readFile(path.join(reportDir, name), "utf8");
  const smokeText = await read(REPORT_FILES.smoke).catch(() => undefined);
  const saved = await read(REPORT_FILES.pullRequest).catch(() => undefined);
  if (smokeText === undefined && saved === undefined) {
    throw new Error(`report-dir ${reportDir} has no ${REPORT_FILES.smoke}: download the report artifact there first`);
  }
  const head =
    smokeText === undefined ? undefined : parseSmokeReport(smokeText, path.join(reportDir, REPORT_FILES.smoke));
  if (saved === undefined) {
    core.info("the report is not from a pull request: nothing to comment on");
    return;
  }
  const { number } = JSON.parse(saved) as { number?: unknown };
  const headSha = event.workflow_run?.head_sha;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || headSha === undefined) {
    core.warning("the saved report names no pull request, or this run was not triggered by workflow_run");
    return;
  }
  const octokit = octokitFor(context);
  const [owner, repo] = (context.repository ?? "").split("/");
  if (octokit === undefined || owner === undefined || repo === undefined) {
    core.warning("the pull request comment was not posted: no github-token or repository");
    return;
  }
  let baseSha: string;
  try {
    const pull = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    if (pull.data.head.sha !== headSha) {
      core.warning(
        `the saved report names pull request #${number}, whose head is ${pull.data.head.sha.slice(0, 7)}, not the commit the run built (${headSha.slice(0, 7)}): not posted`,
      );
      return;
    }
    baseSha = pull.data.base.sha;
  } catch (error) {
    core.warning(`could not look up pull request #${number}: ${(error as Error).message}`);
    return;
  }
  // The base is the API's word for it, and its report was saved by this repository's own runs on main.
  const baseline =
    head !== undefined && context.inputs.baseline ? await baselineFor({ ...context, baseSha }, undefined) : undefined;
  const body = renderReport({
    marker: commentMarker(context.inputs["comment-id"]),
    forkPullRequest: number,
    ...(head === undefined ? { failure: "the fork's run left no smoke report (see its job summary)" } : { head }),
    ...(baseline === undefined
      ? {}
      : "report" in baseline
        ? { baseline: baseline.report }
        : { baselineNote: baseline.missing }),
  });
  await core.summary.addRaw(body).write();
  await postComment(context, number, body);
}

/**
 * The report in a workflow: the job summary, the report files and their artifact, and the sticky pull request
 * comment. None of it can fail the step: the check's result is the build and smoke verdict, and every
 * reporting problem ends as a warning.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { getOctokit } from "@actions/github";
import { uploadReports } from "../github/artifact.js";
import { writeFileAtomically } from "../io/files.js";
import type { AllResult } from "../pipeline/all.js";
import { baselineFor } from "../pipeline/reports.js";
import { type CommentResult, upsertComment } from "../publish/comment.js";
import { commentMarker, type ReportInput, renderReport } from "../report/render.js";
import { parseSmokeReport } from "../smoke/report-schema.js";
import type { ActionContext } from "./commands.js";
import { log } from "./log.js";

/** Where the report files are written; the artifact holds exactly these. */
export const REPORT_FILES = {
  comment: "comment.md",
  smoke: "smoke-report.json",
  build: "build-report.json",
  plan: "plan.json",
  pullRequest: "pull-request.json",
} as const;

const artifactName = (commentId: string | undefined) =>
  commentId === undefined ? "ollama-build-report" : `ollama-build-report-${commentId}`;

export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_REPOSITORY === undefined || env.GITHUB_RUN_ID === undefined) return undefined;
  return `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

/** A client for GITHUB_API_URL (only) with the `github-token` input; undefined without a token. */
export function octokitFor(context: ActionContext) {
  const token = context.inputs["github-token"];
  if (token === undefined) return undefined;
  return getOctokit(token, context.env.GITHUB_API_URL === undefined ? {} : { baseUrl: context.env.GITHUB_API_URL });
}

/** Posts (or updates) the comment; a failure is a warning that says how fork pull requests get theirs. */
async function postComment(
  context: ActionContext,
  pullRequest: number,
  body: string,
): Promise<CommentResult | undefined> {
  const octokit = octokitFor(context);
  const [owner, repo] = (context.run.repository ?? "").split("/");
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

/** Renders `all`'s report, writes the job summary and the report files, uploads them, and comments on the PR. */
export async function publishReport(context: ActionContext, result: AllResult): Promise<void> {
  const url = runUrl(context.env);
  const body = renderReport({ ...result.report, ...(url === undefined ? {} : { runUrl: url }) });
  await core.summary.addRaw(body).write();

  const pullRequest = context.run.source.pullRequest;
  const dir = path.join(context.env.RUNNER_TEMP ?? os.tmpdir(), "ollama-build-report");
  const files: [string, string][] = [[REPORT_FILES.comment, body]];
  if (result.smoke !== undefined) files.push([REPORT_FILES.smoke, JSON.stringify(result.smoke, null, 2)]);
  if (result.build !== undefined) files.push([REPORT_FILES.build, JSON.stringify(result.build, null, 2)]);
  if (result.plan !== undefined) files.push([REPORT_FILES.plan, JSON.stringify(result.plan, null, 2)]);
  if (pullRequest !== undefined) files.push([REPORT_FILES.pullRequest, JSON.stringify({ number: pullRequest })]);
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
  if (pullRequest !== undefined && context.inputs.comment) await postComment(context, pullRequest, body);
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
  context: ActionContext,
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
  const [owner, repo] = (context.run.repository ?? "").split("/");
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
  const store = context.pipeline.options.reports;
  const baseline = head !== undefined && store !== undefined ? await baselineFor(store, undefined, baseSha) : undefined;
  const input: ReportInput = {
    marker: commentMarker(context.inputs["comment-id"]),
    forkPullRequest: number,
    ...(head === undefined ? { failure: "the fork's run left no smoke report (see its job summary)" } : { head }),
    ...(baseline === undefined
      ? {}
      : "report" in baseline
        ? { baseline: baseline.report }
        : { baselineNote: baseline.missing }),
  };
  const body = renderReport(input);
  await core.summary.addRaw(body).write();
  await postComment(context, number, body);
}

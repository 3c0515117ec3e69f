/** One function per action command: run the pipeline's stage, then annotations, outputs and the job summary. */
import { readFile, realpath } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { formatBuildMarkdown } from "../build/format.js";
import type { BuildReport } from "../build/report.js";
import type { RunContext } from "../github/context.js";
import { writeFileAtomically } from "../io/files.js";
import { formatLintMarkdown } from "../lint/format.js";
import type { FileDiagnostics } from "../lint/rules.js";
import type { LintResult } from "../lint/stage.js";
import { runAll } from "../pipeline/all.js";
import { lintFailure, type Pipeline, smokeFailure } from "../pipeline/pipeline.js";
import { runUpdateLock } from "../pipeline/update-lock.js";
import { formatPlanMarkdown } from "../plan/format.js";
import { changedMatrix, type Plan } from "../plan/plan.js";
import { upsertLockPullRequest } from "../publish/pull-request.js";
import { commentMarker, renderReport } from "../report/render.js";
import { formatSmokeText } from "../smoke/format.js";
import type { SmokeTarget } from "../smoke/stage.js";
import type { SmokeReport } from "../smoke/types.js";
import type { Inputs } from "./inputs.js";
import { log } from "./log.js";
import { octokitFor, postSavedReport, publishReport, runUrl } from "./report.js";

export interface ActionContext {
  inputs: Inputs;
  env: NodeJS.ProcessEnv;
  /** GITHUB_WORKSPACE: annotation paths are relative to it. */
  githubWorkspace: string;
  run: RunContext;
  pipeline: Pipeline;
}

/** Diagnostics become annotations on the pull request's lines (paths relative to the repository). */
async function annotate(context: ActionContext, files: readonly FileDiagnostics[]): Promise<void> {
  const { root } = await context.pipeline.workspace();
  for (const file of files) {
    const repositoryPath = path.relative(context.githubWorkspace, path.join(root, file.path)).split(path.sep).join("/");
    for (const d of file.diagnostics) {
      const properties = { file: repositoryPath, startLine: d.line, startColumn: d.column, title: d.code };
      if (d.severity === "error") core.error(d.message, properties);
      else core.warning(d.message, properties);
    }
  }
}

/** Annotates and sets the lint outputs; returns why the step fails, if it does. */
async function reportLint(context: ActionContext, result: LintResult): Promise<string | undefined> {
  await annotate(context, result.files);
  core.setOutput("errors", result.counts.error);
  core.setOutput("warnings", result.counts.warning);
  core.setOutput("diagnostics", JSON.stringify({ files: result.files }));
  return lintFailure(result.counts, context.inputs["fail-on-warnings"]);
}

function setPlanOutputs(plan: Plan): void {
  const changed = plan.models.filter((m) => m.changed).map((m) => m.name);
  core.setOutput("plan", JSON.stringify(plan));
  core.setOutput("models", JSON.stringify(plan.models));
  core.setOutput("changed-models", JSON.stringify(changed));
  core.setOutput("any-changed", changed.length > 0);
  core.setOutput("image", plan.image);
  core.setOutput("image-tag", plan.imageTag);
  core.setOutput("tags", plan.tags.map((tag) => `${plan.image}:${tag}`).join("\n"));
  core.setOutput("matrix", JSON.stringify(changedMatrix(plan)));
}

function setBuildOutputs(report: BuildReport): void {
  setPlanOutputs(report.plan);
  core.setOutput("skipped", report.skipped !== undefined);
  core.setOutput("digest", report.digest ?? "");
  core.setOutput("layers", JSON.stringify(report.layers));
  core.setOutput("build", JSON.stringify(report));
}

/** The smoke outputs, and the JSON report under RUNNER_TEMP (for upload-artifact). */
async function setSmokeOutputs(context: ActionContext, report: SmokeReport): Promise<void> {
  const file = path.join(context.env.RUNNER_TEMP ?? os.tmpdir(), "ollama-build", "smoke-report.json");
  await writeFileAtomically(file, `${JSON.stringify(report, null, 2)}\n`);
  core.setOutput("smoke", JSON.stringify(report));
  core.setOutput("smoke-passed", report.passed);
  core.setOutput("smoke-report", file);
}

async function lint(context: ActionContext): Promise<void> {
  const result = await core.group("lint", () => context.pipeline.lint());
  const failure = await reportLint(context, result);
  await core.summary.addRaw(formatLintMarkdown(result.files, result.counts)).write();
  if (failure !== undefined) core.setFailed(failure);
}

async function plan(context: ActionContext): Promise<void> {
  const checked = await context.pipeline.lint();
  const failure = await reportLint(context, checked);
  if (checked.counts.error > 0) {
    await core.summary.addRaw(formatLintMarkdown(checked.files, checked.counts)).write();
    core.setFailed(failure ?? "the plan could not be made");
    return;
  }
  const planned = await core.group("plan", () => context.pipeline.plan());
  setPlanOutputs(planned.plan);
  await core.summary.addRaw(formatPlanMarkdown(planned.plan)).write();
  if (failure !== undefined) core.setFailed(failure);
}

async function build(context: ActionContext): Promise<void> {
  const report = await core.group("build", () => context.pipeline.build());
  setBuildOutputs(report);
  await core.summary.addRaw(formatBuildMarkdown(report)).write();
}

async function smoke(context: ActionContext): Promise<void> {
  const marker = commentMarker(context.inputs["comment-id"]);
  const endpoint = context.inputs.endpoint;
  let report: SmokeReport;
  try {
    const target: SmokeTarget | undefined = endpoint === undefined ? undefined : { endpoint };
    report = await core.group("smoke", () => context.pipeline.smoke(target));
  } catch (error) {
    // A server that never came up: the summary shows why, with the container's last log lines.
    await core.summary.addRaw(renderReport({ marker, failure: (error as Error).message })).write();
    throw error;
  }
  await setSmokeOutputs(context, report);
  log(formatSmokeText(report));
  await core.summary.addRaw(renderReport({ head: report, marker })).write();
  const failed = smokeFailure(report);
  if (failed !== undefined) core.setFailed(failed);
}

/** `command: all`: the pipeline's `all`; outputs as the single commands set them, then the report. */
async function all(context: ActionContext): Promise<void> {
  const result = await runAll(context.pipeline);
  await reportLint(context, result.lint);
  if (result.build !== undefined) setBuildOutputs(result.build);
  if (result.smoke !== undefined) await setSmokeOutputs(context, result.smoke);
  try {
    await core.group("publish", () => publishReport(context, result));
  } catch (error) {
    core.warning(`the report could not be completed: ${(error as Error).message}`);
  }
  if (result.failures.length > 0) core.setFailed(result.failures.join("\n"));
}

/** `command: report`: the comment a fork's run could not post, from its downloaded report artifact. */
async function report(context: ActionContext): Promise<void> {
  const dir = context.inputs["report-dir"];
  if (dir === undefined)
    throw new Error("command report needs the 'report-dir' input: where the report artifact was downloaded");
  const event =
    context.env.GITHUB_EVENT_PATH === undefined
      ? {}
      : JSON.parse(await readFile(context.env.GITHUB_EVENT_PATH, "utf8"));
  await postSavedReport(context, path.resolve(context.githubWorkspace, dir), event);
}

/** `command: release`: the version input, else the pushed tag (`refs/tags/v1.2.3`). */
async function release(context: ActionContext): Promise<void> {
  const fromRef = context.env.GITHUB_REF?.startsWith("refs/tags/")
    ? context.env.GITHUB_REF.slice("refs/tags/".length)
    : undefined;
  const version = context.inputs.version ?? fromRef;
  if (version === undefined) throw new Error("command release needs the 'version' input, or a run on a tag push");
  const result = await context.pipeline.release(version);
  core.setOutput("release-tags", result.tags.map((t) => `${result.image}:${t}`).join("\n"));
  core.setOutput("digest", result.digest);
  await core.summary
    .addRaw(
      `### ollama-build release\n\n\`${result.image}:${result.from}\` (\`${result.digest}\`) is now ${result.tags.map((t) => `\`${t}\``).join(", ")}.\n`,
    )
    .write();
}

/**
 * `command: update-lock` (a scheduled workflow): re-resolve every locked base model; when one moved, build with
 * the new lock, smoke beside the current lock's image, and open (or update) one pull request from `lock-branch`
 * with the lock's diff and the comparison as its body. Nothing is built or written when nothing moved. The
 * token goes to GITHUB_API_URL only; the step fails when the pull request cannot be opened, or as `all` does.
 */
async function updateLock(context: ActionContext): Promise<void> {
  const { inputs, env, run } = context;
  const branch = inputs["lock-branch"];
  const [owner, repo] = (run.repository ?? "").split("/");
  const [token, base, startSha] = [inputs["github-token"], run.source.branch, run.source.sha];
  if (!owner || !repo || token === undefined || base === undefined || startSha === undefined || base === branch) {
    throw new Error(
      `command update-lock opens a pull request into the branch it runs on: it needs github-token and a run on a branch other than ${branch} (schedule and workflow_dispatch runs are)`,
    );
  }
  const url = runUrl(env);
  const result = await runUpdateLock(context.pipeline, { branch, ...(url === undefined ? {} : { runUrl: url }) });
  core.setOutput("lock-moved", result.moved);
  if (!result.moved) {
    await core.summary
      .addRaw("### ollama-build update-lock\n\nNo base model in `ollama.lock` moved: nothing to do.\n")
      .write();
    return;
  }
  core.setOutput("lock-diff", JSON.stringify(result.changes));
  if (result.build !== undefined) setBuildOutputs(result.build);
  if (result.smoke !== undefined) await setSmokeOutputs(context, result.smoke);
  await core.summary.addRaw(result.body).write();
  // The path in the repository: from the checkout's git top-level (real paths, as the project root is).
  const top = (await context.pipeline.workspace()).repository ?? (await realpath(context.githubWorkspace));
  const file = path.relative(top, result.lockFile).split(path.sep).join("/");
  if (file.startsWith("../")) throw new Error(`${result.lockFile} is outside the repository ${top}`);
  const octokit = octokitFor(context) as NonNullable<ReturnType<typeof octokitFor>>;
  const pull = await core.group("pull request", () =>
    upsertLockPullRequest(
      octokit,
      {
        owner,
        repo,
        base,
        startSha,
        branch,
        file: { path: file, content: result.lockText },
        commitMessage: result.commitMessage,
        title: result.title,
        body: result.body,
      },
      { log },
    ),
  );
  core.setOutput("pull-request", pull.url);
  core.info(`pull request #${pull.number} ${pull.action}: ${pull.url}`);
  if (result.failures.length > 0) core.setFailed(result.failures.join("\n"));
}

export const ACTION_COMMANDS: Readonly<Record<Inputs["command"], (context: ActionContext) => Promise<void>>> = {
  lint,
  plan,
  build,
  smoke,
  all,
  report,
  release,
  "update-lock": updateLock,
};

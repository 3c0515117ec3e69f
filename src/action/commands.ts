/** One function per action command: run the stage, then annotations, outputs and the job summary. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { loginArgv } from "../build/buildx.js";
import { formatBuildMarkdown } from "../build/format.js";
import { type BuildReport, runBuild } from "../build/stage.js";
import { storeLayout } from "../fetch/store.js";
import { githubModelCache } from "../github/cache.js";
import { defaultImageFor, type RunContext } from "../github/context.js";
import { runProcess } from "../io/exec.js";
import { writeFileAtomically } from "../io/files.js";
import type { FileDiagnostics, Severity } from "../lint/rules.js";
import { type LintResult, runLint } from "../lint/stage.js";
import { formatLintMarkdown } from "../lint/summary.js";
import type { OllamaRegistryAccess } from "../lock/stage.js";
import { formatPlanMarkdown } from "../plan/format.js";
import { changedMatrix, type Plan } from "../plan/plan.js";
import { type PlanOptions, runPlan } from "../plan/stage.js";
import type { Workspace } from "../project/workspace.js";
import { runRelease } from "../publish/release.js";
import type { Credentials } from "../registry/client.js";
import { dockerConfigCredentials } from "../registry/docker-config.js";
import { parseImageRepository, splitImageReference } from "../registry/image-ref.js";
import { commentMarker, renderReport } from "../report/render.js";
import { formatSmokeText } from "../smoke/format.js";
import { runSmokeCommand, type SmokeCommandOptions, type SmokeTarget, smokeSettingsDigest } from "../smoke/stage.js";
import type { SmokeReport } from "../smoke/types.js";
import type { Inputs } from "./inputs.js";
import { log } from "./log.js";
import { postSavedReport, type ReportContext, reportStage, type StageResults, savedImageReport } from "./report.js";

export interface ActionContext {
  inputs: Inputs;
  env: NodeJS.ProcessEnv;
  workspace: Workspace;
  /** GITHUB_WORKSPACE: annotation paths are relative to it. */
  githubWorkspace: string;
  run: RunContext;
}

/** Diagnostics become annotations on the pull request's lines (paths relative to the repository). */
function annotate(context: ActionContext, files: readonly FileDiagnostics[]): void {
  for (const file of files) {
    const repositoryPath = path
      .relative(context.githubWorkspace, path.join(context.workspace.root, file.path))
      .split(path.sep)
      .join("/");
    for (const d of file.diagnostics) {
      const properties = { file: repositoryPath, startLine: d.line, startColumn: d.column, title: d.code };
      if (d.severity === "error") core.error(d.message, properties);
      else core.warning(d.message, properties);
    }
  }
}

function lintFailure(counts: Record<Severity, number>, failOnWarnings: boolean): string | undefined {
  if (counts.error > 0) return `${counts.error} error(s) in the Modelfiles (see the annotations)`;
  if (failOnWarnings && counts.warning > 0)
    return `${counts.warning} warning(s) in the Modelfiles and fail-on-warnings is set`;
  return undefined;
}

function planOptions(context: ActionContext): PlanOptions {
  const baseRef = context.inputs["base-ref"] ?? context.run.baseRef;
  return {
    ...(baseRef === undefined ? {} : { baseRef }),
    source: context.run.source,
    defaultImage: defaultImageFor(context.run.repository, path.basename(context.workspace.root)),
  };
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

/** Lints, annotates and sets the lint outputs; returns why the step fails, if it does. */
async function lintStage(context: ActionContext): Promise<{ result: LintResult; failure?: string }> {
  const result = await core.group("lint", () => runLint(context.workspace));
  annotate(context, result.files);
  core.setOutput("errors", result.counts.error);
  core.setOutput("warnings", result.counts.warning);
  core.setOutput("diagnostics", JSON.stringify({ files: result.files }));
  const failure = lintFailure(result.counts, context.inputs["fail-on-warnings"]);
  return failure === undefined ? { result } : { result, failure };
}

export async function lintStep(context: ActionContext): Promise<void> {
  const { result, failure } = await lintStage(context);
  await core.summary.addRaw(formatLintMarkdown(result.files, result.counts)).write();
  if (failure !== undefined) core.setFailed(failure);
}

export async function planStep(context: ActionContext): Promise<void> {
  const result = await core.group("plan", () => runPlan(runProcess, context.workspace, planOptions(context)));
  annotate(context, result.lint.files);
  for (const warning of result.warnings) core.warning(warning);
  if (result.plan === undefined) {
    await core.summary.addRaw(formatLintMarkdown(result.lint.files, result.lint.counts)).write();
    core.setFailed(lintFailure(result.lint.counts, false) ?? "the plan could not be made");
    return;
  }
  setPlanOutputs(result.plan);
  await core.summary.addRaw(formatPlanMarkdown(result.plan)).write();
  const failure = lintFailure(result.lint.counts, context.inputs["fail-on-warnings"]);
  if (failure !== undefined) core.setFailed(failure);
}

/** Credentials for the image registry: the inputs (after `docker login` with them), else docker's config. */
async function imageRegistryLogin(context: ActionContext, image: string): Promise<Credentials | undefined> {
  const host = parseImageRepository(image).host;
  const username = context.inputs["registry-username"];
  const password = context.inputs["registry-password"];
  if (username !== undefined && password !== undefined) {
    const login = await runProcess("docker", loginArgv(host, username), { input: password });
    if (login.exitCode !== 0) throw new Error(`docker login to ${host} as ${username} failed: ${login.stderr.trim()}`);
    return { username, password };
  }
  return dockerConfigCredentials(host, context.env);
}

function ollamaRegistryAccess(context: ActionContext): OllamaRegistryAccess {
  const username = context.inputs["ollama-registry-username"];
  const password = context.inputs["ollama-registry-password"];
  return {
    defaultRegistryUrl: context.workspace.config["ollama-registry"],
    ...(username !== undefined && password !== undefined ? { credentials: { username, password } } : {}),
    log,
  };
}

/** Builds (or finds the image already built) and sets the build and plan outputs. */
async function buildStage(context: ActionContext): Promise<BuildReport> {
  const options = planOptions(context);
  const image = context.workspace.config.image ?? options.defaultImage;
  const push =
    context.inputs.push === "auto" ? parseImageRepository(image).explicitHost : context.inputs.push === "true";
  const credentials = push ? await imageRegistryLogin(context, image) : undefined;
  const workDir = await mkdtemp(path.join(context.env.RUNNER_TEMP ?? os.tmpdir(), "ollama-build-"));
  const store = storeLayout(
    context.inputs.store ?? path.join(context.env.RUNNER_TEMP ?? os.tmpdir(), "ollama-build-store"),
  );
  try {
    const report = await core.group("build", () =>
      runBuild(runProcess, context.workspace, {
        ...options,
        push,
        store,
        workDir,
        ollamaRegistry: ollamaRegistryAccess(context),
        ...(credentials === undefined ? {} : { imageRegistryCredentials: credentials }),
        ...(context.inputs.cache ? { modelCache: githubModelCache } : {}),
        layerCache: context.inputs["layer-cache"],
        ...(context.run.repository === undefined
          ? {}
          : { repositoryUrl: `${context.env.GITHUB_SERVER_URL ?? "https://github.com"}/${context.run.repository}` }),
        log,
      }),
    );
    setPlanOutputs(report.plan);
    core.setOutput("skipped", report.skipped !== undefined);
    core.setOutput("digest", report.digest ?? "");
    core.setOutput("layers", JSON.stringify(report.layers));
    core.setOutput("build", JSON.stringify(report));
    return report;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

export async function buildStep(context: ActionContext): Promise<void> {
  await core.summary.addRaw(formatBuildMarkdown(await buildStage(context))).write();
}

/** The image this commit's build produced, as `plan` names it, unless an endpoint is given. */
async function smokeTarget(context: ActionContext): Promise<SmokeTarget> {
  if (context.inputs.endpoint !== undefined) return { endpoint: context.inputs.endpoint };
  const result = await runPlan(runProcess, context.workspace, planOptions(context));
  if (result.plan === undefined) throw new Error("the Modelfiles have errors: run the lint command");
  return { image: result.plan.imageTag };
}

function smokeOptions(context: ActionContext, target: SmokeTarget): SmokeCommandOptions {
  const { config, root } = context.workspace;
  return {
    target,
    cases: (context.inputs.cases ?? config.smoke.cases).map((c) => path.resolve(root, c)),
    displayRoot: root,
    gpus: context.inputs.gpus ?? config.smoke.gpus,
    ...(context.inputs.budgets === undefined ? {} : { budgets: context.inputs.budgets }),
    ...(context.inputs.repeat === undefined ? {} : { repeat: context.inputs.repeat }),
    ...(context.inputs["ready-timeout"] === undefined
      ? {}
      : { readyTimeoutMs: context.inputs["ready-timeout"] * 1000 }),
    log,
  };
}

/** Runs the smoke and sets its outputs; the JSON report is written under RUNNER_TEMP for upload-artifact. */
export async function runSmokeStage(context: ActionContext, target: SmokeTarget): Promise<SmokeReport> {
  const report = await core.group("smoke", async () => {
    // `docker run` pulls an image the engine does not have: log in with the inputs first.
    if ("image" in target && (await runProcess("docker", ["image", "inspect", target.image])).exitCode !== 0) {
      await imageRegistryLogin(context, splitImageReference(target.image).repository);
    }
    return runSmokeCommand(runProcess, smokeOptions(context, target));
  });
  await setSmokeOutputs(context, report);
  return report;
}

/** The smoke outputs, and the JSON report under RUNNER_TEMP (for upload-artifact). */
async function setSmokeOutputs(context: ActionContext, report: SmokeReport): Promise<void> {
  const file = path.join(context.env.RUNNER_TEMP ?? os.tmpdir(), "ollama-build", "smoke-report.json");
  await writeFileAtomically(file, `${JSON.stringify(report, null, 2)}\n`);
  core.setOutput("smoke", JSON.stringify(report));
  core.setOutput("smoke-passed", report.passed);
  core.setOutput("smoke-report", file);
}

export async function smokeStep(context: ActionContext): Promise<void> {
  const marker = commentMarker(context.inputs["comment-id"]);
  let report: SmokeReport;
  try {
    report = await runSmokeStage(context, await smokeTarget(context));
  } catch (error) {
    // A server that never came up: the summary shows why, with the container's last log lines.
    await core.summary.addRaw(renderReport({ marker, failure: (error as Error).message })).write();
    throw error;
  }
  log(formatSmokeText(report));
  await core.summary.addRaw(renderReport({ head: report, marker })).write();
  if (!report.passed) core.setFailed(`smoke failed: ${report.failures.join("; ")}`);
}

function reportContext(context: ActionContext): ReportContext {
  const { run } = context;
  return {
    inputs: context.inputs,
    env: context.env,
    ...(run.repository === undefined ? {} : { repository: run.repository }),
    ...(run.source.pullRequest === undefined ? {} : { pullRequest: run.source.pullRequest }),
    ...(run.baseRef === undefined ? {} : { baseSha: run.baseRef }),
    ...(run.source.sha === undefined ? {} : { sha: run.source.sha }),
  };
}

/** Runs one stage in the log with its time; the time goes into the log line after the group. */
async function timedStage<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    core.info(`${name}: ${Date.now() - started} ms`);
  }
}

/**
 * `command: all`: lint → build (nothing is built when this commit's image exists) → smoke → report. A lint
 * error stops before the build; a build error still gets its report. The step fails on lint errors, build
 * errors and a failed smoke, never because of the report.
 */
export async function allStep(context: ActionContext): Promise<void> {
  const lint = await timedStage("lint", () => lintStage(context));
  const results: StageResults = {};
  const lintErrors = lint.failure !== undefined && lint.result.counts.error > 0;
  // Lint errors stop the run before the build, but still reach the comment: it must not keep saying ✅.
  if (lintErrors) results.failure = lint.failure;
  else {
    try {
      results.build = await timedStage("build", () => buildStage(context));
      results.plan = results.build.plan;
      const image = results.plan.imageTag;
      const options = smokeOptions(context, { image });
      results.smokeSettings = await smokeSettingsDigest(options);
      // An image built and smoked before, with these very cases and settings, is not booted again.
      const saved =
        results.build.skipped === undefined
          ? undefined
          : await savedImageReport(reportContext(context), image, results.smokeSettings);
      if (saved !== undefined) {
        results.smoke = saved;
        results.smokeReused = true;
        await setSmokeOutputs(context, saved);
        log(`smoke: skipped, ${results.build.skipped}; showing its report from ${saved.environment.started_at}`);
      } else {
        results.smoke = await timedStage("smoke", () => runSmokeStage(context, { image }));
        // The digest the build pushed is the one a registry serves; the engine may not know it.
        if (results.build.digest !== undefined) results.smoke.environment.image_digest = results.build.digest;
      }
    } catch (error) {
      results.failure = (error as Error).message;
    }
  }
  await timedStage("report", () =>
    core.group("report", async () => {
      // Reporting never turns the check red: whatever goes wrong here is a warning.
      try {
        await reportStage(reportContext(context), results);
      } catch (error) {
        core.warning(`the report could not be completed: ${(error as Error).message}`);
      }
    }),
  );
  const failures = [
    ...(lint.failure === undefined ? [] : [lint.failure]),
    ...(results.failure === undefined || lintErrors ? [] : [results.failure]),
    ...(results.smoke === undefined || results.smoke.passed
      ? []
      : [`smoke failed: ${results.smoke.failures.join("; ")}`]),
  ];
  if (failures.length > 0) core.setFailed(failures.join("\n"));
}

/** `command: report`: the comment a fork's run could not post, from its downloaded report artifact. */
export async function reportStep(context: ActionContext): Promise<void> {
  const dir = context.inputs["report-dir"];
  if (dir === undefined)
    throw new Error("command report needs the 'report-dir' input: where the report artifact was downloaded");
  const event =
    context.env.GITHUB_EVENT_PATH === undefined
      ? {}
      : JSON.parse(await readFile(context.env.GITHUB_EVENT_PATH, "utf8"));
  await postSavedReport(reportContext(context), path.resolve(context.githubWorkspace, dir), event);
}

/** `command: release`: the version input, else the pushed tag (`refs/tags/v1.2.3`). */
export async function releaseStep(context: ActionContext): Promise<void> {
  const fromRef = context.env.GITHUB_REF?.startsWith("refs/tags/")
    ? context.env.GITHUB_REF.slice("refs/tags/".length)
    : undefined;
  const version = context.inputs.version ?? fromRef;
  if (version === undefined) throw new Error("command release needs the 'version' input, or a run on a tag push");
  const options = planOptions(context);
  const image = context.workspace.config.image ?? options.defaultImage;
  const credentials = await imageRegistryLogin(context, image);
  const result = await runRelease(runProcess, context.workspace, {
    ...options,
    version,
    ...(credentials === undefined ? {} : { credentials }),
    log,
  });
  core.setOutput("release-tags", result.tags.map((t) => `${result.image}:${t}`).join("\n"));
  core.setOutput("digest", result.digest);
  await core.summary
    .addRaw(
      `### ollama-build release\n\n\`${result.image}:${result.from}\` (\`${result.digest}\`) is now ${result.tags.map((t) => `\`${t}\``).join(", ")}.\n`,
    )
    .write();
}

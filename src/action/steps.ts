/** One function per action command: run the stage, then annotations, outputs and the job summary. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { loginArgv } from "../build/buildx.js";
import { formatBuildMarkdown } from "../build/format.js";
import { runBuild } from "../commands/build.js";
import { runLint } from "../commands/lint.js";
import type { OllamaRegistryAccess } from "../commands/lock.js";
import { type PlanOptions, runPlan } from "../commands/plan.js";
import { runRelease } from "../commands/release.js";
import type { Workspace } from "../commands/workspace.js";
import { runProcess } from "../exec.js";
import { storeLayout } from "../fetch/store.js";
import { defaultImageFor, type RunContext } from "../github/context.js";
import { formatLintMarkdown } from "../github/summary.js";
import type { Inputs } from "../inputs.js";
import type { FileDiagnostics, Severity } from "../lint/rules.js";
import { formatPlanMarkdown } from "../plan/format.js";
import { changedMatrix, type Plan } from "../plan/plan.js";
import type { Credentials } from "../registry/client.js";
import { dockerConfigCredentials } from "../registry/docker-config.js";
import { parseImageRepository } from "../registry/image-ref.js";
import { githubModelCache } from "./cache.js";

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

export async function lintStep(context: ActionContext): Promise<void> {
  const result = await core.group("lint", () => runLint(context.workspace));
  annotate(context, result.files);
  core.setOutput("errors", result.counts.error);
  core.setOutput("warnings", result.counts.warning);
  core.setOutput("diagnostics", JSON.stringify({ files: result.files }));
  await core.summary.addRaw(formatLintMarkdown(result.files, result.counts)).write();
  const failure = lintFailure(result.counts, context.inputs["fail-on-warnings"]);
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
    log: (line) => core.info(line),
  };
}

export async function buildStep(context: ActionContext): Promise<void> {
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
        log: (line) => core.info(line),
      }),
    );
    setPlanOutputs(report.plan);
    core.setOutput("skipped", report.skipped !== undefined);
    core.setOutput("digest", report.digest ?? "");
    core.setOutput("layers", JSON.stringify(report.layers));
    core.setOutput("build", JSON.stringify(report));
    await core.summary.addRaw(formatBuildMarkdown(report)).write();
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
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
    log: (line) => core.info(line),
  });
  core.setOutput("release-tags", result.tags.map((t) => `${result.image}:${t}`).join("\n"));
  core.setOutput("digest", result.digest);
  await core.summary
    .addRaw(
      `### ollama-build release\n\n\`${result.image}:${result.from}\` (\`${result.digest}\`) is now ${result.tags.map((t) => `\`${t}\``).join(", ")}.\n`,
    )
    .write();
}

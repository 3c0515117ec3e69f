/** The action: reads its inputs, runs the same stage functions as the CLI, and reports through the runner. */
import path from "node:path";
import * as core from "@actions/core";
import { runLint } from "./commands/lint.js";
import { runPlan } from "./commands/plan.js";
import { type ConfigOverrides, openWorkspace, type Workspace } from "./commands/workspace.js";
import { runProcess } from "./exec.js";
import { defaultImageFor, readRunContext } from "./github/context.js";
import { formatLintMarkdown } from "./github/summary.js";
import { type Inputs, readInputs } from "./inputs.js";
import type { FileDiagnostics, Severity } from "./lint/rules.js";
import { formatPlanMarkdown } from "./plan/format.js";
import { changedMatrix } from "./plan/plan.js";

function overridesFrom(inputs: Inputs): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (inputs.modelfiles !== undefined) overrides.modelfiles = inputs.modelfiles;
  if (inputs.image !== undefined) overrides.image = inputs.image;
  if (inputs["ollama-image"] !== undefined) overrides["ollama-image"] = inputs["ollama-image"];
  if (inputs["client-api"] !== undefined) overrides["client-api"] = inputs["client-api"];
  return overrides;
}

/** Diagnostics become annotations on the pull request's lines (paths relative to the repository). */
function annotate(workspace: Workspace, files: readonly FileDiagnostics[], githubWorkspace: string): void {
  for (const file of files) {
    const repositoryPath = path
      .relative(githubWorkspace, path.join(workspace.root, file.path))
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

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    const githubWorkspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const workspace = await openWorkspace(runProcess, {
      cwd: githubWorkspace,
      root: inputs["working-directory"],
      overrides: overridesFrom(inputs),
    });

    if (inputs.command === "lint") {
      const result = await core.group("lint", () => runLint(workspace));
      annotate(workspace, result.files, githubWorkspace);
      core.setOutput("errors", result.counts.error);
      core.setOutput("warnings", result.counts.warning);
      core.setOutput("diagnostics", JSON.stringify({ files: result.files }));
      await core.summary.addRaw(formatLintMarkdown(result.files, result.counts)).write();
      const failure = lintFailure(result.counts, inputs["fail-on-warnings"]);
      if (failure !== undefined) core.setFailed(failure);
      return;
    }

    const context = await readRunContext(env);
    const baseRef = inputs["base-ref"] ?? context.baseRef;
    const result = await core.group("plan", () =>
      runPlan(runProcess, workspace, {
        ...(baseRef === undefined ? {} : { baseRef }),
        source: context.source,
        defaultImage: defaultImageFor(context.repository, path.basename(workspace.root)),
      }),
    );
    annotate(workspace, result.lint.files, githubWorkspace);
    for (const warning of result.warnings) core.warning(warning);
    if (result.plan === undefined) {
      await core.summary.addRaw(formatLintMarkdown(result.lint.files, result.lint.counts)).write();
      core.setFailed(lintFailure(result.lint.counts, false) ?? "the plan could not be made");
      return;
    }
    const plan = result.plan;
    const changed = plan.models.filter((m) => m.changed).map((m) => m.name);
    core.setOutput("plan", JSON.stringify(plan));
    core.setOutput("models", JSON.stringify(plan.models));
    core.setOutput("changed-models", JSON.stringify(changed));
    core.setOutput("any-changed", changed.length > 0);
    core.setOutput("image", plan.image);
    core.setOutput("image-tag", plan.imageTag);
    core.setOutput("tags", plan.tags.map((tag) => `${plan.image}:${tag}`).join("\n"));
    core.setOutput("matrix", JSON.stringify(changedMatrix(plan)));
    await core.summary.addRaw(formatPlanMarkdown(plan)).write();
    const failure = lintFailure(result.lint.counts, inputs["fail-on-warnings"]);
    if (failure !== undefined) core.setFailed(failure);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

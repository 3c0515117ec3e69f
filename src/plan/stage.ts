/** `plan`: hash every model, compare with the base commit, and name the image tags. */
import path from "node:path";
import { imageInputs } from "../build/runtime.js";
import type { Runner } from "../io/exec.js";
import { type LintResult, runLint } from "../lint/stage.js";
import { LOCK_FILE, loadLock, lockedDigests } from "../lock/lockfile.js";
import { configuredSelection, dependenciesOf, libraryRefs, loadProject } from "../project/load.js";
import { GitTree } from "../project/tree.js";
import { loadEffectiveConfig, type Workspace } from "../project/workspace.js";
import { describeError } from "../text/errors.js";
import { resolveCommit } from "./git.js";
import { buildOrder } from "./graph.js";
import { hashModels } from "./hash.js";
import { makePlan, type Plan } from "./plan.js";
import type { SourceContext } from "./tags.js";
import { normaliseImageRepository } from "./tags.js";

export interface PlanOptions {
  /** The commit to compare with; undefined: every model counts as changed. */
  baseRef?: string;
  source: SourceContext;
  /** Used when neither the configuration nor the caller names an image. */
  defaultImage: string;
}

export interface PlanResult {
  plan?: Plan;
  lint: LintResult;
  warnings: string[];
}

async function hashesAt(run: Runner, workspace: Workspace, commit: string): Promise<Map<string, string>> {
  const repository = workspace.repository as string;
  const prefix = path.relative(repository, workspace.root).split(path.sep).join("/");
  const tree = new GitTree(run, repository, commit, prefix);
  const config = await loadEffectiveConfig(tree, workspace.overrides);
  if ((await tree.entryType(config.modelfiles)) !== "directory") return new Map();
  const project = await loadProject(tree, configuredSelection(config));
  return hashModels(project.models, {
    ollamaImage: config["ollama-image"],
    lockedDigests: lockedDigests(await loadLock(tree)),
  });
}

export async function runPlan(run: Runner, workspace: Workspace, options: PlanOptions): Promise<PlanResult> {
  const lint = await runLint(workspace);
  const warnings: string[] = [];
  if (lint.counts.error > 0) return { lint, warnings };

  const config = workspace.config;
  const hashes = hashModels(lint.project.models, {
    ollamaImage: config["ollama-image"],
    lockedDigests: lockedDigests(lint.lock),
  });
  if (lint.lock.status === "absent" && libraryRefs(lint.project).length > 0) {
    warnings.push(`no ${LOCK_FILE}: base models are not pinned to a manifest; run \`ollama-build lock\``);
  }

  let base: string | undefined;
  let baseHashes: Map<string, string> | undefined;
  if (options.baseRef === undefined) {
    warnings.push("no base ref to compare with: every model counts as changed");
  } else if (workspace.repository === undefined) {
    warnings.push(`${workspace.root} is not in a git repository: every model counts as changed`);
  } else {
    base = await resolveCommit(run, workspace.repository, options.baseRef);
    if (base === undefined) {
      warnings.push(
        `base ref ${options.baseRef} is not in this clone (a shallow checkout?): every model counts as changed. ` +
          "Check out with `fetch-depth: 0` (actions/checkout) to compare with the base.",
      );
    } else {
      // The base is history: a broken ollama-build.yml or Modelfile there must not block the change that fixes it.
      baseHashes = await hashesAt(run, workspace, base).catch((error: unknown) => {
        warnings.push(
          `the base commit ${base?.slice(0, 7)} could not be read (${describeError(error)}): every model counts as changed`,
        );
        return undefined;
      });
    }
  }

  const plan = makePlan({
    image: normaliseImageRepository(config.image ?? options.defaultImage),
    // In build order, as the image's ENV lists them (the warm-up order), so the hash covers that ENV.
    imageInputs: await imageInputs(
      config,
      buildOrder(lint.project.models.map((m) => ({ name: m.name, dependsOn: dependenciesOf(m) }))).filter((name) =>
        hashes.has(name),
      ),
    ),
    models: lint.project.models,
    hashes,
    ...(baseHashes === undefined ? {} : { baseHashes }),
    ...(base === undefined ? {} : { base }),
    source: options.source,
  });
  return { plan, lint, warnings };
}

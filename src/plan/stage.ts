/** `plan`: hash every model, compare with the base commit, and name the image tags. */
import path from "node:path";
import type { Runner } from "../io/exec.js";
import { resolveCommit } from "../io/git.js";
import type { Config } from "../project/config.js";
import { buildOrder } from "../project/graph.js";
import { configuredSelection, dependenciesOf, libraryRefs, loadProject, type Project } from "../project/load.js";
import { LOCK_FILE, type LockState, loadLock, lockedDigests } from "../project/lockfile.js";
import { GitTree } from "../project/tree.js";
import { loadEffectiveConfig, type Workspace } from "../project/workspace.js";
import { describeError } from "../text/errors.js";
import { hashModels } from "./hash.js";
import { type ImageSpec, imageSpec, readEntrypoint } from "./image-spec.js";
import { makePlan, type Plan } from "./plan.js";
import { normaliseImageRepository, type SourceContext } from "./tags.js";

export interface PlanOptions {
  /** The commit to compare with; undefined: every model counts as changed. */
  baseRef?: string;
  source: SourceContext;
  /** Used when neither the configuration nor the caller names an image. */
  defaultImage: string;
}

/** The plan, and the image spec it hashed: the build makes exactly that image. */
export interface PlannedImage {
  plan: Plan;
  spec: ImageSpec;
  warnings: string[];
}

/** The image repository: the configured one, else the default for where the run happens. */
export const imageRepository = (config: Config, defaultImage: string) =>
  normaliseImageRepository(config.image ?? defaultImage);

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

/** The base commit and its model hashes, or why every model counts as changed. */
async function baseOf(
  run: Runner,
  workspace: Workspace,
  baseRef: string | undefined,
  warnings: string[],
): Promise<{ base?: string; baseHashes?: Map<string, string> }> {
  if (baseRef === undefined) {
    warnings.push("no base ref to compare with: every model counts as changed");
    return {};
  }
  if (workspace.repository === undefined) {
    warnings.push(`${workspace.root} is not in a git repository: every model counts as changed`);
    return {};
  }
  const base = await resolveCommit(run, workspace.repository, baseRef);
  if (base === undefined) {
    warnings.push(
      `base ref ${baseRef} is not in this clone (a shallow checkout?): every model counts as changed. ` +
        "Check out with `fetch-depth: 0` (actions/checkout) to compare with the base.",
    );
    return {};
  }
  // The base is history: a broken ollama-build.yml or Modelfile there must not block the change that fixes it.
  const baseHashes = await hashesAt(run, workspace, base).catch((error: unknown) => {
    warnings.push(
      `the base commit ${base.slice(0, 7)} could not be read (${describeError(error)}): every model counts as changed`,
    );
    return undefined;
  });
  return baseHashes === undefined ? { base } : { base, baseHashes };
}

/** Plans a project that lint passed (`checked`: the project and lock lint read, without errors). */
export async function runPlan(
  run: Runner,
  workspace: Workspace,
  checked: { project: Project; lock: LockState },
  options: PlanOptions,
): Promise<PlannedImage> {
  const config = workspace.config;
  const warnings: string[] = [];
  const hashes = hashModels(checked.project.models, {
    ollamaImage: config["ollama-image"],
    lockedDigests: lockedDigests(checked.lock),
  });
  if (checked.lock.status === "absent" && libraryRefs(checked.project).length > 0) {
    warnings.push(`no ${LOCK_FILE}: base models are not pinned to a manifest; run \`ollama-build lock\``);
  }
  const { base, baseHashes } = await baseOf(run, workspace, options.baseRef, warnings);
  const order = buildOrder(checked.project.models.map((m) => ({ name: m.name, dependsOn: dependenciesOf(m) })));
  // One spec, hashed here and built from: the warm-up order is the build order unless configured.
  const spec = imageSpec(config, order, await readEntrypoint());
  const plan = makePlan({
    image: imageRepository(config, options.defaultImage),
    spec,
    order,
    models: checked.project.models,
    hashes,
    ...(baseHashes === undefined ? {} : { baseHashes }),
    ...(base === undefined ? {} : { base }),
    source: options.source,
  });
  return { plan, spec, warnings };
}

/** Where a command runs: the project root, its git repository (if any) and its configuration. */
import { realpath } from "node:fs/promises";
import path from "node:path";
import type { Runner } from "../io/exec.js";
import { gitTopLevel } from "../io/git.js";
import { describeIssues } from "../text/issues.js";
import { type Config, ConfigError, ConfigSchema, loadConfig } from "./config.js";
import { type FileTree, leavesBase, WorkingTree } from "./tree.js";

/** Settings given on the command line or as action inputs; they win over ollama-build.yml. */
export type ConfigOverrides = Partial<
  Pick<Config, "modelfiles" | "image" | "ollama-image" | "client-api" | "ollama-registry">
> & {
  runtime?: Partial<Config["runtime"]>;
};

export interface Workspace {
  /** Absolute path of the project root: paths in Modelfiles may not leave it. */
  root: string;
  /** Absolute path of the git repository holding the root, when there is one. */
  repository?: string;
  tree: WorkingTree;
  config: Config;
  overrides: ConfigOverrides;
}

const definedEntries = (object: object) =>
  Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== ""));

export function applyOverrides(config: Config, overrides: ConfigOverrides): Config {
  const { runtime, ...rest } = overrides;
  const result = ConfigSchema.safeParse({
    ...config,
    ...definedEntries(rest),
    runtime: { ...config.runtime, ...definedEntries(runtime ?? {}) },
  });
  // The file was checked when it was read: what fails here came from an action input or a command-line flag.
  if (!result.success) throw new ConfigError(describeIssues(result.error, "a setting given as an input or a flag: "));
  return result.data;
}

export async function loadEffectiveConfig(tree: FileTree, overrides: ConfigOverrides): Promise<Config> {
  return applyOverrides(await loadConfig(tree), overrides);
}

/** The root is `root` when given, else the git top-level of `cwd`, else `cwd`. */
export async function openWorkspace(
  run: Runner,
  options: { cwd: string; root?: string; overrides?: ConfigOverrides },
): Promise<Workspace> {
  const cwdRepository = await gitTopLevel(run, options.cwd);
  // git reports real paths: resolve links in the root too, or the two would not line up.
  const root = await realpath(path.resolve(options.cwd, options.root ?? cwdRepository ?? ".")).catch(() => {
    throw new Error(`the project root ${path.resolve(options.cwd, options.root ?? ".")} does not exist`);
  });
  const repository = await gitTopLevel(run, root);
  const tree = new WorkingTree(root);
  const overrides = options.overrides ?? {};
  const config = await loadEffectiveConfig(tree, overrides);
  return repository === undefined ? { root, tree, config, overrides } : { root, repository, tree, config, overrides };
}

/** A path given by the user (relative to `cwd`) as a POSIX path relative to the root. */
export function toProjectPath(workspace: Workspace, cwd: string, given: string): string {
  const relative = path.relative(workspace.root, path.resolve(cwd, given));
  if (leavesBase(relative)) {
    throw new Error(`${given} is outside the project root ${workspace.root}`);
  }
  return relative.split(path.sep).join("/") || ".";
}

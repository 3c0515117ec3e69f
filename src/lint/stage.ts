/** `lint`: parse and check every Modelfile, for the CLI and the action alike. */

import { type LockState, loadLock } from "../lock/lockfile.js";
import { ollamaVersionOfImage } from "../modelfile/ollama-versions.js";
import { configuredSelection, loadProject, type Project } from "../project/load.js";
import type { Workspace } from "../project/workspace.js";
import { countBySeverity, type FileDiagnostics, lintProject, type Severity } from "./rules.js";

export interface LintResult {
  project: Project;
  files: FileDiagnostics[];
  lock: LockState;
  counts: Record<Severity, number>;
}

/** `paths` are relative to the project root; by default the configured Modelfiles folder. */
export async function runLint(workspace: Workspace, paths?: readonly string[]): Promise<LintResult> {
  const config = workspace.config;
  const selection = configuredSelection(config);
  const project = await loadProject(
    workspace.tree,
    paths !== undefined && paths.length > 0 ? { ...selection, paths: [...paths] } : selection,
  );
  const lock = await loadLock(workspace.tree);
  const ollamaVersion = ollamaVersionOfImage(config["ollama-image"]);
  const files = lintProject(project, {
    clientApi: config["client-api"],
    ...(ollamaVersion === undefined ? {} : { ollamaVersion }),
    lock,
    checkUnusedLockEntries: paths === undefined || paths.length === 0,
  });
  return { project, files, lock, counts: countBySeverity(files) };
}

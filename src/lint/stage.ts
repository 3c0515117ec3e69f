/**
 * `lint`: read the project once (its Modelfiles and ollama.lock) and check it. The result is what every later
 * stage starts from: none of them reads the Modelfiles or the lock again.
 */

import { ollamaVersionOfImage } from "../modelfile/ollama-versions.js";
import type { Config } from "../project/config.js";
import { configuredSelection, loadProject, type Project } from "../project/load.js";
import { type Lock, type LockState, loadLock, serializeLock } from "../project/lockfile.js";
import type { Workspace } from "../project/workspace.js";
import { countBySeverity, type FileDiagnostics, lintProject, type Severity } from "./rules.js";

export interface LintResult {
  project: Project;
  files: FileDiagnostics[];
  lock: LockState;
  counts: Record<Severity, number>;
}

function check(config: Config, project: Project, lock: LockState, wholeProject: boolean): LintResult {
  const ollamaVersion = ollamaVersionOfImage(config["ollama-image"]);
  const files = lintProject(project, {
    clientApi: config["client-api"],
    ...(ollamaVersion === undefined ? {} : { ollamaVersion }),
    lock,
    checkUnusedLockEntries: wholeProject,
  });
  return { project, files, lock, counts: countBySeverity(files) };
}

/** `paths` are relative to the project root; by default the configured Modelfiles folder. */
export async function runLint(workspace: Workspace, paths?: readonly string[]): Promise<LintResult> {
  const selection = configuredSelection(workspace.config);
  const whole = paths === undefined || paths.length === 0;
  const project = await loadProject(workspace.tree, whole ? selection : { ...selection, paths: [...paths] });
  return check(workspace.config, project, await loadLock(workspace.tree), whole);
}

/** The same project checked against a lock this run wrote (after pinning): nothing is read again. */
export function withLock(config: Config, result: LintResult, lock: Lock): LintResult {
  return check(config, result.project, { status: "ok", text: serializeLock(lock), lock }, true);
}

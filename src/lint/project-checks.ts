/**
 * The checks across a project's Modelfiles and its ollama.lock: names given twice, models that build FROM each
 * other, and bases the lock does not pin (or pins for nothing). Each check is a pure function from the loaded
 * project to findings, which name the file they belong to.
 */

import { findCycles } from "../project/graph.js";
import { dependenciesOf, libraryRefs, type ModelEntry, type Project } from "../project/load.js";
import { checkLock, LOCK_FILE, lineOfEntry } from "../project/lockfile.js";
import { canonicalModelRef } from "../project/model-ref.js";
import type { FileFinding, LintOptions } from "./rules.js";

/** Where a finding about a whole file stands. */
export const FIRST_LINE = { line: 1, column: 1 };

export function duplicateModelNames(project: Project): FileFinding[] {
  const byName = new Map<string, ModelEntry[]>();
  for (const model of project.models) {
    const key = canonicalModelRef(model.name);
    byName.set(key, [...(byName.get(key) ?? []), model]);
  }
  return [...byName.values()]
    .filter((models) => models.length > 1)
    .flatMap((models) =>
      models.map((model) => {
        const others = models.filter((m) => m !== model).map((m) => m.file);
        const message = `model ${model.name} is also defined by ${others.join(", ")}`;
        return { file: model.file, code: "duplicate-model-name", at: FIRST_LINE, message };
      }),
    );
}

/** Reported on each model of a cycle, at its FROM of the next one. */
export function dependencyCycles(project: Project): FileFinding[] {
  const graph = project.models.map((m) => ({ name: m.name, dependsOn: dependenciesOf(m) }));
  return findCycles(graph).flatMap((cycle) =>
    cycle.flatMap((name) => {
      const model = project.models.find((m) => m.name === name);
      const from = model?.references.find(
        (r) => r.target.kind === "model" && r.target.dependency !== undefined && cycle.includes(r.target.dependency),
      );
      if (model === undefined || from === undefined) return [];
      const message = `models build FROM each other in a cycle: ${cycle.join(", ")}`;
      return [{ file: model.file, code: "dependency-cycle", at: from.command.start, message }];
    }),
  );
}

/** ollama.lock against the library bases: each unpinned FROM, and (when asked) each entry nothing uses. */
export function lockFindings(project: Project, options: LintOptions): FileFinding[] {
  const { lock } = options;
  if (lock.status === "absent") return [];
  if (lock.status === "invalid") {
    const message = `${lock.error}. Run \`ollama-build lock --update\` to rewrite it.`;
    return [{ file: LOCK_FILE, code: "invalid-lock", at: { line: lock.line ?? 1, column: 1 }, message }];
  }
  const check = checkLock(lock.lock, libraryRefs(project));
  const unlocked = project.models.flatMap((model) =>
    model.references.flatMap(({ command, target }): FileFinding[] => {
      if (command.name !== "model" || target.kind !== "model" || target.dependency !== undefined) return [];
      if (!check.missing.includes(canonicalModelRef(target.ref))) return [];
      const message = `FROM ${target.ref} is not pinned in ${LOCK_FILE}: run \`ollama-build lock\` so every build uses the same manifest`;
      return [{ file: model.file, code: "unlocked-base", at: command.start, message }];
    }),
  );
  if (!options.checkUnusedLockEntries) return unlocked;
  const unused = check.unused.map((ref): FileFinding => {
    const message = `${ref} is pinned but no Modelfile builds FROM it: run \`ollama-build lock\` to drop it`;
    return {
      file: LOCK_FILE,
      code: "unused-lock-entry",
      at: { line: lineOfEntry(lock.text, ref), column: 1 },
      message,
    };
  });
  return [...unlocked, ...unused];
}

/**
 * The checks on what a Modelfile's FROM, ADAPTER and DRAFT lines point at, as the loader resolved them: a path
 * inside the project that holds a model, or a model name Ollama accepts (and, for a library base, one that is
 * pinned to a tag). Each check is a pure function from the references to findings.
 */
import { trimsModelNames } from "../modelfile/ollama-versions.js";
import type { Command } from "../modelfile/parser.js";
import type { ModelEntry, Reference, ReferenceTarget } from "../project/load.js";
import { canonicalModelRef, isThinkingModel, isValidOllamaName, parseModelRef } from "../project/model-ref.js";
import type { Finding, LintOptions } from "./rules.js";

/** What clients send to switch a thinking model's thinking off, which no Modelfile instruction can. */
export const HOW_CLIENTS_TURN_THINKING_OFF =
  'reasoning_effort: "none" on /v1/chat/completions, or "think": false on /api/chat.';

/** `projectModelNames`: the canonical names of the project's models, which a path may shadow. */
export function referenceFindings(
  model: ModelEntry,
  options: LintOptions,
  projectModelNames: ReadonlySet<string>,
): Finding[] {
  return [
    ...model.references.flatMap((reference) => checkReference(reference, options, projectModelNames)),
    ...draftSameAsFrom(model.references),
  ];
}

function checkReference(
  { command, target }: Reference,
  options: LintOptions,
  projectModelNames: ReadonlySet<string>,
): Finding[] {
  const what = command.name === "model" ? "FROM" : command.name.toUpperCase();
  switch (target.kind) {
    case "escapes": {
      const message = `${what} ${command.args} points outside the project: builds must only read files inside the repository`;
      return [{ code: "path-escapes-repository", at: command.start, message }];
    }
    case "missing":
      return [
        {
          code: "path-not-found",
          at: command.start,
          message: `${what} ${command.args}: ${target.path} does not exist`,
        },
      ];
    case "local": {
      if (target.entry !== "directory" || target.weights) return [];
      const shadowed = command.name === "model" && projectModelNames.has(canonicalModelRef(command.args));
      const message =
        `${what} ${command.args}: ${target.path} is a directory without model weights ` +
        '(Ollama: "no Modelfile or safetensors files found")' +
        (shadowed
          ? `. Ollama reads a path before a model name: to build FROM the model ${command.args}, write FROM ${command.args}:latest`
          : "");
      return [{ code: "path-not-a-model", at: command.start, message }];
    }
    case "model":
      return checkModelName(command, target, options);
  }
}

function checkModelName(
  command: Command,
  target: Extract<ReferenceTarget, { kind: "model" }>,
  options: LintOptions,
): Finding[] {
  if (!isValidOllamaName(trimsModelNames(options.ollamaVersion) ? target.ref : command.args)) {
    const message =
      `FROM ${JSON.stringify(command.args)} is not a model name Ollama accepts (Ollama: "invalid model name"): ` +
      "[host/][namespace/]model[:tag], each part letters, digits, '_', '-' and '.', starting with a letter, digit or '_'";
    return [{ code: "invalid-model-name", at: command.start, message }];
  }
  if (target.dependency !== undefined || command.name !== "model") return [];
  return checkLibraryBase(command, target.ref);
}

/** A FROM naming a model outside the project: it should be pinned, and a thinking model cannot be tamed here. */
function checkLibraryBase(command: Command, name: string): Finding[] {
  const findings: Finding[] = [];
  const ref = parseModelRef(name);
  if (ref.tag === undefined || ref.tag.toLowerCase() === "latest") {
    const message =
      `FROM ${name} names no tag${ref.tag === undefined ? " (Ollama uses latest)" : ""}: the base changes ` +
      "whenever the library updates it. Name a size tag such as :4b and pin it in ollama.lock.";
    findings.push({ code: "untagged-base", at: command.start, message });
  }
  if (isThinkingModel(ref)) {
    const message =
      `${name} thinks before it answers, and no Modelfile instruction can switch that off ` +
      `(PARAMETER /no_think is not valid). Clients must send ${HOW_CLIENTS_TURN_THINKING_OFF}`;
    findings.push({ code: "thinking-enabled", at: command.start, message });
  }
  return findings;
}

function draftSameAsFrom(references: readonly Reference[]): Finding[] {
  const localPaths = (instruction: string) =>
    references.flatMap(({ command, target }) =>
      command.name === instruction && target.kind === "local" ? [{ command, path: target.path }] : [],
    );
  const fromPaths = new Set(localPaths("model").map((from) => from.path));
  return localPaths("draft")
    .filter((draft) => fromPaths.has(draft.path))
    .map((draft) => ({
      code: "draft-same-as-from",
      at: draft.command.start,
      message: `DRAFT must not reference the same local path as FROM: ${draft.path}`,
    }));
}

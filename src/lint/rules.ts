/**
 * The linter: every rule is a pure function of the loaded project. Codes are stable (documented in the
 * README); messages say what Ollama will do and how to fix it.
 */

import { checkLock, LOCK_FILE, type LockState, lineOfEntry } from "../lock/lockfile.js";
import {
  formatParameter,
  INVALID_REQUIRES_MESSAGE,
  normaliseRequires,
  type ParameterValue,
  unencodableParameter,
} from "../modelfile/create-request.js";
import { checkGoTemplate } from "../modelfile/go-template.js";
import { templateFunctions, trimsModelNames, unsupportedInstruction } from "../modelfile/ollama-versions.js";
import type { Command, ModelfileParseError } from "../modelfile/parser.js";
import { findCycles } from "../plan/graph.js";
import {
  dependenciesOf,
  isValidModelName,
  libraryRefs,
  MAX_MODELFILE_BYTES,
  type ModelEntry,
  type Project,
} from "../project/load.js";
import { canonicalModelRef, isThinkingModel, isValidOllamaName, parseModelRef } from "../project/model-ref.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  line: number;
  column: number;
  code: string;
  message: string;
}

export interface FileDiagnostics {
  /** POSIX path relative to the project root. */
  path: string;
  diagnostics: Diagnostic[];
}

/** Which API the project's clients call: `/v1/chat/completions` overrides Modelfile sampling. */
export type ClientApi = "openai" | "native";

export interface LintOptions {
  clientApi: ClientApi;
  lock: LockState;
  /** Report lock entries no Modelfile uses (only meaningful when every Modelfile was loaded). */
  checkUnusedLockEntries: boolean;
  /** The Ollama version models are created with (from the ollama-image tag), when it is known. */
  ollamaVersion?: string;
}

export const RULES = {
  syntax: { severity: "error", summary: "the file does not parse (Ollama's parser error)" },
  "missing-from": { severity: "error", summary: "no FROM line" },
  "unknown-parameter": { severity: "error", summary: "a PARAMETER Ollama does not know (names are case-sensitive)" },
  "invalid-parameter-value": { severity: "error", summary: "a PARAMETER value that does not parse as its type" },
  "invalid-requires": { severity: "error", summary: "REQUIRES is not a semantic version" },
  "path-escapes-repository": { severity: "error", summary: "a FROM/ADAPTER/DRAFT path outside the project" },
  "path-not-found": { severity: "error", summary: "an ADAPTER/DRAFT path, or a path-like FROM, that does not exist" },
  "draft-same-as-from": { severity: "error", summary: "DRAFT names the same local path as FROM" },
  "dependency-cycle": { severity: "error", summary: "models that build FROM each other in a cycle" },
  "duplicate-model-name": { severity: "error", summary: "two Modelfiles give the same model name" },
  "deprecated-parameter": { severity: "warning", summary: "a deprecated PARAMETER, which Ollama drops" },
  "duplicate-parameter": { severity: "warning", summary: "a PARAMETER set again later (the last one wins)" },
  "multiple-from": { severity: "warning", summary: "more than one FROM" },
  "untagged-base": { severity: "warning", summary: "a library base model without a tag (or `latest`): it floats" },
  "sampling-overridden": {
    severity: "warning",
    summary: "temperature/top_p in a Modelfile, which /v1/chat/completions overrides to 1.0",
  },
  "thinking-enabled": {
    severity: "warning",
    summary: "a thinking base model: thinking cannot be disabled in a Modelfile",
  },
  "invalid-ignore": { severity: "warning", summary: "an ollama-build-ignore directive naming no known warning" },
  "invalid-lock": { severity: "error", summary: "ollama.lock cannot be read or does not verify" },
  "path-not-a-model": { severity: "error", summary: "a FROM/ADAPTER/DRAFT directory with no model weights in it" },
  "invalid-model-name": {
    severity: "error",
    summary: "a model name Ollama does not accept: a FROM base, or the name taken from the file name",
  },
  "invalid-template": { severity: "error", summary: "a TEMPLATE Go's text/template cannot parse (Ollama refuses it)" },
  "unsupported-instruction": {
    severity: "error",
    summary: "an instruction the pinned Ollama version (the ollama-image tag) does not accept yet",
  },
  "unlocked-base": { severity: "warning", summary: "a library base model ollama.lock does not pin" },
  "unused-lock-entry": { severity: "warning", summary: "an ollama.lock entry no Modelfile uses" },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleCode = keyof typeof RULES;

const THINKING_HINT =
  'Thinking cannot be switched off in a Modelfile: clients send reasoning_effort: "none" on /v1/chat/completions, ' +
  'or "think": false on /api/chat.';

/** Ollama's terse parse errors, with what a person needs to fix them (Ollama's own text last). */
export function describeParseError(error: ModelfileParseError): string {
  const { atEndOfLine } = error;
  const ollama = ` (Ollama: ${JSON.stringify(error.detail)})`;
  switch (error.context) {
    case "parameter-name": {
      if (atEndOfLine) return `PARAMETER needs a name and a value${ollama}`;
      const hint = /no_?think/i.test(error.lineText) ? ` ${THINKING_HINT}` : "";
      return `a PARAMETER name holds only letters, digits and "_": ${error.lineText.trim()}.${hint}${ollama}`;
    }
    case "message-role":
      return atEndOfLine ? `MESSAGE needs a role and a text${ollama}` : error.detail;
    case "end-of-file":
      return `the file ends inside the instruction that starts here: an unclosed " or """ quote, or a missing value${ollama}`;
    default:
      return error.detail;
  }
}

const IGNORE_DIRECTIVE = /^\s*ollama-build-ignore:\s*(.*?)\s*(?:--\s*(.*))?$/;

type Report = (code: RuleCode, at: { line: number; column: number }, message: string) => void;

function lintCommands(
  model: ModelEntry,
  commands: readonly Command[],
  options: LintOptions,
  projectModelNames: ReadonlySet<string>,
  report: Report,
): void {
  const lastSetAt = new Map<string, Command>();
  const lastValues = new Map<string, { command: Command; value: ParameterValue }>();
  let firstFrom: Command | undefined;

  for (const command of commands) {
    switch (command.name) {
      case "model":
        if (firstFrom !== undefined) {
          report(
            "multiple-from",
            command.start,
            `a second FROM (the first is on line ${firstFrom.start.line}): Ollama bases the model on the last one`,
          );
        }
        firstFrom ??= command;
        break;
      case "requires": {
        const unsupported = options.ollamaVersion && unsupportedInstruction(command.name, options.ollamaVersion);
        if (unsupported) report("unsupported-instruction", command.start, unsupported);
        else if (normaliseRequires(command.args) === undefined) {
          report(
            "invalid-requires",
            command.start,
            `REQUIRES ${JSON.stringify(command.args)}: ${INVALID_REQUIRES_MESSAGE}`,
          );
        }
        break;
      }
      case "adapter":
      case "license":
      case "template":
      case "system":
      case "message":
        break;
      case "draft":
      case "renderer":
      case "parser": {
        const unsupported = options.ollamaVersion && unsupportedInstruction(command.name, options.ollamaVersion);
        if (unsupported) report("unsupported-instruction", command.start, unsupported);
        break;
      }
      default: {
        const typed = formatParameter(command.name, command.args);
        if (typed.status === "deprecated") {
          report("deprecated-parameter", command.start, `parameter ${command.name} is deprecated: Ollama ignores it`);
          break;
        }
        if (typed.status === "error") {
          report(
            typed.reason === "unknown" ? "unknown-parameter" : "invalid-parameter-value",
            command.start,
            typed.message,
          );
          break;
        }
        lastValues.set(command.name, { command, value: typed.value });
        if (command.name !== "stop") {
          const earlier = lastSetAt.get(command.name);
          if (earlier !== undefined) {
            report(
              "duplicate-parameter",
              earlier.start,
              `${command.name} is set again on line ${command.start.line}; Ollama keeps only the last value`,
            );
          }
          lastSetAt.set(command.name, command);
        }
        if (options.clientApi === "openai" && (command.name === "temperature" || command.name === "top_p")) {
          report(
            "sampling-overridden",
            command.start,
            `${command.name} set here is overridden: Ollama's /v1/chat/completions forces temperature and top_p to 1.0 ` +
              "when the request omits them. Send them in every request instead (or set client-api: native if " +
              "clients only use /api/chat).",
          );
        }
      }
    }
  }

  // The client encodes each parameter's last value as JSON, which has no infinities or NaN.
  for (const { command, value } of lastValues.values()) {
    const unencodable = unencodableParameter(value);
    if (unencodable !== undefined) report("invalid-parameter-value", command.start, unencodable);
  }

  for (const { command, target } of model.references) {
    const what = command.name === "model" ? "FROM" : command.name.toUpperCase();
    if (target.kind === "escapes") {
      report(
        "path-escapes-repository",
        command.start,
        `${what} ${command.args} points outside the project: builds must only read files inside the repository`,
      );
    } else if (target.kind === "missing") {
      report("path-not-found", command.start, `${what} ${command.args}: ${target.path} does not exist`);
    } else if (target.kind === "local" && target.entry === "directory" && !target.weights) {
      const shadowed = command.name === "model" && projectModelNames.has(canonicalModelRef(command.args));
      report(
        "path-not-a-model",
        command.start,
        `${what} ${command.args}: ${target.path} is a directory without model weights ` +
          '(Ollama: "no Modelfile or safetensors files found")' +
          (shadowed
            ? `. Ollama reads a path before a model name: to build FROM the model ${command.args}, write FROM ${command.args}:latest`
            : ""),
      );
    } else if (
      target.kind === "model" &&
      !isValidOllamaName(trimsModelNames(options.ollamaVersion) ? target.ref : command.args)
    ) {
      report(
        "invalid-model-name",
        command.start,
        `FROM ${JSON.stringify(command.args)} is not a model name Ollama accepts (Ollama: "invalid model name"): ` +
          "[host/][namespace/]model[:tag], each part letters, digits, '_', '-' and '.', starting with a letter, digit or '_'",
      );
    } else if (target.kind === "model" && target.dependency === undefined && command.name === "model") {
      const ref = parseModelRef(target.ref);
      if (ref.tag === undefined || ref.tag.toLowerCase() === "latest") {
        report(
          "untagged-base",
          command.start,
          `FROM ${target.ref} names no tag${ref.tag === undefined ? " (Ollama uses latest)" : ""}: the base changes ` +
            "whenever the library updates it. Name a size tag such as :4b and pin it in ollama.lock.",
        );
      }
      if (isThinkingModel(ref)) {
        report(
          "thinking-enabled",
          command.start,
          `${target.ref} thinks before it answers, and no Modelfile instruction can switch that off ` +
            '(PARAMETER /no_think is not valid). Clients must send reasoning_effort: "none" on ' +
            '/v1/chat/completions, or "think": false on /api/chat.',
        );
      }
    }
  }

  // Ollama keeps the last TEMPLATE and parses it with Go's text/template when it creates the model.
  const template = commands.findLast((c) => c.name === "template");
  const templateError = template && checkGoTemplate(template.args, templateFunctions(options.ollamaVersion));
  if (template !== undefined && templateError) {
    report(
      "invalid-template",
      { line: template.start.line + templateError.line - 1, column: template.start.column },
      `TEMPLATE does not parse as a Go template, so ollama create refuses it (Ollama: "template error: ${templateError.message}")`,
    );
  }

  const localFroms = model.references.filter((r) => r.command.name === "model" && r.target.kind === "local");
  for (const draft of model.references.filter((r) => r.command.name === "draft" && r.target.kind === "local")) {
    const draftPath = draft.target.kind === "local" ? draft.target.path : "";
    if (localFroms.some((f) => f.target.kind === "local" && f.target.path === draftPath)) {
      report(
        "draft-same-as-from",
        draft.command.start,
        `DRAFT must not reference the same local path as FROM: ${draftPath}`,
      );
    }
  }
}

/**
 * Whole-file suppressions from `# ollama-build-ignore: code, code -- reason` comment lines. A directive must
 * say why; only warnings can be suppressed.
 */
function readSuppressions(model: ModelEntry, report: Report): Set<string> {
  const suppressed = new Set<string>();
  for (const comment of model.parsed?.comments ?? []) {
    const match = IGNORE_DIRECTIVE.exec(comment.text);
    if (match === null) continue;
    const at = { line: comment.line, column: 1 };
    if ((match[2] ?? "").trim() === "") {
      report("invalid-ignore", at, "ollama-build-ignore needs a reason: `# ollama-build-ignore: <code> -- <why>`");
      continue;
    }
    for (const code of (match[1] ?? "").split(",").map((c) => c.trim())) {
      if (Object.hasOwn(RULES, code) && RULES[code as RuleCode].severity === "warning") suppressed.add(code);
      else
        report(
          "invalid-ignore",
          at,
          `ollama-build-ignore: ${JSON.stringify(code)} is not a warning code (errors cannot be ignored)`,
        );
    }
  }
  return suppressed;
}

export function lintProject(project: Project, options: LintOptions): FileDiagnostics[] {
  const results = new Map<string, Diagnostic[]>(project.models.map((m) => [m.file, []]));
  const reportFor =
    (file: string): Report =>
    (code, at, message) => {
      results.get(file)?.push({ severity: RULES[code].severity, line: at.line, column: at.column, code, message });
    };

  const projectModelNames = new Set(project.models.map((m) => canonicalModelRef(m.name)));
  const byName = new Map<string, ModelEntry[]>();
  for (const model of project.models) {
    const key = canonicalModelRef(model.name);
    byName.set(key, [...(byName.get(key) ?? []), model]);
  }

  for (const model of project.models) {
    const report = reportFor(model.file);
    if (model.outside) {
      report(
        "path-escapes-repository",
        { line: 1, column: 1 },
        `${model.file} is a symbolic link out of the project: it is not read (builds read only the repository's files)`,
      );
      continue;
    }
    if (model.bytes !== undefined) {
      report(
        "syntax",
        { line: 1, column: 1 },
        `${model.file} has ${model.bytes.toLocaleString("en-US")} bytes: ollama-build reads Modelfiles up to ${MAX_MODELFILE_BYTES / 1024 / 1024} MiB`,
      );
      continue;
    }
    if (model.parseError !== undefined) {
      report(model.parseError.kind, model.parseError.position, describeParseError(model.parseError));
      continue;
    }
    if (!isValidModelName(model.name)) {
      report(
        "invalid-model-name",
        { line: 1, column: 1 },
        `the model name ${JSON.stringify(model.name)} (from ${model.file}) is not valid for Ollama: letters, digits, ` +
          "'_', '.', '-', starting with a letter, digit or '_', at most 80; rename the file or set a name in ollama-build.yml",
      );
    }
    const suppressed = readSuppressions(model, report);
    lintCommands(model, model.parsed?.commands ?? [], options, projectModelNames, (code, at, message) => {
      if (!suppressed.has(code)) report(code, at, message);
    });
  }

  for (const [, models] of byName) {
    if (models.length < 2) continue;
    for (const model of models) {
      const others = models.filter((m) => m !== model).map((m) => m.file);
      reportFor(model.file)(
        "duplicate-model-name",
        { line: 1, column: 1 },
        `model ${model.name} is also defined by ${others.join(", ")}`,
      );
    }
  }

  const graph = project.models.map((m) => ({ name: m.name, dependsOn: dependenciesOf(m) }));
  for (const cycle of findCycles(graph)) {
    for (const name of cycle) {
      const model = project.models.find((m) => m.name === name);
      const from = model?.references.find(
        (r) => r.target.kind === "model" && r.target.dependency !== undefined && cycle.includes(r.target.dependency),
      );
      if (model === undefined || from === undefined) continue;
      reportFor(model.file)(
        "dependency-cycle",
        from.command.start,
        `models build FROM each other in a cycle: ${cycle.join(", ")}`,
      );
    }
  }

  lintLock(project, options, reportFor, (file) => results.set(file, results.get(file) ?? []));

  return [...results].map(([path, diagnostics]) => ({
    path,
    diagnostics: diagnostics.sort(
      (a, b) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    ),
  }));
}

function lintLock(
  project: Project,
  options: LintOptions,
  reportFor: (file: string) => Report,
  include: (file: string) => void,
): void {
  const { lock } = options;
  if (lock.status === "absent") return;
  if (lock.status === "invalid") {
    include(LOCK_FILE);
    reportFor(LOCK_FILE)(
      "invalid-lock",
      { line: lock.line ?? 1, column: 1 },
      `${lock.error}. Run \`ollama-build lock --update\` to rewrite it.`,
    );
    return;
  }
  const check = checkLock(lock.lock, libraryRefs(project));
  for (const model of project.models) {
    for (const { command, target } of model.references) {
      if (command.name !== "model" || target.kind !== "model" || target.dependency !== undefined) continue;
      if (!check.missing.includes(canonicalModelRef(target.ref))) continue;
      reportFor(model.file)(
        "unlocked-base",
        command.start,
        `FROM ${target.ref} is not pinned in ${LOCK_FILE}: run \`ollama-build lock\` so every build uses the same manifest`,
      );
    }
  }
  if (!options.checkUnusedLockEntries) return;
  for (const ref of check.unused) {
    include(LOCK_FILE);
    reportFor(LOCK_FILE)(
      "unused-lock-entry",
      { line: lineOfEntry(lock.text, ref), column: 1 },
      `${ref} is pinned but no Modelfile builds FROM it: run \`ollama-build lock\` to drop it`,
    );
  }
}

export function countBySeverity(files: readonly FileDiagnostics[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0 };
  for (const file of files) for (const d of file.diagnostics) counts[d.severity]++;
  return counts;
}

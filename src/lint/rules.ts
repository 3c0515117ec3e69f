/**
 * The linter: its rules, and a project's diagnostics put together. Codes are stable (documented in the
 * README); messages say what Ollama will do and how to fix it. Every check is a pure function from the loaded
 * project to findings (command-checks.ts and reference-checks.ts within a Modelfile, project-checks.ts across
 * them); here findings get their rule's severity, a Modelfile's suppressions apply, and each file's are sorted.
 */

import type { ModelfileParseError, Position } from "../modelfile/parser.js";
import { isValidModelName, MAX_MODELFILE_BYTES, type ModelEntry, type Project } from "../project/load.js";
import type { LockState } from "../project/lockfile.js";
import { canonicalModelRef } from "../project/model-ref.js";
import { commandFindings } from "./command-checks.js";
import { dependencyCycles, duplicateModelNames, FIRST_LINE, lockFindings } from "./project-checks.js";
import { HOW_CLIENTS_TURN_THINKING_OFF, referenceFindings } from "./reference-checks.js";

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

/** What a check reports; the severity is its rule's. */
export interface Finding {
  code: RuleCode;
  at: Position;
  message: string;
}

/** A finding of a check across files, with the file it belongs to (a Modelfile, or ollama.lock). */
export interface FileFinding extends Finding {
  file: string;
}

const THINKING_HINT = `Thinking cannot be switched off in a Modelfile: clients send ${HOW_CLIENTS_TURN_THINKING_OFF}`;

/** Ollama's terse parse errors, with what a person needs to fix them (Ollama's own text last). */
function describeParseError(error: ModelfileParseError): string {
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

export function lintProject(project: Project, options: LintOptions): FileDiagnostics[] {
  const projectModelNames = new Set(project.models.map((m) => canonicalModelRef(m.name)));
  const results = new Map<string, Diagnostic[]>(
    project.models.map((model) => [model.file, modelFindings(model, options, projectModelNames).map(diagnostic)]),
  );
  const projectFindings = [
    ...duplicateModelNames(project),
    ...dependencyCycles(project),
    ...lockFindings(project, options),
  ];
  for (const finding of projectFindings) {
    const diagnostics = results.get(finding.file) ?? [];
    results.set(finding.file, diagnostics);
    diagnostics.push(diagnostic(finding));
  }
  return [...results].map(([path, diagnostics]) => ({
    path,
    diagnostics: diagnostics.sort(
      (a, b) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    ),
  }));
}

const diagnostic = ({ code, at, message }: Finding): Diagnostic => ({
  severity: RULES[code].severity,
  line: at.line,
  column: at.column,
  code,
  message,
});

/** A Modelfile's own findings: it cannot be read, or does not parse, or its checks' (less what it suppresses). */
function modelFindings(model: ModelEntry, options: LintOptions, projectModelNames: ReadonlySet<string>): Finding[] {
  if (model.outside) {
    const message = `${model.file} is a symbolic link out of the project: it is not read (builds read only the repository's files)`;
    return [{ code: "path-escapes-repository", at: FIRST_LINE, message }];
  }
  if (model.bytes !== undefined) {
    const message = `${model.file} has ${model.bytes.toLocaleString("en-US")} bytes: ollama-build reads Modelfiles up to ${MAX_MODELFILE_BYTES / 1024 / 1024} MiB`;
    return [{ code: "syntax", at: FIRST_LINE, message }];
  }
  if (model.parseError !== undefined) {
    const { kind, position } = model.parseError;
    return [{ code: kind, at: position, message: describeParseError(model.parseError) }];
  }
  const findings: Finding[] = [];
  if (!isValidModelName(model.name)) {
    const message =
      `the model name ${JSON.stringify(model.name)} (from ${model.file}) is not valid for Ollama: letters, digits, ` +
      "'_', '.', '-', starting with a letter, digit or '_', at most 80; rename the file or set a name in ollama-build.yml";
    findings.push({ code: "invalid-model-name", at: FIRST_LINE, message });
  }
  const { suppressed, directiveFindings } = readSuppressions(model);
  const checked = [
    ...commandFindings(model.parsed?.commands ?? [], options),
    ...referenceFindings(model, options, projectModelNames),
  ];
  return [...findings, ...directiveFindings, ...checked.filter((finding) => !suppressed.has(finding.code))];
}

const IGNORE_DIRECTIVE = /^\s*ollama-build-ignore:\s*(.*?)\s*(?:--\s*(.*))?$/;

/**
 * Whole-file suppressions from `# ollama-build-ignore: code, code -- reason` comment lines. A directive must
 * say why; only warnings can be suppressed.
 */
function readSuppressions(model: ModelEntry): { suppressed: Set<string>; directiveFindings: Finding[] } {
  const suppressed = new Set<string>();
  const directiveFindings: Finding[] = [];
  for (const comment of model.parsed?.comments ?? []) {
    const match = IGNORE_DIRECTIVE.exec(comment.text);
    if (match === null) continue;
    const at = { line: comment.line, column: 1 };
    if ((match[2] ?? "").trim() === "") {
      const message = "ollama-build-ignore needs a reason: `# ollama-build-ignore: <code> -- <why>`";
      directiveFindings.push({ code: "invalid-ignore", at, message });
      continue;
    }
    for (const code of (match[1] ?? "").split(",").map((c) => c.trim())) {
      if (Object.hasOwn(RULES, code) && RULES[code as RuleCode].severity === "warning") suppressed.add(code);
      else {
        const message = `ollama-build-ignore: ${JSON.stringify(code)} is not a warning code (errors cannot be ignored)`;
        directiveFindings.push({ code: "invalid-ignore", at, message });
      }
    }
  }
  return { suppressed, directiveFindings };
}

export function countBySeverity(files: readonly FileDiagnostics[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0 };
  for (const file of files) for (const d of file.diagnostics) counts[d.severity]++;
  return counts;
}

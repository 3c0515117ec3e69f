/**
 * The checks on a Modelfile's commands: what ollama create does with each instruction and PARAMETER (types,
 * deprecations, the pinned version's instructions, the TEMPLATE's syntax) and what is set twice. Each check is
 * a pure function from the commands to findings.
 */
import {
  formatParameter,
  INVALID_REQUIRES_MESSAGE,
  normaliseRequires,
  type ParameterValue,
  unencodableParameter,
} from "../modelfile/create-request.js";
import { checkGoTemplate } from "../modelfile/go-template.js";
import { templateFunctions, unsupportedInstruction } from "../modelfile/ollama-versions.js";
import type { Command } from "../modelfile/parser.js";
import type { Finding, LintOptions } from "./rules.js";

export function commandFindings(commands: readonly Command[], options: LintOptions): Finding[] {
  const parameters = commands.filter((command) => !INSTRUCTION_CHECKS.has(command.name));
  return [
    ...multipleFrom(commands),
    ...commands.flatMap((command) => INSTRUCTION_CHECKS.get(command.name)?.(command, options) ?? []),
    ...parameterFindings(parameters, options),
    ...invalidTemplate(commands, options),
  ];
}

type InstructionCheck = (command: Command, options: LintOptions) => Finding[];

const noCheck: InstructionCheck = () => [];

/** An instruction the pinned Ollama version does not accept (unchecked when the version is unknown). */
const unsupported: InstructionCheck = (command, options) => {
  const message = options.ollamaVersion && unsupportedInstruction(command.name, options.ollamaVersion);
  return message ? [{ code: "unsupported-instruction", at: command.start, message }] : [];
};

const requires: InstructionCheck = (command, options) => {
  const unsupportedHere = unsupported(command, options);
  if (unsupportedHere.length > 0 || normaliseRequires(command.args) !== undefined) return unsupportedHere;
  const message = `REQUIRES ${JSON.stringify(command.args)}: ${INVALID_REQUIRES_MESSAGE}`;
  return [{ code: "invalid-requires", at: command.start, message }];
};

/**
 * The checks of each instruction by command name; every other name is a PARAMETER's. By name, not by
 * `kind`, as Ollama's CreateRequest switches on the name: `PARAMETER system x` sets the system prompt.
 */
const INSTRUCTION_CHECKS: ReadonlyMap<string, InstructionCheck> = new Map([
  ["model", noCheck],
  ["adapter", noCheck],
  ["license", noCheck],
  ["template", noCheck],
  ["system", noCheck],
  ["message", noCheck],
  ["requires", requires],
  ["draft", unsupported],
  ["renderer", unsupported],
  ["parser", unsupported],
]);

function multipleFrom(commands: readonly Command[]): Finding[] {
  const [first, ...later] = commands.filter((command) => command.name === "model");
  return later.map((command) => ({
    code: "multiple-from",
    at: command.start,
    message: `a second FROM (the first is on line ${first?.start.line}): Ollama bases the model on the last one`,
  }));
}

interface TypedParameter {
  command: Command;
  value: ParameterValue;
}

/** Each PARAMETER typed as Ollama's client types it; the checks on the values that type. */
function parameterFindings(parameters: readonly Command[], options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const typed: TypedParameter[] = [];
  for (const command of parameters) {
    const result = formatParameter(command.name, command.args);
    if (result.status === "deprecated") {
      const message = `parameter ${command.name} is deprecated: Ollama ignores it`;
      findings.push({ code: "deprecated-parameter", at: command.start, message });
    } else if (result.status === "error") {
      const code = result.reason === "unknown" ? "unknown-parameter" : "invalid-parameter-value";
      findings.push({ code, at: command.start, message: result.message });
    } else {
      typed.push({ command, value: result.value });
    }
  }
  return [
    ...findings,
    ...duplicateParameters(typed),
    ...samplingOverridden(typed, options),
    ...unencodableLastValues(typed),
  ];
}

/** A parameter set again (but `stop`, which adds a value): reported where it was set before. */
function duplicateParameters(parameters: readonly TypedParameter[]): Finding[] {
  const findings: Finding[] = [];
  const lastSetAt = new Map<string, Command>();
  for (const { command } of parameters) {
    if (command.name === "stop") continue;
    const earlier = lastSetAt.get(command.name);
    if (earlier !== undefined) {
      const message = `${command.name} is set again on line ${command.start.line}; Ollama keeps only the last value`;
      findings.push({ code: "duplicate-parameter", at: earlier.start, message });
    }
    lastSetAt.set(command.name, command);
  }
  return findings;
}

function samplingOverridden(parameters: readonly TypedParameter[], options: LintOptions): Finding[] {
  if (options.clientApi !== "openai") return [];
  return parameters
    .filter(({ command }) => command.name === "temperature" || command.name === "top_p")
    .map(({ command }) => ({
      code: "sampling-overridden",
      at: command.start,
      message:
        `${command.name} set here is overridden: Ollama's /v1/chat/completions forces temperature and top_p to 1.0 ` +
        "when the request omits them. Send them in every request instead (or set client-api: native if " +
        "clients only use /api/chat).",
    }));
}

/** The client encodes each parameter's last value as JSON, which has no infinities or NaN. */
function unencodableLastValues(parameters: readonly TypedParameter[]): Finding[] {
  const last = new Map(parameters.map((parameter) => [parameter.command.name, parameter]));
  return [...last.values()].flatMap(({ command, value }) => {
    const message = unencodableParameter(value);
    return message === undefined ? [] : [{ code: "invalid-parameter-value", at: command.start, message }];
  });
}

/** Ollama keeps the last TEMPLATE and parses it with Go's text/template when it creates the model. */
function invalidTemplate(commands: readonly Command[], options: LintOptions): Finding[] {
  const template = commands.findLast((command) => command.name === "template");
  const error = template && checkGoTemplate(template.args, templateFunctions(options.ollamaVersion));
  if (template === undefined || !error) return [];
  return [
    {
      code: "invalid-template",
      at: { line: template.start.line + error.line - 1, column: template.start.column },
      message: `TEMPLATE does not parse as a Go template, so ollama create refuses it (Ollama: "template error: ${error.message}")`,
    },
  ];
}

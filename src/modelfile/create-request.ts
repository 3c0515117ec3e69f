/**
 * What Ollama's client does with parsed commands before it sends `POST /api/create` (`Modelfile.CreateRequest`
 * and `api.FormatParams`): parameters get their types here, so a bad value fails on the client with these
 * texts. Local files (FROM/ADAPTER/DRAFT paths) are the linter's business and are not touched here.
 */
import { parseGoBool, parseGoFloat32, parseGoInt64 } from "./go-strconv.js";
import type { Command } from "./parser.js";

export type ParameterType = "int" | "float" | "bool" | "string-list";

/** Ollama's `api.Options` and `api.Runner` fields by JSON name (ollama fb30760). */
export const PARAMETER_TYPES: Readonly<Record<string, ParameterType>> = {
  num_ctx: "int",
  num_batch: "int",
  num_gpu: "int",
  main_gpu: "int",
  use_mmap: "bool",
  num_thread: "int",
  draft_num_predict: "int",
  num_keep: "int",
  seed: "int",
  num_predict: "int",
  top_k: "int",
  top_p: "float",
  min_p: "float",
  typical_p: "float",
  repeat_last_n: "int",
  temperature: "float",
  repeat_penalty: "float",
  presence_penalty: "float",
  frequency_penalty: "float",
  stop: "string-list",
};

/** Ollama prints a warning for these and leaves them out of the request. */
export const DEPRECATED_PARAMETERS: readonly string[] = [
  "penalize_newline",
  "low_vram",
  "f16_kv",
  "logits_all",
  "vocab_only",
  "use_mlock",
  "mirostat",
  "mirostat_tau",
  "mirostat_eta",
];

export type ParameterValue = number | boolean | string[];

export type TypedParameter =
  | { status: "ok"; value: ParameterValue }
  | { status: "deprecated"; warning: string }
  | { status: "error"; message: string; reason: "unknown" | "invalid-value" };

export function typeParameter(name: string, value: string): TypedParameter {
  if (DEPRECATED_PARAMETERS.includes(name)) {
    return { status: "deprecated", warning: `warning: parameter ${name} is deprecated` };
  }
  const type = Object.hasOwn(PARAMETER_TYPES, name) ? PARAMETER_TYPES[name] : undefined;
  const invalid = (typeName: string): TypedParameter => ({
    status: "error",
    reason: "invalid-value",
    // Go formats the []string it was given: `[value]`.
    message: `invalid ${typeName} value [${value}]`,
  });
  switch (type) {
    case undefined:
      return { status: "error", reason: "unknown", message: `unknown parameter '${name}'` };
    case "int": {
      const parsed = parseGoInt64(value);
      return parsed === undefined ? invalid("int") : { status: "ok", value: Number(parsed) };
    }
    case "float": {
      const parsed = parseGoFloat32(value);
      return parsed === undefined ? invalid("float") : { status: "ok", value: parsed };
    }
    case "bool": {
      const parsed = parseGoBool(value);
      return parsed === undefined ? invalid("bool") : { status: "ok", value: parsed };
    }
    case "string-list":
      return { status: "ok", value: [value] };
  }
}

export interface CreateRequest {
  /** The last FROM's value (Ollama uses it as the base model name when it names no local file). */
  from?: string;
  adapters?: string[];
  drafts?: string[];
  template?: string;
  system?: string;
  license?: string[];
  renderer?: string;
  parser?: string;
  requires?: string;
  messages?: { role: string; content: string }[];
  parameters?: Record<string, ParameterValue>;
}

export class CreateRequestError extends Error {
  readonly command: Command;
  constructor(message: string, command: Command) {
    super(message);
    this.name = "CreateRequestError";
    this.command = command;
  }
}

export const INVALID_REQUIRES_MESSAGE = "requires must be a valid semver (e.g. 0.14.0)";

/** Ollama's REQUIRES rule: golang.org/x/mod/semver validity, with the leading `v` optional. */
export function normaliseRequires(value: string): string | undefined {
  const withV = value.startsWith("v") ? value : `v${value}`;
  return isValidSemver(withV) ? withV.slice(1) : undefined;
}

const NUMBER = "(?:0|[1-9][0-9]*)";
const PRERELEASE_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
const BUILD_ID = "[0-9A-Za-z-]+";
const SEMVER = new RegExp(
  `^v${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?)?)?$`,
);

/** golang.org/x/mod/semver.IsValid: `vMAJOR[.MINOR[.PATCH[-pre][+build]]]`, shorthands allowed. */
export function isValidSemver(v: string): boolean {
  return SEMVER.test(v);
}

/** Builds the request the way Ollama's client does; throws at the first command Ollama rejects. */
export function buildCreateRequest(commands: readonly Command[]): { request: CreateRequest; warnings: string[] } {
  const request: CreateRequest = {};
  const warnings: string[] = [];
  const parameters: Record<string, ParameterValue> = {};
  const append = <K extends "adapters" | "drafts" | "license">(key: K, value: string) => {
    request[key] = [...(request[key] ?? []), value];
  };

  for (const command of commands) {
    switch (command.name) {
      case "model":
        request.from = command.args;
        break;
      case "adapter":
        append("adapters", command.args);
        break;
      case "draft":
        append("drafts", command.args);
        break;
      case "license":
        append("license", command.args);
        break;
      case "template":
      case "system":
      case "renderer":
      case "parser":
        request[command.name] = command.args;
        break;
      case "requires": {
        const requires = normaliseRequires(command.args);
        if (requires === undefined) throw new CreateRequestError(INVALID_REQUIRES_MESSAGE, command);
        request.requires = requires;
        break;
      }
      case "message": {
        const separator = command.args.indexOf(": ");
        const role = separator < 0 ? command.args : command.args.slice(0, separator);
        const content = separator < 0 ? "" : command.args.slice(separator + 2);
        request.messages = [...(request.messages ?? []), { role, content }];
        break;
      }
      default: {
        const typed = typeParameter(command.name, command.args);
        if (typed.status === "deprecated") warnings.push(typed.warning);
        else if (typed.status === "error") throw new CreateRequestError(typed.message, command);
        else {
          const previous = parameters[command.name];
          parameters[command.name] =
            Array.isArray(previous) && Array.isArray(typed.value) ? [...previous, ...typed.value] : typed.value;
        }
      }
    }
  }
  if (Object.keys(parameters).length > 0) request.parameters = parameters;
  return { request, warnings };
}

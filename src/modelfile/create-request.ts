/**
 * What Ollama's client does with parsed commands before it sends `POST /api/create` (`Modelfile.CreateRequest`
 * and `api.FormatParams`): parameters get their types here, so a bad value fails on the client with these
 * texts. Local files (FROM/ADAPTER/DRAFT paths) are the linter's business and are not touched here.
 */
import { isValidSemver } from "../text/semver.js";
import { formatFloat32Json, jsonUnsupportedValueMessage } from "./go-float32-format.js";
import { parseGoBool, parseGoFloat32, parseGoInt64 } from "./go-strconv.js";
import { type Command, splitMessage } from "./parser.js";

export type ParameterType = "int" | "float" | "bool" | "string-list";

/** Ollama's `api.Options` and `api.Runner` fields by JSON name (ollama fb30760). */
const PARAMETER_TYPES: Readonly<Record<string, ParameterType>> = {
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
const DEPRECATED_PARAMETERS: readonly string[] = [
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

/** `JSON.rawJSON` (Node 21+): lets JSON.stringify write a number's exact text. */
const rawJSON = (JSON as { rawJSON?: (text: string) => unknown }).rawJSON;
const jsonNumber = (text: string): unknown => (rawJSON ? rawJSON(text) : Number(text));

/** An int parameter: Go's int64, kept exactly; JSON.stringify writes all its digits. */
export class GoInt64 {
  constructor(readonly value: bigint) {}
  toString(): string {
    return this.value.toString();
  }
  toJSON(): unknown {
    return jsonNumber(this.toString());
  }
}

/**
 * A float parameter: Go's float32 (`value` is the float32 exactly). JSON.stringify writes it as Go's
 * encoding/json does, the shortest decimal that reads back as the same float32 (`0.123456789012` →
 * `0.12345679`); like encoding/json, it refuses infinities and NaN.
 */
export class GoFloat32 {
  constructor(readonly value: number) {}
  toString(): string {
    return Number.isFinite(this.value) ? formatFloat32Json(this.value) : String(this.value);
  }
  toJSON(): unknown {
    if (!Number.isFinite(this.value)) throw new TypeError(jsonUnsupportedValueMessage(this.value));
    return jsonNumber(formatFloat32Json(this.value));
  }
}

export type ParameterValue = GoInt64 | GoFloat32 | boolean | string[];

export type TypedParameter =
  | { status: "ok"; value: ParameterValue }
  | { status: "deprecated"; warning: string }
  | { status: "error"; message: string; reason: "unknown" | "invalid-value" };

/**
 * One PARAMETER as Ollama's client ends up treating it. A value that FormatParams accepts but that the
 * client then cannot JSON-encode (`inf`, `nan`: float32 infinities and NaN) is an invalid value too, with
 * encoding/json's text (`json: unsupported value: +Inf`).
 */
export function typeParameter(name: string, value: string): TypedParameter {
  const typed = formatParameter(name, value);
  const unencodable = typed.status === "ok" ? unencodableParameter(typed.value) : undefined;
  return unencodable === undefined ? typed : { status: "error", reason: "invalid-value", message: unencodable };
}

/**
 * Why encoding/json cannot write a parameter's value (a float32 infinity or NaN), or undefined. Only a
 * parameter's last value is written: `PARAMETER temperature NaN` followed by `PARAMETER temperature 0.5` is fine.
 */
export function unencodableParameter(value: ParameterValue): string | undefined {
  return value instanceof GoFloat32 && !Number.isFinite(value.value)
    ? jsonUnsupportedValueMessage(value.value)
    : undefined;
}

/** Ollama's `api.FormatParams` for one value: infinities and NaN still pass here. */
export function formatParameter(name: string, value: string): TypedParameter {
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
      return parsed === undefined ? invalid("int") : { status: "ok", value: new GoInt64(parsed) };
    }
    case "float": {
      const parsed = parseGoFloat32(value);
      return parsed === undefined ? invalid("float") : { status: "ok", value: new GoFloat32(parsed) };
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
  /**
   * The last ADAPTER's path. Ollama's client keeps only the last ADAPTER (`req.Adapters = digestMap`
   * replaces the files of any earlier one), unlike DRAFT, whose files accumulate.
   */
  adapter?: string;
  drafts?: string[];
  template?: string;
  system?: string;
  license?: string[];
  renderer?: string;
  parser?: string;
  requires?: string;
  messages?: { role: string; content: string }[];
  /** Typed values; JSON.stringify writes them as Ollama's client encodes them (int64 and float32 exactly). */
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

/**
 * Builds the request the way Ollama's client does (`Modelfile.CreateRequest`); throws where Ollama's client
 * fails: at the first command it rejects, or, once the request is built, where encoding it as JSON fails (the
 * first parameter, in key order, whose last value is an infinite or NaN float).
 */
export function buildCreateRequest(commands: readonly Command[]): { request: CreateRequest; warnings: string[] } {
  const request: CreateRequest = {};
  const warnings: string[] = [];
  const parameters: Record<string, ParameterValue> = {};
  const setBy = new Map<string, Command>();
  const append = <K extends "drafts" | "license">(key: K, value: string) => {
    request[key] = [...(request[key] ?? []), value];
  };

  for (const command of commands) {
    switch (command.name) {
      case "model":
        request.from = command.args;
        break;
      case "adapter":
        request.adapter = command.args;
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
      case "message":
        request.messages = [...(request.messages ?? []), splitMessage(command.args)];
        break;
      default: {
        const typed = formatParameter(command.name, command.args);
        if (typed.status === "deprecated") warnings.push(typed.warning);
        else if (typed.status === "error") throw new CreateRequestError(typed.message, command);
        else {
          const previous = parameters[command.name];
          parameters[command.name] =
            Array.isArray(previous) && Array.isArray(typed.value) ? [...previous, ...typed.value] : typed.value;
          setBy.set(command.name, command);
        }
      }
    }
  }
  // encoding/json writes map keys in sorted order and stops at the first value it cannot encode.
  for (const name of Object.keys(parameters).sort()) {
    const unencodable = unencodableParameter(parameters[name] as ParameterValue);
    if (unencodable !== undefined) throw new CreateRequestError(unencodable, setBy.get(name) as Command);
  }
  if (Object.keys(parameters).length > 0) request.parameters = parameters;
  return { request, warnings };
}

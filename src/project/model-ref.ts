/**
 * Model names as Ollama reads them (`[host/][namespace/]model[:tag]`, tag `latest` when omitted, compared
 * case-insensitively) and what a FROM/ADAPTER/DRAFT value refers to.
 */
import { normaliseRelative } from "./tree.js";

export interface LibraryRef {
  host: string;
  namespace: string;
  model: string;
  /** undefined when the reference names no tag (Ollama then uses `latest`). */
  tag: string | undefined;
}

export const DEFAULT_REGISTRY_HOST = "registry.ollama.ai";
export const DEFAULT_NAMESPACE = "library";

export function parseModelRef(value: string): LibraryRef {
  const slash = value.lastIndexOf("/");
  const last = value.slice(slash + 1);
  const colon = last.indexOf(":");
  const model = colon < 0 ? last : last.slice(0, colon);
  const tag = colon < 0 ? undefined : last.slice(colon + 1);
  const scope = slash < 0 ? [] : value.slice(0, slash).split("/");
  const namespace = scope.length > 0 ? (scope.pop() as string) : DEFAULT_NAMESPACE;
  const host = scope.length > 0 ? scope.join("/") : DEFAULT_REGISTRY_HOST;
  return { host, namespace, model, tag };
}

type NamePart = "host" | "namespace" | "model" | "tag";

/**
 * Ollama's rule for each part of a name (types/model/name.go isValidPart): 1 to 80 characters (a host up to
 * 350), the first a letter, digit or '_', the rest also '-' and '.', but no '.' in a namespace; ':' only in a
 * host (its port). Bytes, not characters: anything outside ASCII is refused.
 */
function isValidPart(kind: NamePart, part: string): boolean {
  const max = kind === "host" ? 350 : 80;
  if (part.length < 1 || part.length > max) return false;
  const rest = kind === "host" ? "A-Za-z0-9_.:-" : kind === "namespace" ? "A-Za-z0-9_-" : "A-Za-z0-9_.-";
  return new RegExp(`^[A-Za-z0-9_][${rest}]*$`).test(part);
}

/**
 * Whether Ollama accepts `value` as a model name (ParseName, then IsValid): the tag is what follows the last ':'
 * when that comes after the last '/'; a missing host, namespace or tag takes Ollama's default, an empty one
 * (`a//b`, `a:`) is refused, and so is anything with control characters, spaces or other separators.
 */
export function isValidOllamaName(value: string): boolean {
  let rest = value;
  let tag = "latest";
  if (rest.lastIndexOf(":") > rest.lastIndexOf("/")) {
    tag = rest.slice(rest.lastIndexOf(":") + 1);
    rest = rest.slice(0, rest.lastIndexOf(":"));
  }
  const parts = rest.split("/");
  const model = parts.pop() as string;
  const namespace = parts.length > 0 ? (parts.pop() as string) : DEFAULT_NAMESPACE;
  // What is left is the host, which may carry a scheme: `https://host`.
  const host = parts.length > 0 ? parts.join("/").replace(/^[^/]*:\/\//, "") : DEFAULT_REGISTRY_HOST;
  return (
    isValidPart("host", host) &&
    isValidPart("namespace", namespace) &&
    isValidPart("model", model) &&
    isValidPart("tag", tag)
  );
}

/** `qwen3:4b` → `registry.ollama.ai/library/qwen3:4b`: one spelling per model, for hashing and matching. */
export function canonicalModelRef(value: string): string {
  const ref = parseModelRef(value);
  return `${ref.host}/${ref.namespace}/${ref.model}:${ref.tag ?? "latest"}`.toLowerCase();
}

/** Library models that think by default (Ollama ≥ 0.12.4), which no Modelfile instruction can switch off. */
const THINKING_MODELS = new Set([
  "qwen3",
  "deepseek-r1",
  "qwq",
  "gpt-oss",
  "magistral",
  "phi4-reasoning",
  "phi4-mini-reasoning",
]);

export function isThinkingModel(ref: LibraryRef): boolean {
  if (!THINKING_MODELS.has(ref.model.toLowerCase())) return false;
  return !(ref.tag ?? "").toLowerCase().includes("instruct");
}

const LOCAL_MODEL_SUFFIXES = [".gguf", ".safetensors", ".bin"];

/** Values Ollama resolves as a path from the Modelfile's directory (absolute, home or relative). */
export function looksLikePath(value: string): boolean {
  return (
    value.startsWith("./") ||
    value.startsWith("../") ||
    value.startsWith("/") ||
    value.startsWith("\\") ||
    value.startsWith("~") ||
    value === "." ||
    value === ".." ||
    LOCAL_MODEL_SUFFIXES.some((suffix) => value.toLowerCase().endsWith(suffix))
  );
}

export type PathResolution =
  | { kind: "inside"; path: string }
  /** Absolute, home-relative, or climbing out of the project root. */
  | { kind: "escapes" };

/**
 * Where a FROM/ADAPTER/DRAFT value points, relative to the project root. `modelfileDir` is the Modelfile's
 * directory relative to the root. Paths are read as Ollama reads them on Linux, where images are built: a
 * backslash is part of a file name, but a leading one makes the path absolute (Ollama's expandPath).
 */
export function resolveReference(value: string, modelfileDir: string): PathResolution {
  if (value.startsWith("/") || value.startsWith("\\") || value.startsWith("~")) return { kind: "escapes" };
  const joined = normaliseRelative(`${modelfileDir}/${value}`);
  return joined === undefined ? { kind: "escapes" } : { kind: "inside", path: joined };
}

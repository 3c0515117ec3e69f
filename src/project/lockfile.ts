/**
 * `ollama.lock`: every library base model pinned to the manifest it resolved to. Ollama's registry has no
 * pull-by-digest, so the lock keeps the manifest's bytes: fetching writes them back verbatim, and the blobs
 * they list are fetched by digest. The file is committed; its digests are part of the model hashes.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { describeIssues } from "../text/issues.js";
import { neutraliseControlCharacters } from "../text/safe-text.js";
import { canonicalModelRef, isValidOllamaName, parseModelRef } from "./model-ref.js";

export const LOCK_FILE = "ollama.lock";
export const LOCK_VERSION = 1;

export const DIGEST = /^sha256:[0-9a-f]{64}$/;

export const LayerSchema = z.object({
  mediaType: z.string(),
  digest: z.string().regex(DIGEST),
  size: z.number().int().nonnegative(),
});
export type Layer = z.infer<typeof LayerSchema>;

/** The part of an Ollama manifest the store needs (Docker image manifest v2, schema 2). */
export const OllamaManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: LayerSchema,
  layers: z.array(LayerSchema),
});
export type OllamaManifest = z.infer<typeof OllamaManifestSchema>;

export const LockEntrySchema = z.strictObject({
  /** The registry host as Ollama names it (`registry.ollama.ai`). */
  registry: z.string().min(1),
  /** `<namespace>/<model>`. */
  repository: z.string().min(1),
  tag: z.string().min(1),
  /** sha256 of the manifest's bytes: Ollama's model ID. */
  digest: z.string().regex(DIGEST),
  /** The manifest exactly as the registry served it. */
  manifest: z.string().min(1),
});
export type LockEntry = z.infer<typeof LockEntrySchema>;

export const LockSchema = z.strictObject({
  version: z.literal(LOCK_VERSION),
  /** Keyed by canonical reference, `registry.ollama.ai/library/qwen3:4b`. */
  models: z.record(z.string(), LockEntrySchema),
});
export type Lock = z.infer<typeof LockSchema>;

/** A lock that cannot be used; `line` is where in the file the problem is, when it is known. */
export class LockError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "LockError";
  }
}

export const emptyLock = (): Lock => ({ version: LOCK_VERSION, models: {} });

export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * The line of a JSON path in the lock's text: `["models", ref, "tag"]` finds `"tag":` inside that entry; as
 * far as the path is found, else the first line (the object that lacks it).
 */
export function lineOfPath(text: string, path: readonly PropertyKey[]): number {
  let from = 0;
  let found = 0;
  for (const key of path) {
    if (typeof key !== "string") continue;
    const index = text.indexOf(`${JSON.stringify(key)}:`, from);
    if (index < 0) break;
    found = index;
    from = index + 1;
  }
  return lineAt(text, found);
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** The line of a JSON.parse error: V8 names the line, or the position, or (at the end of the text) neither. */
function lineOfJsonError(text: string, message: string): number {
  const line = /\(line (\d+) column \d+\)/.exec(message)?.[1];
  if (line !== undefined) return Number(line);
  const position = /at position (\d+)/.exec(message)?.[1];
  return lineAt(text, position === undefined ? text.length : Number(position));
}

const at = (label: string, line: number) => `${label}:${line}: `;

/**
 * An entry must be for the model its key names: the key a canonical, valid Ollama name
 * (`registry.ollama.ai/library/qwen3:4b`), and its registry, repository and tag that name's parts. These become
 * paths in the model store, so nothing else may reach them.
 */
function checkEntryName(ref: string, entry: LockEntry): { field: string; message: string } | undefined {
  if (!isValidOllamaName(ref) || canonicalModelRef(ref) !== ref || ref.split("/").length !== 3) {
    return { field: "", message: "not a model name ollama-build writes (host/namespace/model:tag, lower case)" };
  }
  const name = parseModelRef(ref);
  const expected = { registry: name.host, repository: `${name.namespace}/${name.model}`, tag: name.tag ?? "latest" };
  for (const field of ["registry", "repository", "tag"] as const) {
    if (entry[field] !== expected[field]) {
      return {
        field,
        message: `${field} ${JSON.stringify(entry[field])} is not the key's ${JSON.stringify(expected[field])}`,
      };
    }
  }
  return undefined;
}

/**
 * Parses and verifies: each entry names its key's model, and each manifest hashes to its digest and is a
 * manifest Ollama can use. Errors say `label:line: where: what`.
 */
export function parseLock(text: string, label = LOCK_FILE): Lock {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const line = lineOfJsonError(text, message);
    // V8 quotes the text around the error, line breaks and all: one line, escaped.
    throw new LockError(`${at(label, line)}not JSON: ${neutraliseControlCharacters(message)}`, line);
  }
  const result = LockSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => lineOfPath(text, issue.path));
    const message = result.error.issues
      .map((issue, i) => describeIssues(new z.ZodError([issue]), at(label, lines[i] as number)))
      .join("\n");
    throw new LockError(message, lines[0]);
  }
  for (const [ref, entry] of Object.entries(result.data.models)) {
    // The key is the file's: shown with its control characters escaped, so the message stays one line.
    const shown = neutraliseControlCharacters(ref);
    const misnamed = checkEntryName(ref, entry);
    if (misnamed !== undefined) {
      const line = lineOfPath(text, ["models", ref, ...(misnamed.field === "" ? [] : [misnamed.field])]);
      throw new LockError(`${at(label, line)}${shown}: ${neutraliseControlCharacters(misnamed.message)}`, line);
    }
    const actual = sha256Digest(entry.manifest);
    if (actual !== entry.digest) {
      const line = lineOfPath(text, ["models", ref, "digest"]);
      throw new LockError(
        `${at(label, line)}${shown}: the manifest hashes to ${actual}, not to the recorded ${entry.digest}`,
        line,
      );
    }
    const line = lineOfPath(text, ["models", ref, "manifest"]);
    manifestOf(entry, `${label}:${line}: ${shown}`, line);
  }
  return result.data;
}

export function manifestOf(entry: LockEntry, label: string, line?: number): OllamaManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(entry.manifest);
  } catch {
    throw new LockError(`${label}: the manifest is not JSON`, line);
  }
  const result = OllamaManifestSchema.safeParse(raw);
  if (!result.success) throw new LockError(describeIssues(result.error, `${label}: manifest `), line);
  return result.data;
}

/** Keys sorted, two-space indent, final newline: stable diffs. */
export function serializeLock(lock: Lock): string {
  const models = Object.fromEntries(Object.entries(lock.models).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ version: lock.version, models }, null, 2)}\n`;
}

/** Every blob a locked model needs: its config and its layers. */
export function blobsOf(entry: LockEntry): Layer[] {
  const manifest = manifestOf(entry, `${entry.registry}/${entry.repository}:${entry.tag}`);
  return [manifest.config, ...manifest.layers];
}

export interface LockCheck {
  /** Library bases the Modelfiles use that the lock does not pin. */
  missing: string[];
  /** Lock entries no Modelfile uses any more. */
  unused: string[];
}

export function checkLock(lock: Lock, usedRefs: readonly string[]): LockCheck {
  const used = new Set(usedRefs);
  return {
    missing: [...used].filter((ref) => lock.models[ref] === undefined).sort(),
    unused: Object.keys(lock.models)
      .filter((ref) => !used.has(ref))
      .sort(),
  };
}

/** The line of `"<ref>":` in the lock file's text, for diagnostics. */
export const lineOfEntry = (text: string, ref: string): number => lineOfPath(text, ["models", ref]);

export type LockState =
  | { status: "absent" }
  | { status: "ok"; text: string; lock: Lock }
  | { status: "invalid"; text: string; error: string; line?: number };

/** Reads `ollama.lock` at the project root, if there is one; a broken lock is reported, not thrown. */
export async function loadLock(tree: {
  entryType(file: string): Promise<string | undefined>;
  readFile(file: string): Promise<Uint8Array>;
}): Promise<LockState> {
  if ((await tree.entryType(LOCK_FILE)) !== "file") return { status: "absent" };
  const text = Buffer.from(await tree.readFile(LOCK_FILE)).toString("utf8");
  try {
    return { status: "ok", text, lock: parseLock(text) };
  } catch (error) {
    if (error instanceof LockError) {
      return {
        status: "invalid",
        text,
        error: error.message,
        ...(error.line === undefined ? {} : { line: error.line }),
      };
    }
    throw error;
  }
}

/** Manifest digest per canonical reference, the form the model hash takes. */
export function lockedDigests(state: LockState): Map<string, string> {
  if (state.status !== "ok") return new Map();
  return new Map(Object.entries(state.lock.models).map(([ref, entry]) => [ref, entry.digest]));
}

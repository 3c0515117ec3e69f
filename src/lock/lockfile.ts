/**
 * `ollama.lock`: every library base model pinned to the manifest it resolved to. Ollama's registry has no
 * pull-by-digest, so the lock keeps the manifest's bytes: fetching writes them back verbatim, and the blobs
 * they list are fetched by digest. The file is committed; its digests are part of the model hashes.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { describeIssues } from "../config.js";

export const LOCK_FILE = "ollama.lock";
export const LOCK_VERSION = 1;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

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

export class LockError extends Error {}

export const emptyLock = (): Lock => ({ version: LOCK_VERSION, models: {} });

export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Parses and verifies: each manifest must hash to its digest and be a manifest Ollama can use. */
export function parseLock(text: string, label = LOCK_FILE): Lock {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new LockError(`${label}: not JSON: ${(error as Error).message}`);
  }
  const result = LockSchema.safeParse(raw);
  if (!result.success) throw new LockError(describeIssues(result.error, `${label}: `));
  for (const [ref, entry] of Object.entries(result.data.models)) {
    const actual = sha256Digest(entry.manifest);
    if (actual !== entry.digest) {
      throw new LockError(`${label}: ${ref}: the manifest hashes to ${actual}, not to the recorded ${entry.digest}`);
    }
    manifestOf(entry, `${label}: ${ref}`);
  }
  return result.data;
}

export function manifestOf(entry: LockEntry, label: string): OllamaManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(entry.manifest);
  } catch {
    throw new LockError(`${label}: the manifest is not JSON`);
  }
  const result = OllamaManifestSchema.safeParse(raw);
  if (!result.success) throw new LockError(describeIssues(result.error, `${label}: manifest `));
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
export function lineOfEntry(text: string, ref: string): number {
  const index = text.indexOf(`${JSON.stringify(ref)}:`);
  return index < 0 ? 1 : text.slice(0, index).split("\n").length;
}

export type LockState =
  | { status: "absent" }
  | { status: "ok"; text: string; lock: Lock }
  | { status: "invalid"; text: string; error: string };

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
    if (error instanceof LockError) return { status: "invalid", text, error: error.message };
    throw error;
  }
}

/** Manifest digest per canonical reference, the form the model hash takes. */
export function lockedDigests(state: LockState): Map<string, string> {
  if (state.status !== "ok") return new Map();
  return new Map(Object.entries(state.lock.models).map(([ref, entry]) => [ref, entry.digest]));
}

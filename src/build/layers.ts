/**
 * Which files go into which image layer. Every model gets its own layer: base models first, largest and
 * most stable first (name breaks ties), each blob in exactly one layer; then one small layer per custom
 * model holding its manifest and the blobs `ollama create` added. Editing a system prompt therefore changes
 * one layer of a few kilobytes, and the registry already has every other one.
 */
import { createHash } from "node:crypto";

export interface StoreFile {
  /** Path inside OLLAMA_MODELS: `blobs/sha256-…` or `manifests/<host>/<ns>/<model>/<tag>`. */
  path: string;
  size: number;
  /** The content's digest where the path does not already say it (manifests). */
  digest?: string;
}

export interface ModelFiles {
  /** A base model's canonical reference, or a custom model's name. */
  name: string;
  kind: "base" | "custom";
  manifest: StoreFile;
  /** Every blob the model's manifest references (config included). */
  blobs: StoreFile[];
}

export interface ImageLayer {
  name: string;
  kind: "base" | "custom";
  /**
   * The build-context name: the model's name and a digest of the layer's files. BuildKit keeps a synced
   * copy of each named context between builds and updates it in place, and an update leaves directories
   * with the wall-clock time; a name that changes with the content means a context is only ever reused
   * unchanged.
   */
  context: string;
  files: StoreFile[];
  bytes: number;
}

/** `registry.ollama.ai/library/qwen3:4b` + files → `base-qwen3-4b-<digest10>`. */
export function contextName(name: string, kind: "base" | "custom", files: readonly StoreFile[]): string {
  const short = kind === "base" ? name.replace(/^registry\.ollama\.ai\/library\//, "") : name;
  const slug = short
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const content = createHash("sha256")
    .update(JSON.stringify(files.map((f) => [f.path, f.size, f.digest ?? null])))
    .digest("hex")
    .slice(0, 10);
  return `${kind === "base" ? "base" : "model"}-${slug}-${content}`;
}

const totalSize = (model: ModelFiles) => model.blobs.reduce((sum, b) => sum + b.size, 0);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * `customOrder` is the build order of the custom models (dependencies first). A blob shared by several
 * models goes into the first layer that needs it.
 */
export function assignLayers(models: readonly ModelFiles[], customOrder: readonly string[]): ImageLayer[] {
  const bases = models.filter((m) => m.kind === "base").sort((a, b) => totalSize(b) - totalSize(a) || byName(a, b));
  const customs = customOrder.map((name) => {
    const model = models.find((m) => m.kind === "custom" && m.name === name);
    if (model === undefined) throw new Error(`custom model ${name} has no files`);
    return model;
  });
  const placed = new Set<string>();
  return [...bases, ...customs].map((model) => {
    const files = [model.manifest];
    for (const blob of model.blobs) {
      if (placed.has(blob.path)) continue;
      placed.add(blob.path);
      files.push(blob);
    }
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
    return {
      name: model.name,
      kind: model.kind,
      context: contextName(model.name, model.kind, files),
      files,
      bytes: files.reduce((sum, f) => sum + f.size, 0),
    };
  });
}

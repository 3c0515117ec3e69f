/**
 * The model store, laid out exactly like Ollama's OLLAMA_MODELS directory:
 *   manifests/<registry>/<namespace>/<model>/<tag>   the manifest's bytes
 *   blobs/sha256-<hex>                               every config and layer blob
 * Downloads in progress live beside it (never inside it), so the store only ever holds verified files.
 */
import path from "node:path";
import { DIGEST } from "../project/lockfile.js";
import { hasControlCharacter } from "../text/safe-text.js";

export interface StoreLayout {
  /** The OLLAMA_MODELS directory. */
  models: string;
  /** Partial downloads, outside the models directory. */
  partial: string;
}

export function storeLayout(root: string): StoreLayout {
  return { models: path.join(root, "models"), partial: path.join(root, "partial") };
}

export class StorePathError extends Error {}

export function blobFileName(digest: string): string {
  if (!DIGEST.test(digest)) throw new StorePathError(`${JSON.stringify(digest)} is not a sha256 digest`);
  return digest.replace(":", "-");
}

export function blobPath(models: string, digest: string): string {
  return path.join(models, "blobs", blobFileName(digest));
}

/**
 * `manifests/<registry>/<namespace>/<model>/<tag>`. The parts come from ollama.lock, which the lock's checks
 * tie to valid model names; a part that would still move the path elsewhere (empty, `.`, `..`, a separator, a
 * control character) is refused here too, so no lock can make the store write outside itself.
 */
export function manifestRelativePath(registry: string, repository: string, tag: string): string {
  const parts = [registry, ...repository.split("/"), tag];
  for (const part of parts) {
    if (part === "" || part === "." || part === ".." || /[\\/]/.test(part) || hasControlCharacter(part)) {
      throw new StorePathError(
        `${JSON.stringify([registry, repository, tag].join(" "))} cannot name a path in the store`,
      );
    }
  }
  return ["manifests", ...parts].join("/");
}

/**
 * The model store, laid out exactly like Ollama's OLLAMA_MODELS directory:
 *   manifests/<registry>/<namespace>/<model>/<tag>   the manifest's bytes
 *   blobs/sha256-<hex>                               every config and layer blob
 * Downloads in progress live beside it (never inside it), so the store only ever holds verified files.
 */
import path from "node:path";

export interface StoreLayout {
  /** The OLLAMA_MODELS directory. */
  models: string;
  /** Partial downloads, outside the models directory. */
  partial: string;
}

export function storeLayout(root: string): StoreLayout {
  return { models: path.join(root, "models"), partial: path.join(root, "partial") };
}

export function blobFileName(digest: string): string {
  return digest.replace(":", "-");
}

export function blobPath(models: string, digest: string): string {
  return path.join(models, "blobs", blobFileName(digest));
}

export function manifestRelativePath(registry: string, repository: string, tag: string): string {
  return ["manifests", registry, ...repository.split("/"), tag].join("/");
}

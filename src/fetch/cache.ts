/**
 * The model store survives between workflow runs in GitHub's cache. The key is derived from the locked
 * manifests the build needs, so it changes exactly when a base model does; any earlier store is a useful
 * partial hit (blobs are content-addressed and re-verified by fetch). Only base models are cached: what
 * `ollama create` makes is kilobytes and is made again.
 */
import { createHash } from "node:crypto";
import type { Lock } from "../project/lockfile.js";

export const CACHE_KEY_PREFIX = "ollama-build-models-v1-";

export function modelCacheKey(lock: Lock, refs: readonly string[]): string {
  const pinned = [...refs].sort().map((ref) => `${ref}@${lock.models[ref]?.digest ?? "unlocked"}`);
  return `${CACHE_KEY_PREFIX}${createHash("sha256").update(pinned.join("\n")).digest("hex")}`;
}

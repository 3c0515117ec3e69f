/** Resolving library references to lock entries through the registry (the network side of `lock`). */

import { type LockEntry, manifestOf } from "../project/lockfile.js";
import type { LibraryRef } from "../project/model-ref.js";
import { type RegistryClient, RegistryError } from "../registry/client.js";

/** Ollama asks for exactly this media type, and its registry answers with it. */
export const OLLAMA_MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";

export async function resolveLockEntry(client: RegistryClient, ref: LibraryRef): Promise<LockEntry> {
  const repository = `${ref.namespace}/${ref.model}`;
  const tag = ref.tag ?? "latest";
  const manifest = await client.getManifest(repository, tag, [OLLAMA_MANIFEST_MEDIA_TYPE]);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(manifest.bytes);
  } catch {
    throw new RegistryError(`${client.baseUrl}: the manifest of ${repository}:${tag} is not UTF-8 text`);
  }
  const entry: LockEntry = { registry: ref.host, repository, tag, digest: manifest.digest, manifest: text };
  manifestOf(entry, `${client.baseUrl} ${repository}:${tag}`);
  return entry;
}

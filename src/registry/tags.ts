/** Tags added through the registry API: a manifest copied under another name, nothing rebuilt or re-pushed. */
import type { RegistryClient } from "./client.js";

/** Copies `from`'s manifest to every tag in `tags` (skipping `from` itself). */
export async function addTags(
  client: RegistryClient,
  repository: string,
  from: string,
  tags: readonly string[],
): Promise<void> {
  const manifest = await client.getManifest(repository, from);
  for (const tag of tags) {
    if (tag !== from) await client.putManifest(repository, tag, manifest.bytes, manifest.mediaType);
  }
}

/**
 * What a push of an image puts into a registry, read back through the registry API: its manifests and the
 * blobs they reference. Comparing two images says what the second's push had to upload where the first was.
 */
import { MANIFEST_MEDIA_TYPES, type RegistryClient } from "./client.js";

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
}

export interface PushedImage {
  /** Manifest bytes: every manifest (an index and its children, or one image manifest). */
  manifests: { digest: string; bytes: number }[];
  /** Config and layer blobs. */
  blobs: Descriptor[];
}

/** Everything a push of `repository:reference` put into the registry: manifests and the blobs they reference. */
export async function pushedImage(client: RegistryClient, repository: string, reference: string): Promise<PushedImage> {
  const result: PushedImage = { manifests: [], blobs: [] };
  const visit = async (ref: string) => {
    const manifest = await client.getManifest(repository, ref, MANIFEST_MEDIA_TYPES);
    result.manifests.push({ digest: manifest.digest, bytes: manifest.bytes.length });
    const parsed = JSON.parse(Buffer.from(manifest.bytes).toString("utf8")) as {
      manifests?: Descriptor[];
      config?: Descriptor;
      layers?: Descriptor[];
    };
    for (const child of parsed.manifests ?? []) await visit(child.digest);
    if (parsed.config !== undefined) result.blobs.push(parsed.config);
    result.blobs.push(...(parsed.layers ?? []));
  };
  await visit(reference);
  return result;
}

/**
 * The bytes the push of `second` had to upload into a repository that already held `first`: the registry
 * skips every blob it has (all of the first image's config and layers), so this is the size of each
 * second-image blob the first did not have, plus the second image's manifest(s).
 */
export function pushBytes(
  first: PushedImage,
  second: PushedImage,
): { bytes: number; newBlobs: Descriptor[]; manifestBytes: number } {
  const known = new Set(first.blobs.map((b) => b.digest));
  const seen = new Set<string>();
  const newBlobs = second.blobs.filter((b) => {
    if (known.has(b.digest) || seen.has(b.digest)) return false;
    seen.add(b.digest);
    return true;
  });
  const knownManifests = new Set(first.manifests.map((m) => m.digest));
  const manifestBytes = second.manifests.filter((m) => !knownManifests.has(m.digest)).reduce((n, m) => n + m.bytes, 0);
  return { bytes: newBlobs.reduce((n, b) => n + b.size, 0) + manifestBytes, newBlobs, manifestBytes };
}

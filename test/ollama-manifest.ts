/** Ollama models as its registry serves them: a Docker v2 manifest over a config blob and typed layers. */
import { createHash } from "node:crypto";

export const digestOf = (bytes: Uint8Array | string) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

export const MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";

/** The manifest's text for a config and `[mediaType, bytes]` layers, in order. */
export function ollamaManifest(config: Uint8Array, layers: readonly (readonly [string, Uint8Array])[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_MEDIA_TYPE,
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      digest: digestOf(config),
      size: config.length,
    },
    layers: layers.map(([mediaType, bytes]) => ({ mediaType, digest: digestOf(bytes), size: bytes.length })),
  });
}

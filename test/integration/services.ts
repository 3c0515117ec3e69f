/** The real services integration tests use (started by test/services/up.sh, which .ci/run calls). */
import { randomBytes } from "node:crypto";
import type { RegistryClient } from "../../src/registry/client.js";
import { digestOf, MANIFEST_MEDIA_TYPE, ollamaManifest } from "../ollama-manifest.js";

export const PLAIN_REGISTRY = "http://127.0.0.1:5000";
export const AUTH_REGISTRY = "http://127.0.0.1:5001";
export const AUTH_USERNAME = "ollama-build";
export const AUTH_PASSWORD = "test-password-not-secret";
export const NODE_BASE_IMAGE = "ollama-build-test/node-base:latest";

export async function requireRegistry(): Promise<void> {
  try {
    await fetch(`${PLAIN_REGISTRY}/v2/`, { signal: AbortSignal.timeout(2000) });
  } catch {
    throw new Error(`no registry at ${PLAIN_REGISTRY}: start the test services with \`bash test/services/up.sh\``);
  }
}

export interface SeededModel {
  repository: string;
  tag: string;
  manifest: string;
  blobs: Map<string, Uint8Array>;
}

/**
 * Pushes a model in Ollama's format (a Docker v2 manifest whose layers have Ollama media types) to a real
 * registry, as the Ollama registry serves it. The "weights" are random bytes behind a GGUF magic.
 */
export async function seedOllamaModel(
  client: RegistryClient,
  options: { repository: string; tag: string; weightBytes: number; template?: string; seed?: string },
): Promise<SeededModel> {
  const weights = Buffer.concat([Buffer.from("GGUF"), randomBytes(Math.max(options.weightBytes - 4, 0))]);
  const parts: [string, Uint8Array][] = [
    ["application/vnd.ollama.image.model", weights],
    ["application/vnd.ollama.image.template", Buffer.from(options.template ?? "{{ .Prompt }}")],
    ["application/vnd.ollama.image.license", Buffer.from(`license of ${options.repository} ${options.seed ?? ""}`)],
    ["application/vnd.ollama.image.params", Buffer.from('{"stop":["<|im_end|>"]}\n')],
  ];
  const config = Buffer.from(
    JSON.stringify({ model_format: "gguf", model_family: options.repository.split("/").pop() }),
  );
  const blobs = new Map<string, Uint8Array>();
  for (const [, bytes] of parts) blobs.set(digestOf(bytes), bytes);
  blobs.set(digestOf(config), config);
  for (const [digest, bytes] of blobs) await client.putBlob(options.repository, digest, bytes);
  const manifest = ollamaManifest(config, parts);
  await client.putManifest(options.repository, options.tag, Buffer.from(manifest), MANIFEST_MEDIA_TYPE);
  return { repository: options.repository, tag: options.tag, manifest, blobs };
}

/** A repository name no other test uses, so tests do not see each other's pushes. */
export const uniqueRepository = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

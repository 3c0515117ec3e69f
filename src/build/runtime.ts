/** What the image gets besides its models: serving settings and the entrypoint, both part of its hash. */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../project/config.js";
import { environment, type RuntimeSettings } from "./recipe.js";

/**
 * ollama/entrypoint.sh of this repository. The bundles (dist/action, dist/cli) and the sources (src/build)
 * all sit two directories below the repository root, where GitHub checks the action out whole.
 */
export const ENTRYPOINT_SOURCE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../ollama/entrypoint.sh",
);

export function runtimeSettings(config: Config, customModels: readonly string[]): RuntimeSettings {
  const runtime = config.runtime;
  return {
    keepAlive: runtime["keep-alive"],
    numParallel: runtime["num-parallel"],
    maxLoadedModels: runtime["max-loaded-models"],
    flashAttention: runtime["flash-attention"],
    warmup: runtime.warmup ?? [...customModels],
  };
}

/** Everything besides the models that decides the image's content. */
export interface ImageInputs {
  ollamaImage: string;
  environment: [string, string][];
  entrypointSha256: string;
}

export async function imageInputs(config: Config, customModels: readonly string[]): Promise<ImageInputs> {
  const entrypoint = await readFile(ENTRYPOINT_SOURCE);
  return {
    ollamaImage: config["ollama-image"],
    environment: environment(runtimeSettings(config, customModels)),
    entrypointSha256: createHash("sha256").update(entrypoint).digest("hex"),
  };
}

/**
 * Everything besides the models that decides the image's content: the Ollama image, the serving settings
 * baked in as ENV (the warm-up order among them) and the entrypoint script. The plan reads it once, hashes it
 * into the content-addressed tag, and hands the same object to the build, which writes exactly these bytes
 * and settings: the tag cannot name an image the build did not make.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../project/config.js";

/** Where the image keeps its models; Ollama's default for root, so `ollama` finds them without settings. */
export const MODELS_DIR = "/root/.ollama/models";

/**
 * ollama/entrypoint.sh of this repository. The bundles (dist/action, dist/cli) and the sources (src/plan)
 * all sit two directories below the repository root, where GitHub checks the action out whole.
 */
export const ENTRYPOINT_SOURCE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../ollama/entrypoint.sh",
);

/** Serving settings baked into the image (the design review's values are the configuration's defaults). */
export interface RuntimeSettings {
  keepAlive: string;
  numParallel: number;
  maxLoadedModels: number;
  flashAttention: boolean;
  /** Models the entrypoint loads before the server reports ready. */
  warmup: string[];
}

export interface ImageSpec {
  ollamaImage: string;
  runtime: RuntimeSettings;
  entrypoint: { bytes: Uint8Array; sha256: string };
}

/** The image's ENV, in the order the recipe writes it. */
export function environment(runtime: RuntimeSettings): [string, string][] {
  return [
    ["OLLAMA_MODELS", MODELS_DIR],
    ["OLLAMA_HOST", "0.0.0.0:11434"],
    ["OLLAMA_KEEP_ALIVE", runtime.keepAlive],
    ["OLLAMA_NUM_PARALLEL", String(runtime.numParallel)],
    ["OLLAMA_MAX_LOADED_MODELS", String(runtime.maxLoadedModels)],
    ["OLLAMA_FLASH_ATTENTION", runtime.flashAttention ? "1" : "0"],
    // The image holds exactly the models it was built with: never prune them.
    ["OLLAMA_NOPRUNE", "1"],
    ["OLLAMA_BUILD_WARMUP", runtime.warmup.join(" ")],
  ];
}

/** The spec for `config`; without a configured warm-up list, every custom model warms up in build order. */
export function imageSpec(config: Config, buildOrder: readonly string[], entrypoint: Uint8Array): ImageSpec {
  const runtime = config.runtime;
  return {
    ollamaImage: config["ollama-image"],
    runtime: {
      keepAlive: runtime["keep-alive"],
      numParallel: runtime["num-parallel"],
      maxLoadedModels: runtime["max-loaded-models"],
      flashAttention: runtime["flash-attention"],
      warmup: runtime.warmup ?? [...buildOrder],
    },
    entrypoint: { bytes: entrypoint, sha256: createHash("sha256").update(entrypoint).digest("hex") },
  };
}

export const readEntrypoint = (): Promise<Uint8Array> => readFile(ENTRYPOINT_SOURCE);

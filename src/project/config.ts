/**
 * The project's optional `ollama-build.yml` (at the project root): settings shared by the CLI and the
 * action. Action inputs and CLI flags override it; it overrides the defaults here.
 */
import { z } from "zod";
import { isImageReference, isImageRepository } from "../registry/image-ref.js";
import { describeIssues } from "../text/issues.js";
import { issueKeyPath, locate, readYaml, YamlSyntaxError } from "../text/yaml-source.js";
import { isValidModelName } from "./load.js";
import type { FileTree } from "./tree.js";

export const CONFIG_FILE = "ollama-build.yml";
/** The Ollama image custom models are created with and served from. */
export const DEFAULT_OLLAMA_IMAGE = "ollama/ollama:0.32.15";
export const DEFAULT_MODELFILES_DIR = "modelfiles";
export const DEFAULT_SMOKE_CASES = "test/smoke";

/** The design review's serving settings: two models resident, two requests each, kept loaded for a day. */
export const DEFAULT_RUNTIME = {
  keepAlive: "24h",
  numParallel: 2,
  maxLoadedModels: 2,
  flashAttention: true,
} as const;

export const ConfigSchema = z
  .object({
    modelfiles: z.string().min(1).default(DEFAULT_MODELFILES_DIR),
    image: z
      .string()
      .refine(isImageRepository, "expected an image repository such as ghcr.io/owner/models (no tag)")
      .optional(),
    "ollama-image": z
      .string()
      .refine(isImageReference, "expected an image reference such as ollama/ollama:0.32.15 (or …@sha256:<digest>)")
      .default(DEFAULT_OLLAMA_IMAGE),
    "client-api": z.enum(["openai", "native"]).default("openai"),
    /** Where `registry.ollama.ai` models are fetched from (a mirror, or a test registry). */
    "ollama-registry": z.url({ protocol: /^https?$/ }).default("https://registry.ollama.ai"),
    runtime: z
      .strictObject({
        "keep-alive": z.string().min(1).default(DEFAULT_RUNTIME.keepAlive),
        "num-parallel": z.number().int().positive().default(DEFAULT_RUNTIME.numParallel),
        "max-loaded-models": z.number().int().positive().default(DEFAULT_RUNTIME.maxLoadedModels),
        "flash-attention": z.boolean().default(DEFAULT_RUNTIME.flashAttention),
        /** Models loaded at start; default: every custom model. */
        warmup: z
          .array(z.string().refine(isValidModelName, "a model name: letters, digits, '_', '.', '-', at most 80"))
          .optional(),
      })
      .prefault({}),
    smoke: z
      .strictObject({
        /** Case files, or folders of them, relative to the project root. */
        cases: z.array(z.string().min(1)).min(1).default([DEFAULT_SMOKE_CASES]),
        gpus: z.enum(["auto", "all", "none"]).default("auto"),
      })
      .prefault({}),
    models: z
      .record(
        z.string(),
        z.strictObject({
          name: z.string().refine(isValidModelName, "a model name: letters, digits, '_', '.', '-', at most 80"),
        }),
      )
      .default({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses and checks the configuration; every error is `file:line: setting: what was expected`. */
export function parseConfig(text: string, file: string): Config {
  let read: ReturnType<typeof readYaml>;
  try {
    read = readYaml(text, file);
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new ConfigError(error.message);
    throw error;
  }
  const result = ConfigSchema.safeParse(read.value ?? {});
  if (!result.success) {
    throw new ConfigError(
      result.error.issues
        .map((issue) => {
          const path = issueKeyPath(issue);
          return describeIssues(new z.ZodError([{ ...issue, path }]), `${locate(read.source, path)}: `);
        })
        .join("\n"),
    );
  }
  return result.data;
}

export async function loadConfig(tree: FileTree): Promise<Config> {
  if ((await tree.entryType(CONFIG_FILE)) !== "file") return ConfigSchema.parse({});
  return parseConfig(Buffer.from(await tree.readFile(CONFIG_FILE)).toString("utf8"), tree.display(CONFIG_FILE));
}

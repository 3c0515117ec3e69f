/** `docker buildx build` and friends, as argv built by pure functions (table-tested). */

export interface BuildxInput {
  recipeFile: string;
  /** The main build context (the runtime files). */
  context: string;
  /** `[name, directory]` per model layer. */
  namedContexts: readonly (readonly [string, string])[];
  /** Full references: `<image>:<tag>`. */
  tags: readonly string[];
  /** `push` to the registry, or `load` into the local engine (no registry given). */
  output: "push" | "load";
  metadataFile: string;
  /** Registry layer cache, e.g. `type=registry,ref=<image>:buildcache`. */
  cacheFrom?: string;
  cacheTo?: string;
}

export function buildxArgv(input: BuildxInput): string[] {
  return [
    "buildx",
    "build",
    "--file",
    input.recipeFile,
    "--progress",
    "plain",
    // Attestations carry timestamps and are not part of what we promise; keep the image reproducible.
    "--provenance=false",
    "--sbom=false",
    // Reproducible image config: history and creation times from a fixed epoch.
    "--build-arg",
    "SOURCE_DATE_EPOCH=0",
    "--metadata-file",
    input.metadataFile,
    ...input.namedContexts.flatMap(([name, dir]) => ["--build-context", `${name}=${dir}`]),
    ...input.tags.flatMap((tag) => ["--tag", tag]),
    ...(input.cacheFrom === undefined ? [] : ["--cache-from", input.cacheFrom]),
    ...(input.cacheTo === undefined ? [] : ["--cache-to", input.cacheTo]),
    input.output === "push" ? "--push" : "--load",
    input.context,
  ];
}

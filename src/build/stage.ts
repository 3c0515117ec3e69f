/**
 * `build`, in the order the pipeline runs it: is the content-addressed image already there (then only tags are
 * added) → the recipe (all `--dry-run` shows) → after the fetch: `ollama create` the custom models → one build
 * context per model → `docker buildx build` → push (or load into the local engine when no registry is given).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { blobFileName, manifestRelativePath, type StoreLayout } from "../fetch/store.js";
import type { Runner } from "../io/exec.js";
import { MODELS_DIR } from "../plan/image-spec.js";
import type { PlannedImage } from "../plan/stage.js";
import { CONTENT_TAG_PREFIX } from "../plan/tags.js";
import { blobsOf, type Lock } from "../project/lockfile.js";
import type { RegistryClient } from "../registry/client.js";
import { parseImageRepository, splitImageReference } from "../registry/image-ref.js";
import { pushBytes, pushedImage } from "../registry/pushed.js";
import { addTags } from "../registry/tags.js";
import { buildxArgv } from "./buildx.js";
import { materialiseContexts, normaliseTree } from "./contexts.js";
import { customManifestPath, modelFilesFromStore, newBlobs, prepareScratch, runCreate } from "./create.js";
import { assignLayers, type ImageLayer, type ModelFiles } from "./layers.js";
import { ENTRYPOINT_PATH, renderRecipe, runtimeContextName } from "./recipe.js";
import { type BuildReport, type BuiltLayer, references } from "./report.js";

export class BuildError extends Error {}

/** Where the image goes: a client of its registry when it is pushed, nothing when it is loaded. */
export interface BuildTarget {
  push: boolean;
  /** Set when `push`: the image registry's API, with the credentials the push uses. */
  registry?: RegistryClient;
}

export const contentTagOf = (planned: PlannedImage) =>
  planned.plan.tags.find((t) => t.startsWith(CONTENT_TAG_PREFIX)) as string;

/**
 * The content-addressed image, when it already exists where this build would put it: then its other tags are
 * added (through the registry API, or `docker tag`) and nothing is built. Undefined when it does not exist.
 */
export async function tagExistingImage(
  run: Runner,
  planned: PlannedImage,
  target: BuildTarget,
  log: (line: string) => void,
): Promise<BuildReport | undefined> {
  const { plan } = planned;
  const repository = parseImageRepository(plan.image).path;
  let digest: string | undefined;
  if (target.registry !== undefined) {
    digest = await target.registry.headManifest(repository, contentTagOf(planned));
    if (digest === undefined) return undefined;
    await addTags(target.registry, repository, contentTagOf(planned), plan.tags);
  } else {
    const inspect = await run("docker", ["image", "inspect", "--format", "{{.Id}}", plan.imageTag]);
    if (inspect.exitCode !== 0) return undefined;
    for (const reference of references(plan)) await run("docker", ["tag", plan.imageTag, reference]);
  }
  log(`${plan.imageTag} exists: nothing to build; tagged ${plan.tags.join(", ")}`);
  return {
    plan,
    skipped: `${plan.imageTag} already exists`,
    ...(digest === undefined ? {} : { digest }),
    references: references(plan),
    layers: [],
    milliseconds: { fetch: 0, create: 0, build: 0, total: 0 },
  };
}

/** Base model files as the lock describes them (sizes known before anything is fetched). */
export function baseModelFiles(lock: Lock, refs: readonly string[]): ModelFiles[] {
  return refs.map((ref) => {
    const entry = lock.models[ref];
    if (entry === undefined) throw new BuildError(`${ref} is not in ollama.lock`);
    return {
      name: ref,
      kind: "base",
      manifest: {
        path: manifestRelativePath(entry.registry, entry.repository, entry.tag),
        size: Buffer.byteLength(entry.manifest),
        digest: entry.digest,
      },
      blobs: blobsOf(entry).map((layer) => ({ path: `blobs/${blobFileName(layer.digest)}`, size: layer.size })),
    };
  });
}

export interface RecipeContext {
  planned: PlannedImage;
  /** The commit built and the repository's URL, for the OCI labels. */
  revision?: string;
  repositoryUrl?: string;
}

function imageLabels({ planned, revision, repositoryUrl }: RecipeContext): Record<string, string> {
  const { plan, spec } = planned;
  const labels: Record<string, string> = {
    "org.opencontainers.image.title": path.basename(plan.image),
    "org.opencontainers.image.base.name": spec.ollamaImage,
    "dev.ollama-build.image-hash": plan.imageHash,
  };
  if (revision !== undefined) labels["org.opencontainers.image.revision"] = revision;
  if (repositoryUrl !== undefined) labels["org.opencontainers.image.source"] = repositoryUrl;
  for (const model of plan.models) labels[`dev.ollama-build.model.${model.name}`] = model.hash;
  return labels;
}

/** The recipe for these layers: the plan's spec (the bytes and settings its tag was hashed from), nothing else. */
export function recipeFor(context: RecipeContext, layers: readonly ImageLayer[]): string {
  const { spec } = context.planned;
  return renderRecipe({
    ollamaImage: spec.ollamaImage,
    layers,
    runtime: spec.runtime,
    runtimeContext: runtimeContextName(spec.entrypoint.sha256),
    labels: imageLabels(context),
  });
}

const customOrder = (planned: PlannedImage) => planned.plan.models.map((m) => m.name);

/** `--dry-run`: the recipe with placeholder custom layers (nothing is fetched, created or built). */
export function dryRunReport(context: RecipeContext, bases: readonly ModelFiles[]): BuildReport {
  const placeholders: ModelFiles[] = customOrder(context.planned).map((name) => ({
    name,
    kind: "custom",
    manifest: { path: customManifestPath(name), size: 0 },
    blobs: [],
  }));
  const layers = assignLayers([...bases, ...placeholders], customOrder(context.planned));
  const { plan } = context.planned;
  return {
    plan,
    recipe: recipeFor(context, layers),
    references: references(plan),
    layers: describeLayers(layers),
    milliseconds: { fetch: 0, create: 0, build: 0, total: 0 },
  };
}

export interface ImageBuild extends RecipeContext {
  /** The project root: Modelfiles and their local files are read from it. */
  projectRoot: string;
  /** The model store the base models were fetched into. */
  store: StoreLayout;
  bases: readonly ModelFiles[];
  target: BuildTarget;
  /** Scratch space for contexts and the recipe (the caller removes it). */
  workDir: string;
  /** BuildKit's registry layer cache, at `<image>:buildcache`. */
  layerCache: boolean;
  log: (line: string) => void;
}

/** `ollama create` for the custom models, in a scratch store beside the base models; their files. */
async function createCustomModels(run: Runner, build: ImageBuild, scratch: string): Promise<ModelFiles[]> {
  const { plan, spec } = build.planned;
  await prepareScratch(scratch, build.store.models, build.bases);
  await runCreate(run, {
    ollamaImage: spec.ollamaImage,
    scratch,
    projectRoot: build.projectRoot,
    jobs: plan.models.map((m) => ({ name: m.name, file: m.file })),
    user: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
  });
  const customs: ModelFiles[] = [];
  for (const name of customOrder(build.planned)) {
    customs.push(await modelFilesFromStore(scratch, customManifestPath(name), name, "custom"));
  }
  return customs;
}

/** The entrypoint's context: the spec's bytes, written here (not copied from disk again). */
async function writeRuntimeContext(build: ImageBuild): Promise<{ name: string; dir: string }> {
  const { entrypoint } = build.planned.spec;
  const name = runtimeContextName(entrypoint.sha256);
  const dir = path.join(build.workDir, name);
  const file = ENTRYPOINT_PATH.slice(1);
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), entrypoint.bytes);
  await normaliseTree(dir, new Set([file]));
  return { name, dir };
}

/** Creates the custom models, writes one context per layer and the recipe, and runs BuildKit. */
export async function buildImage(run: Runner, build: ImageBuild): Promise<BuildReport> {
  const milliseconds = { fetch: 0, create: 0, build: 0, total: 0 };
  let phase = Date.now();
  const scratch = path.join(build.workDir, "create-store");
  const customs = await createCustomModels(run, build, scratch);
  const created = await newBlobs(scratch, build.bases);
  milliseconds.create = Date.now() - phase;

  phase = Date.now();
  const layers = assignLayers([...build.bases, ...customs], customOrder(build.planned));
  // What `create` wrote is in the scratch store; the base models are in the model store.
  const fromCreate = new Set([...created, ...customs.map((c) => c.manifest.path)]);
  const sourceOf = (storePath: string) =>
    path.join(fromCreate.has(storePath) ? scratch : build.store.models, storePath);
  const contexts = await materialiseContexts(layers, sourceOf, MODELS_DIR, build.workDir);
  const runtime = await writeRuntimeContext(build);
  const recipe = recipeFor(build, layers);
  build.log(`recipe:\n${recipe}`);
  const recipeFile = path.join(build.workDir, "Dockerfile");
  await writeFile(recipeFile, recipe);
  const metadataFile = path.join(build.workDir, "metadata.json");
  const { plan } = build.planned;
  const argv = buildxArgv({
    recipeFile,
    context: runtime.dir,
    namedContexts: [...contexts, [runtime.name, runtime.dir]],
    tags: references(plan),
    output: build.target.push ? "push" : "load",
    metadataFile,
    ...(build.layerCache
      ? {
          cacheFrom: `type=registry,ref=${plan.image}:buildcache`,
          cacheTo: `type=registry,ref=${plan.image}:buildcache,mode=max`,
        }
      : {}),
  });
  build.log(`docker ${argv.join(" ")}`);
  const result = await run("docker", argv);
  if (result.exitCode !== 0) {
    throw new BuildError(
      `docker buildx build failed (exit ${result.exitCode}):\n${result.stderr.trim().split("\n").slice(-30).join("\n")}`,
    );
  }
  const metadata = JSON.parse(await readFile(metadataFile, "utf8")) as Record<string, string>;
  milliseconds.build = Date.now() - phase;
  const digest = metadata["containerimage.digest"];
  const pushedAgainstBase =
    build.target.registry === undefined ? undefined : await againstBase(build.target.registry, build.planned);
  return {
    plan,
    ...(digest === undefined ? {} : { digest }),
    output: build.target.push ? "push" : "load",
    ...(pushedAgainstBase === undefined ? {} : { pushedAgainstBase }),
    recipe,
    references: references(plan),
    layers: describeLayers(layers),
    milliseconds,
  };
}

/** Compares the pushed image with the base commit's, when the registry has that one. */
async function againstBase(client: RegistryClient, planned: PlannedImage): Promise<BuildReport["pushedAgainstBase"]> {
  const { plan } = planned;
  const repository = parseImageRepository(plan.image).path;
  const contentTag = contentTagOf(planned);
  const baseTag = plan.baseImageTag === undefined ? undefined : splitImageReference(plan.baseImageTag).tag;
  if (baseTag === undefined || baseTag === contentTag) return undefined;
  if ((await client.headManifest(repository, baseTag)) === undefined) return undefined;
  const transfer = pushBytes(
    await pushedImage(client, repository, baseTag),
    await pushedImage(client, repository, contentTag),
  );
  return { image: plan.baseImageTag as string, bytes: transfer.bytes, blobs: transfer.newBlobs.length };
}

function describeLayers(layers: readonly ImageLayer[]): BuiltLayer[] {
  return layers.map((l) => ({ name: l.name, kind: l.kind, files: l.files.length, bytes: l.bytes }));
}

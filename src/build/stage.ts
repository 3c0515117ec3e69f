/**
 * `build`: plan → (the content-addressed tag already exists: only add the other tags) → fetch the locked
 * base models → `ollama create` the custom ones → one build context per model → `docker buildx build` →
 * push (or load into the local engine when no registry is given).
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { CACHE_KEY_PREFIX, type DirectoryCache, modelCacheKey } from "../fetch/cache.js";
import { fetchModels } from "../fetch/fetch.js";
import { blobFileName, manifestRelativePath, type StoreLayout } from "../fetch/store.js";
import type { Runner } from "../io/exec.js";
import { blobsOf, type Lock } from "../lock/lockfile.js";
import { type OllamaRegistryAccess, ollamaRegistryClients, requireLock } from "../lock/stage.js";
import type { Plan } from "../plan/plan.js";
import { type PlanOptions, runPlan } from "../plan/stage.js";
import { CONTENT_TAG_PREFIX } from "../plan/tags.js";
import { libraryRefs } from "../project/load.js";
import type { Workspace } from "../project/workspace.js";
import { type Credentials, RegistryClient } from "../registry/client.js";
import { parseImageRepository, splitImageReference } from "../registry/image-ref.js";
import { pushBytes, pushedImage } from "../registry/pushed.js";
import { buildxArgv } from "./buildx.js";
import { materialiseContexts, normaliseTree } from "./contexts.js";
import { customManifestPath, modelFilesFromStore, newBlobs, prepareScratch, runCreate } from "./create.js";
import { assignLayers, type ImageLayer, type ModelFiles } from "./layers.js";
import { ENTRYPOINT_PATH, MODELS_DIR, renderRecipe, runtimeContextName } from "./recipe.js";
import { ENTRYPOINT_SOURCE, runtimeSettings } from "./runtime.js";

export interface BuildOptions extends PlanOptions {
  /** Push to the image's registry; otherwise load into the local engine. */
  push: boolean;
  store: StoreLayout;
  /** Scratch space for contexts and the recipe. */
  workDir: string;
  ollamaRegistry: OllamaRegistryAccess;
  imageRegistryCredentials?: Credentials;
  /** BuildKit's registry layer cache, at `<image>:buildcache`. */
  layerCache?: boolean;
  /** Restores the model store before fetching and saves it after (GitHub's cache in the action). */
  modelCache?: DirectoryCache;
  /** The source repository's URL, for the image's OCI source label. */
  repositoryUrl?: string;
  /** Print the recipe and stop: nothing is fetched, created or built. */
  dryRun?: boolean;
  log: (line: string) => void;
}

export interface BuiltLayer {
  name: string;
  kind: "base" | "custom";
  files: number;
  bytes: number;
}

export interface BuildReport {
  plan: Plan;
  /** Why nothing was built, when nothing was. */
  skipped?: string;
  /** The pushed (or loaded) image's digest. */
  digest?: string;
  /**
   * Where the image went: pushed to its registry, or loaded into the local engine. What was asked decides it,
   * not the metadata (BuildKit writes a digest for a load too).
   */
  output?: "push" | "load";
  /**
   * What the push had to upload where the base commit's image already was: the blobs and manifests that
   * image did not have (the registry skips the rest). Only when both were pushed to the same repository.
   */
  pushedAgainstBase?: { image: string; bytes: number; blobs: number };
  /** Full references the image now has. */
  references: string[];
  recipe?: string;
  layers: BuiltLayer[];
  /** What fetching the base models took: blobs already in the store, and bytes downloaded. */
  fetched?: { blobs: number; present: number; bytesDownloaded: number };
  /** The model cache key, and what was restored: the key itself, another (partial), or nothing. */
  cache?: { key: string; restored?: string };
  milliseconds: { fetch: number; create: number; build: number; total: number };
}

export class BuildError extends Error {}

const references = (plan: Plan) => plan.tags.map((tag) => `${plan.image}:${tag}`);

/** Base model files as the lock describes them (sizes known before anything is fetched). */
function baseModelFiles(lock: Lock, refs: readonly string[]): ModelFiles[] {
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

function imageLabels(plan: Plan, workspace: Workspace, options: BuildOptions): Record<string, string> {
  const labels: Record<string, string> = {
    "org.opencontainers.image.title": path.basename(plan.image),
    "org.opencontainers.image.base.name": workspace.config["ollama-image"],
    "dev.ollama-build.image-hash": plan.imageHash,
  };
  if (options.source.sha !== undefined) labels["org.opencontainers.image.revision"] = options.source.sha;
  if (options.repositoryUrl !== undefined) labels["org.opencontainers.image.source"] = options.repositoryUrl;
  for (const model of plan.models) labels[`dev.ollama-build.model.${model.name}`] = model.hash;
  return labels;
}

/** Copies the content-addressed image to every other tag through the registry API: no rebuild. */
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

async function imageExistsLocally(run: Runner, reference: string): Promise<boolean> {
  return (await run("docker", ["image", "inspect", "--format", "{{.Id}}", reference])).exitCode === 0;
}

export async function runBuild(run: Runner, workspace: Workspace, options: BuildOptions): Promise<BuildReport> {
  const started = Date.now();
  const milliseconds = { fetch: 0, create: 0, build: 0, total: 0 };
  const planned = await runPlan(run, workspace, options);
  for (const warning of planned.warnings) options.log(`warning: ${warning}`);
  if (planned.plan === undefined) {
    throw new BuildError(`the Modelfiles have ${planned.lint.counts.error} error(s): run \`ollama-build lint\``);
  }
  const plan = planned.plan;
  const contentTag = plan.tags.find((t) => t.startsWith(CONTENT_TAG_PREFIX)) as string;
  const repository = parseImageRepository(plan.image);
  const imageRegistry = options.push
    ? new RegistryClient({
        baseUrl: repository.baseUrl,
        ...(options.imageRegistryCredentials === undefined ? {} : { credentials: options.imageRegistryCredentials }),
        log: options.log,
      })
    : undefined;

  if (!options.dryRun) {
    const existing =
      imageRegistry === undefined
        ? (await imageExistsLocally(run, plan.imageTag)) || undefined
        : await imageRegistry.headManifest(repository.path, contentTag);
    if (existing !== undefined) {
      if (imageRegistry !== undefined) await addTags(imageRegistry, repository.path, contentTag, plan.tags);
      else for (const reference of references(plan)) await run("docker", ["tag", plan.imageTag, reference]);
      milliseconds.total = Date.now() - started;
      options.log(`${plan.imageTag} exists: nothing to build; tagged ${plan.tags.join(", ")}`);
      return {
        plan,
        skipped: `${plan.imageTag} already exists`,
        ...(typeof existing === "string" ? { digest: existing } : {}),
        references: references(plan),
        layers: [],
        milliseconds,
      };
    }
  }

  const refs = libraryRefs(planned.lint.project);
  const lock = await requireLock(workspace, refs);
  const bases = baseModelFiles(lock, refs);
  const customOrder = plan.models.map((m) => m.name);
  const runtime = runtimeSettings(workspace.config, customOrder);
  const recipeFor = (layers: readonly ImageLayer[]) =>
    renderRecipe({
      ollamaImage: workspace.config["ollama-image"],
      layers,
      runtime,
      runtimeContext,
      labels: imageLabels(plan, workspace, options),
    });
  const runtimeContext = runtimeContextName(
    createHash("sha256")
      .update(await readFile(ENTRYPOINT_SOURCE))
      .digest("hex"),
  );

  if (options.dryRun) {
    const placeholders: ModelFiles[] = customOrder.map((name) => ({
      name,
      kind: "custom",
      manifest: { path: customManifestPath(name), size: 0 },
      blobs: [],
    }));
    const layers = assignLayers([...bases, ...placeholders], customOrder);
    const recipe = recipeFor(layers);
    return { plan, recipe, references: references(plan), layers: describeLayers(layers), milliseconds };
  }

  let phase = Date.now();
  const cacheKey = modelCacheKey(lock, refs);
  const restored = await options.modelCache?.restore([options.store.models], cacheKey, [CACHE_KEY_PREFIX]);
  const fetchReport = await fetchModels({
    store: options.store,
    lock,
    refs,
    clientFor: ollamaRegistryClients(options.ollamaRegistry),
    log: options.log,
  });
  if (options.modelCache !== undefined && restored !== cacheKey)
    await options.modelCache.save([options.store.models], cacheKey);
  milliseconds.fetch = Date.now() - phase;

  phase = Date.now();
  const scratch = path.join(options.workDir, "create-store");
  await prepareScratch(scratch, options.store.models, bases);
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  await runCreate(run, {
    ollamaImage: workspace.config["ollama-image"],
    scratch,
    projectRoot: workspace.root,
    jobs: plan.models.map((m) => ({ name: m.name, file: m.file })),
    user: `${uid}:${gid}`,
  });
  const created = await newBlobs(scratch, bases);
  const customs: ModelFiles[] = [];
  for (const name of customOrder) {
    const files = await modelFilesFromStore(scratch, customManifestPath(name), name, "custom");
    customs.push(files);
  }
  milliseconds.create = Date.now() - phase;

  phase = Date.now();
  const layers = assignLayers([...bases, ...customs], customOrder);
  // What `create` wrote is in the scratch store; the base models are in the model store.
  const fromCreate = new Set([...created, ...customs.map((c) => c.manifest.path)]);
  const sourceOf = (storePath: string) =>
    path.join(fromCreate.has(storePath) ? scratch : options.store.models, storePath);
  const contexts = await materialiseContexts(layers, sourceOf, MODELS_DIR, options.workDir);
  const runtimeDir = path.join(options.workDir, runtimeContext);
  const entrypoint = ENTRYPOINT_PATH.slice(1);
  await mkdir(path.dirname(path.join(runtimeDir, entrypoint)), { recursive: true });
  await copyFile(ENTRYPOINT_SOURCE, path.join(runtimeDir, entrypoint));
  await normaliseTree(runtimeDir, new Set([entrypoint]));

  const recipe = recipeFor(layers);
  options.log(`recipe:\n${recipe}`);
  const recipeFile = path.join(options.workDir, "Dockerfile");
  await writeFile(recipeFile, recipe);
  const metadataFile = path.join(options.workDir, "metadata.json");
  const argv = buildxArgv({
    recipeFile,
    context: runtimeDir,
    namedContexts: [...contexts, [runtimeContext, runtimeDir]],
    tags: references(plan),
    output: options.push ? "push" : "load",
    metadataFile,
    ...(options.layerCache
      ? {
          cacheFrom: `type=registry,ref=${plan.image}:buildcache`,
          cacheTo: `type=registry,ref=${plan.image}:buildcache,mode=max`,
        }
      : {}),
  });
  options.log(`docker ${argv.join(" ")}`);
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
    imageRegistry === undefined ? undefined : await againstBase(imageRegistry, repository.path, plan, contentTag);
  milliseconds.total = Date.now() - started;
  return {
    plan,
    ...(digest === undefined ? {} : { digest }),
    output: options.push ? "push" : "load",
    ...(pushedAgainstBase === undefined ? {} : { pushedAgainstBase }),
    fetched: {
      blobs: fetchReport.blobs.length,
      present: fetchReport.blobs.filter((b) => b.status === "present").length,
      bytesDownloaded: fetchReport.bytesDownloaded,
    },
    ...(options.modelCache === undefined
      ? {}
      : { cache: { key: cacheKey, ...(restored === undefined ? {} : { restored }) } }),
    recipe,
    references: references(plan),
    layers: describeLayers(layers),
    milliseconds,
  };
}

/** Compares the pushed image with the base commit's, when the registry has that one. */
async function againstBase(
  client: RegistryClient,
  repository: string,
  plan: Plan,
  contentTag: string,
): Promise<BuildReport["pushedAgainstBase"]> {
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

/**
 * The stages in the order data flows, for both front ends: the project is read and linted once, planned once,
 * and every later stage starts from those results. Each method is one command of the action and the CLI.
 */
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { BuildReport } from "../build/report.js";
import { type BuildTarget, baseModelFiles, buildImage, dryRunReport, tagExistingImage } from "../build/stage.js";
import { comparePaired, DEFAULT_PAIRED_SETTINGS } from "../compare/paired.js";
import { CACHE_KEY_PREFIX, modelCacheKey } from "../fetch/cache.js";
import { type FetchReport, fetchModels } from "../fetch/fetch.js";
import { storeLayout } from "../fetch/store.js";
import { defaultImageFor, type RunContext } from "../github/context.js";
import type { Severity } from "../lint/rules.js";
import { type LintResult, runLint, withLock } from "../lint/stage.js";
import { type OllamaRegistryAccess, ollamaRegistryClients } from "../lock/model-registries.js";
import { type LockResult, requireLock, runLock } from "../lock/stage.js";
import type { Plan } from "../plan/plan.js";
import { type PlannedImage, runPlan } from "../plan/stage.js";
import { libraryRefs } from "../project/load.js";
import { LOCK_FILE, type Lock } from "../project/lockfile.js";
import type { Workspace } from "../project/workspace.js";
import { type ReleaseResult, runRelease } from "../publish/release.js";
import { RegistryClient } from "../registry/client.js";
import { parseImageRepository, splitImageReference } from "../registry/image-ref.js";
import { type PairedSmoke, runPairedSmokeStage } from "../smoke/paired.js";
import { runSmokeStage, type SmokeStageOptions, type SmokeTarget } from "../smoke/stage.js";
import type { SmokeReport } from "../smoke/types.js";
import type { PipelineOptions } from "./options.js";

export class PipelineError extends Error {}

export interface FetchOutcome {
  report: FetchReport;
  /** The model cache key, and what was restored: the key itself, another (partial), or nothing. */
  cache?: { key: string; restored?: string };
}

/** Why lint fails the run, if it does. */
/** Why a smoke fails a run, one line; undefined when it passed (or did not run). */
export function smokeFailure(smoke: SmokeReport | undefined): string | undefined {
  return smoke === undefined || smoke.passed ? undefined : `smoke failed: ${smoke.failures.join("; ")}`;
}

export function lintFailure(counts: Record<Severity, number>, failOnWarnings: boolean): string | undefined {
  if (counts.error > 0) return `${counts.error} error(s) in the Modelfiles (see the annotations)`;
  if (failOnWarnings && counts.warning > 0)
    return `${counts.warning} warning(s) in the Modelfiles and fail-on-warnings is set`;
  return undefined;
}

export class Pipeline {
  private workspaceOnce?: Promise<Workspace>;
  private contextOnce?: Promise<RunContext>;
  private checked?: Promise<LintResult>;
  private planned?: Promise<PlannedImage>;

  constructor(readonly options: PipelineOptions) {}

  workspace(): Promise<Workspace> {
    this.workspaceOnce ??= this.options.openWorkspace();
    return this.workspaceOnce;
  }

  async runContext(): Promise<RunContext> {
    const workspace = await this.workspace();
    this.contextOnce ??= this.options.runContext(workspace);
    return this.contextOnce;
  }

  /** The project, read and linted once per run. */
  lint(): Promise<LintResult> {
    this.checked ??= this.workspace().then((workspace) => runLint(workspace));
    return this.checked;
  }

  /** Lints other files than the configured folder (`lint PATH...`): read for this call only. */
  async lintPaths(paths: readonly string[]): Promise<LintResult> {
    return runLint(await this.workspace(), paths);
  }

  /** The plan of a project without lint errors; the same object for every stage of the run. */
  plan(): Promise<PlannedImage> {
    this.planned ??= this.makePlan();
    return this.planned;
  }

  private async makePlan(): Promise<PlannedImage> {
    const [workspace, context, checked] = [await this.workspace(), await this.runContext(), await this.lint()];
    if (checked.counts.error > 0) {
      throw new PipelineError(`the Modelfiles have ${checked.counts.error} error(s): run \`ollama-build lint\``);
    }
    const baseRef = this.options.baseRef ?? context.baseRef;
    const planned = await runPlan(this.options.run, workspace, checked, {
      ...(baseRef === undefined ? {} : { baseRef }),
      source: context.source,
      defaultImage: defaultImageFor(context.repository, path.basename(workspace.root)),
    });
    for (const warning of planned.warnings) this.options.warn(warning);
    return planned;
  }

  /** The model registry of the configuration (a mirror, or Ollama's), with the credentials given for it. */
  async modelRegistry(): Promise<OllamaRegistryAccess> {
    const workspace = await this.workspace();
    const credentials = this.options.modelRegistryCredentials;
    return {
      defaultRegistryUrl: workspace.config["ollama-registry"],
      ...(credentials === undefined ? {} : { credentials }),
      log: this.options.log,
    };
  }

  /** Pins base models (`update`: re-resolves them) and continues the run with the lock it wrote. */
  async lock(update?: readonly string[] | true, options: { keepUnchanged?: boolean } = {}): Promise<LockResult> {
    const workspace = await this.workspace();
    const checked = await this.lint();
    const access = await this.modelRegistry();
    const result = await runLock(workspace, checked, access, {
      ...options,
      ...(update === undefined ? {} : { update }),
    });
    this.checked = Promise.resolve(withLock(workspace.config, checked, result.lock));
    this.planned = undefined;
    return result;
  }

  private async lockedRefs(): Promise<{ lock: Lock; refs: string[] }> {
    const [workspace, checked] = [await this.workspace(), await this.lint()];
    const refs = libraryRefs(checked.project);
    return { lock: requireLock(checked.lock, refs, path.join(workspace.root, LOCK_FILE)), refs };
  }

  /** Brings the locked base models into the store, through the model cache when there is one. */
  async fetch(): Promise<FetchOutcome> {
    const { lock, refs } = await this.lockedRefs();
    const { modelCache, log } = this.options;
    const store = storeLayout(this.options.store);
    const key = modelCacheKey(lock, refs);
    const restored = await modelCache?.restore([store.models], key, [CACHE_KEY_PREFIX]);
    const clientFor = ollamaRegistryClients(await this.modelRegistry());
    const report = await fetchModels({ store, lock, refs, clientFor, log });
    if (modelCache === undefined) return { report };
    if (restored !== key) await modelCache.save([store.models], key);
    return { report, cache: { key, ...(restored === undefined ? {} : { restored }) } };
  }

  /** Where the image goes, logged in to its registry when it is pushed. */
  private async buildTarget(image: string): Promise<BuildTarget> {
    const repository = parseImageRepository(image);
    const push = this.options.push === "auto" ? repository.explicitHost : this.options.push;
    if (!push) return { push };
    const credentials = await this.options.imageRegistryLogin(image);
    const registry = new RegistryClient({
      baseUrl: repository.baseUrl,
      ...(credentials === undefined ? {} : { credentials }),
      log: this.options.log,
    });
    return { push, registry };
  }

  /** Builds this commit's image, unless it exists (then it only gets its tags); `dryRun`: the recipe only. */
  async build(options: { dryRun?: boolean } = {}): Promise<BuildReport> {
    const started = Date.now();
    const planned = await this.plan();
    const [workspace, context] = [await this.workspace(), await this.runContext()];
    const recipe = {
      planned,
      ...(context.source.sha === undefined ? {} : { revision: context.source.sha }),
      ...(this.options.repositoryUrl === undefined ? {} : { repositoryUrl: this.options.repositoryUrl }),
    };
    if (options.dryRun) {
      const { lock, refs } = await this.lockedRefs();
      return dryRunReport(recipe, baseModelFiles(lock, refs));
    }
    const target = await this.buildTarget(planned.plan.image);
    const existing = await tagExistingImage(this.options.run, planned, target, this.options.log);
    if (existing !== undefined) {
      return { ...existing, milliseconds: { ...existing.milliseconds, total: Date.now() - started } };
    }
    const { lock, refs } = await this.lockedRefs();
    const bases = baseModelFiles(lock, refs);
    const fetched = await this.fetch();
    const fetchMs = Date.now() - started;
    const workDir = this.options.workDir ?? (await mkdtemp(path.join(this.options.tempDir, "ollama-build-")));
    try {
      const report = await buildImage(this.options.run, {
        ...recipe,
        projectRoot: workspace.root,
        store: storeLayout(this.options.store),
        bases,
        target,
        workDir,
        layerCache: this.options.layerCache,
        log: this.options.log,
      });
      const { blobs, bytesDownloaded } = fetched.report;
      return {
        ...report,
        fetched: {
          blobs: blobs.length,
          present: blobs.filter((b) => b.status === "present").length,
          bytesDownloaded,
        },
        ...(fetched.cache === undefined ? {} : { cache: fetched.cache }),
        milliseconds: { ...report.milliseconds, fetch: fetchMs, total: Date.now() - started },
      };
    } finally {
      if (this.options.workDir === undefined) await rm(workDir, { recursive: true, force: true });
    }
  }

  /** The image this commit's build produced, as the plan names it. */
  async smokeTarget(): Promise<SmokeTarget> {
    return { image: (await this.plan()).plan.imageTag };
  }

  /** What the smoke stage runs with: the given settings, the project's where none are given. */
  async smokeOptions(target: SmokeTarget): Promise<SmokeStageOptions> {
    const settings = this.options.smoke;
    // A smoke of a given server or image with given case files does not need a project at all.
    const needsProject = settings.cases === undefined || settings.cases.some((c) => !path.isAbsolute(c));
    const workspace = needsProject ? await this.workspace() : await this.workspaceIfOpen();
    const root = workspace?.root ?? settings.displayRoot;
    const cases = (settings.cases ?? workspace?.config.smoke.cases ?? []).map((c) => path.resolve(root, c));
    return {
      target,
      cases,
      displayRoot: root,
      gpus: settings.gpus ?? workspace?.config.smoke.gpus ?? "auto",
      ...(settings.budgets === undefined ? {} : { budgets: settings.budgets }),
      ...(settings.repeat === undefined ? {} : { repeat: settings.repeat }),
      ...(settings.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: settings.readyTimeoutMs }),
      log: this.options.log,
    };
  }

  private workspaceIfOpen(): Promise<Workspace | undefined> {
    return this.workspaceOnce ?? Promise.resolve(undefined);
  }

  /** `docker run` pulls an image the engine does not have: with the registry's login. */
  private async readyToPull(image: string): Promise<void> {
    const known = await this.options.run("docker", ["image", "inspect", "--format", "{{.Id}}", image]);
    if (known.exitCode !== 0) await this.options.imageRegistryLogin(image);
  }

  /** Smokes `target`, by default this commit's image; with `baseImage`, beside it on this runner, compared. */
  async smoke(target?: SmokeTarget, baseImage?: string): Promise<SmokeReport> {
    const resolved = target ?? (await this.smokeTarget());
    if ("image" in resolved) await this.readyToPull(resolved.image);
    if (baseImage === undefined || !("image" in resolved)) {
      return runSmokeStage(this.options.run, await this.smokeOptions(resolved));
    }
    await this.readyToPull(baseImage);
    const mode = this.options.paired === "off" ? "auto" : this.options.paired;
    const paired = await runPairedSmokeStage(this.options.run, {
      ...(await this.smokeOptions(resolved)),
      target: resolved,
      baseImage,
      mode,
    });
    const arm = (side: PairedSmoke["base"]) => ({
      cases: side.report.cases,
      samples: side.samples,
      memory: side.resident,
    });
    const comparison = comparePaired(
      arm(paired.base),
      arm(paired.head),
      { baseImage, mode: paired.mode, modeReason: paired.reason },
      { ...DEFAULT_PAIRED_SETTINGS, minEffect: this.options.minEffect },
    );
    return { ...paired.head.report, paired: comparison };
  }

  /**
   * The base commit's image to smoke beside this commit's, or why the comparison is not paired: a pull request
   * (or a run given its base) whose base commit built an image that differs from this one and still exists.
   */
  async pairedBase(plan: Plan): Promise<{ image: string } | { notPaired: string }> {
    const context = await this.runContext();
    if (this.options.paired === "off") return { notPaired: "paired comparison is off" };
    if (plan.baseImageTag === undefined) return { notPaired: "no base commit to compare with" };
    if (plan.baseImageTag === plan.imageTag) return { notPaired: "the base commit's image is this image" };
    if (context.source.pullRequest === undefined && this.options.baseRef === undefined) {
      return { notPaired: "not a pull request" };
    }
    return (await this.imageExists(plan.baseImageTag))
      ? { image: plan.baseImageTag }
      : { notPaired: `the base commit's image ${plan.baseImageTag} was not found (never built?)` };
  }

  /** Whether an image exists where this run would push it: its registry when it pushes, else the local engine. */
  async imageExists(imageTag: string): Promise<boolean> {
    const { repository, tag } = splitImageReference(imageTag);
    const target = await this.buildTarget(repository);
    if (target.registry === undefined) {
      return (await this.options.run("docker", ["image", "inspect", "--format", "{{.Id}}", imageTag])).exitCode === 0;
    }
    return (await target.registry.headManifest(parseImageRepository(repository).path, tag)) !== undefined;
  }

  /** Gives this commit's (already built) image the version's tags. */
  async release(version: string): Promise<ReleaseResult> {
    const { plan } = await this.plan();
    const repository = parseImageRepository(plan.image);
    const credentials = await this.options.imageRegistryLogin(plan.image);
    const client = new RegistryClient({
      baseUrl: repository.baseUrl,
      ...(credentials === undefined ? {} : { credentials }),
      log: this.options.log,
    });
    return runRelease(plan, client, version);
  }
}

/**
 * What a front end gives the pipeline. The action fills it from its inputs and the workflow's environment, the
 * CLI from its flags and the developer's environment; where they differ on purpose, it is one named option
 * (docs/architecture.md, "Where the front ends differ").
 */
import type { RunContext } from "../github/context.js";
import type { DirectoryCache } from "../io/directory-cache.js";
import type { Runner } from "../io/exec.js";
import type { Workspace } from "../project/workspace.js";
import type { Credentials } from "../registry/client.js";
import type { ImageRegistryLogin } from "../registry/credentials.js";
import type { ReportStore, SavedReport } from "../report/saved-reports.js";
import type { GpuMode } from "../smoke/container.js";
import type { PairedMode } from "../smoke/paired.js";
import type { BudgetOverrides } from "../smoke/types.js";

export interface SmokeSettings {
  /** Case files or folders, relative to the project root unless absolute; default: the project's `smoke.cases`. */
  cases?: string[];
  /** Default: the project's `smoke.gpus`, else `auto`. */
  gpus?: GpuMode;
  budgets?: BudgetOverrides;
  repeat?: number;
  readyTimeoutMs?: number;
  /** Paths in messages and the report are relative to the project root, else to this directory. */
  displayRoot: string;
}

export interface PipelineOptions {
  run: Runner;
  /** Opened when a stage first needs the project (a smoke of a given endpoint with given cases needs none). */
  openWorkspace: () => Promise<Workspace>;
  /** What is being built (commit, branch or pull request) and its base; read once the project is open. */
  runContext: (workspace: Workspace) => Promise<RunContext>;
  /** Overrides the run context's base (the `base-ref` input, `--base-ref`). */
  baseRef?: string;
  log: (line: string) => void;
  warn: (line: string) => void;
  /** Wraps one stage of `all` (the action folds it into a log group and logs its time). */
  stage: <T>(name: string, work: () => Promise<T>) => Promise<T>;
  /** Where base models are kept between runs. */
  store: string;
  /** Scratch directories are made (and removed) under it. */
  tempDir: string;
  /** The build's scratch space when the caller keeps it afterwards (a benchmark reads the contexts back). */
  workDir?: string;
  /** For the configured model registry (`ollama-registry`) only: never sent to another host. */
  modelRegistryCredentials?: Credentials;
  imageRegistryLogin: ImageRegistryLogin;
  /** `auto`: push when the image names a registry, else load into the local engine. */
  push: "auto" | boolean;
  layerCache: boolean;
  /** Restores the model store before fetching and saves it after (GitHub's cache in the action). */
  modelCache?: DirectoryCache;
  /** The source repository's web address, for the image's OCI source label. */
  repositoryUrl?: string;
  /**
   * Pin the base models ollama.lock lacks before `all` builds. The CLI does (a developer's first run); the
   * action does not, so that the lock a workflow builds from is always a file someone reviewed.
   */
  pinMissingBaseModels: boolean;
  /** Warnings fail the lint stage too. */
  failOnWarnings: boolean;
  smoke: SmokeSettings;
  /**
   * Smoke the base commit's image beside this one on this runner (when it exists and differs): `auto` boots both
   * when memory allows, else takes turns in blocks; `off` compares with a saved report only.
   */
  paired: "auto" | PairedMode | "off";
  /** The smallest relative shift a paired comparison marks (0.05: 5 % of the base's median). */
  minEffect: number;
  /** Saved reports: the baseline to compare with, and earlier smokes of the same image to reuse. */
  reports?: ReportStore;
  /** A baseline given outright (the CLI's `--baseline FILE`, or why there is none): the store is not asked. */
  givenBaseline?: SavedReport;
  /** Keeps several workflows' comments and saved reports apart. */
  commentId?: string;
}

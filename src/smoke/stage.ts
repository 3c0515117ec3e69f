/** The smoke stage: run the case files against a running server, or boot an image and run them against it. */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Runner } from "../io/exec.js";
import { splitImageReference } from "../registry/image-ref.js";
import { VERSION } from "../version.js";
import { DEFAULT_BUDGETS } from "./budgets.js";
import { loadCaseSuite } from "./cases.js";
import { type ClientTimeouts, DEFAULT_TIMEOUTS, type OllamaClient, ollamaClient } from "./client.js";
import {
  type BootedServer,
  bootImage,
  ContainerError,
  detectGpus,
  type GpuInfo,
  type GpuMode,
  gpuMemoryUsedMib,
} from "./container.js";
import { attachLoadReport, runLoadProfile } from "./load.js";
import type { LoadReport } from "./load-report.js";
import type { SmokeOptions } from "./run.js";
import { runCases } from "./session.js";
import type { BudgetOverrides, CaseSuite, SmokeEnvironment, SmokeReport } from "./types.js";

export type SmokeTarget = { endpoint: string } | { image: string };

export interface SmokeStageOptions {
  target: SmokeTarget;
  /** Case files, or folders whose *.yaml / *.yml files are read (absolute paths). */
  cases: string[];
  /** How paths are shown in messages and the report (relative to it). */
  displayRoot: string;
  repeat?: number;
  gpus: GpuMode;
  budgets?: BudgetOverrides;
  readyTimeoutMs?: number;
  timeouts?: ClientTimeouts;
  log: (line: string) => void;
}

export const DEFAULT_READY_TIMEOUT_MS = 300_000;

/** The case files in the order given; a folder contributes its YAML files sorted by name. */
export async function caseFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => {
      throw new Error(`${given}: no such case file or folder`);
    });
    if (!info.isDirectory()) {
      files.push(given);
      continue;
    }
    const names = (await readdir(given)).filter((name) => /\.ya?ml$/.test(name)).sort();
    if (names.length === 0) throw new Error(`${given}: no case files (*.yaml, *.yml) in this folder`);
    files.push(...names.map((name) => path.join(given, name)));
  }
  return files;
}

export async function loadCases(paths: readonly string[], displayRoot: string): Promise<CaseSuite> {
  const files = await caseFiles(paths);
  return loadCaseSuite(
    await Promise.all(
      files.map(async (file) => ({
        file: path.relative(displayRoot, file).split(path.sep).join("/"),
        text: await readFile(file, "utf8"),
      })),
    ),
  );
}

/**
 * What a smoke's result depends on besides the image: the case files' bytes (in order) and the settings that
 * change what runs or how it is judged. Twelve hex digits of sha256.
 */
export async function smokeSettingsDigest(options: SmokeStageOptions): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await caseFiles(options.cases)) {
    const relative = path.relative(options.displayRoot, file).split(path.sep).join("/");
    hash.update(
      `${relative}\0${createHash("sha256")
        .update(await readFile(file))
        .digest("hex")}\n`,
    );
  }
  // A new version of ollama-build may measure or judge differently: its reports are not reused.
  hash.update(
    JSON.stringify({ version: VERSION, repeat: options.repeat, gpus: options.gpus, budgets: options.budgets }),
  );
  return hash.digest("hex").slice(0, 12);
}

async function gpusFor(run: Runner, mode: GpuMode): Promise<GpuInfo | undefined> {
  if (mode === "none") return undefined;
  const detected = await detectGpus(run);
  if (mode === "all" && detected === undefined) {
    throw new Error("gpus: all was asked for, but nvidia-smi finds no GPU on this host");
  }
  return detected;
}

function runnerEnvironment(): SmokeEnvironment["runner"] {
  return {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpus: os.availableParallelism(),
    memory_mib: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
  };
}

/**
 * The image's registry digest when the engine knows it (pulled or pushed: RepoDigests), and its local ID.
 * The ID is not the digest a registry serves, so the two are kept apart.
 */
async function imageIdentity(run: Runner, image: string): Promise<{ image_digest?: string; image_id?: string }> {
  const result = await run("docker", ["image", "inspect", "--format", "{{json .RepoDigests}} {{.Id}}", image]);
  if (result.exitCode !== 0) return {};
  const text = Buffer.from(result.stdout).toString("utf8").trim();
  const [digests, id] = [text.slice(0, text.lastIndexOf(" ")), text.slice(text.lastIndexOf(" ") + 1)];
  const { repository } = splitImageReference(image);
  const digest = (JSON.parse(digests) as string[] | null)
    ?.find((reference) => reference.startsWith(`${repository}@`))
    ?.slice(repository.length + 1);
  return { ...(digest === undefined ? {} : { image_digest: digest }), ...(id ? { image_id: id } : {}) };
}

/** What every smoke starts from: the checked case files, the host's GPUs, and the environment's fixed part. */
export interface SmokeSetup {
  suite: CaseSuite;
  gpus: GpuInfo | undefined;
  environment: Omit<SmokeEnvironment, "ollama_version" | "endpoint">;
  readyTimeoutMs: number;
  timeouts: ClientTimeouts;
}

export async function setUpSmoke(run: Runner, options: SmokeStageOptions): Promise<SmokeSetup> {
  // Case files are checked before anything boots: a typo should cost a second, not a container start.
  const suite = await loadCases(options.cases, options.displayRoot);
  const caseModels = new Set(suite.cases.map((c) => c.model));
  for (const model of Object.keys(options.budgets?.models ?? {})) {
    if (!caseModels.has(model)) {
      throw new Error(`budgets for ${model}: no case runs that model (cases run ${[...caseModels].join(", ")})`);
    }
  }
  // The GPUs are this host's: they matter when it boots the image, not for a server elsewhere.
  const gpus = "image" in options.target ? await gpusFor(run, options.gpus) : undefined;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  return {
    suite,
    gpus,
    environment: {
      gpu: gpus !== undefined,
      ...(gpus === undefined ? {} : { gpu_names: gpus.names }),
      runner: runnerEnvironment(),
      started_at: new Date().toISOString(),
    },
    readyTimeoutMs,
    // A cold load of a large model from a slow disk may take as long as the server's start; a server given by
    // its endpoint has the ready timeout to answer /api/version, as a booted one has.
    timeouts: options.timeouts ?? {
      ...DEFAULT_TIMEOUTS,
      loadMs: Math.max(DEFAULT_TIMEOUTS.loadMs, readyTimeoutMs),
      apiMs: options.readyTimeoutMs ?? DEFAULT_TIMEOUTS.apiMs,
    },
  };
}

/** The options of the case runs themselves. */
export function sessionOptions(
  run: Runner,
  options: SmokeStageOptions,
  setup: SmokeSetup,
  environment: SmokeSetup["environment"],
): SmokeOptions {
  return {
    environment,
    defaultBudgets: DEFAULT_BUDGETS,
    ...(options.budgets === undefined ? {} : { budgets: options.budgets }),
    ...(options.repeat === undefined ? {} : { repeat: options.repeat }),
    ...(setup.gpus === undefined ? {} : { gpuMemory: () => gpuMemoryUsedMib(run) }),
    log: options.log,
  };
}

/** The image's configured OLLAMA_NUM_PARALLEL (its `ENV`), which the load profile runs as many conversations as. */
export async function imageNumParallel(run: Runner, image: string): Promise<number | undefined> {
  const result = await run("docker", ["image", "inspect", "--format", "{{json .Config.Env}}", image]);
  if (result.exitCode !== 0) return undefined;
  const env = JSON.parse(Buffer.from(result.stdout).toString("utf8").trim() || "null") as string[] | null;
  const value = env?.findLast((entry) => entry.startsWith("OLLAMA_NUM_PARALLEL="))?.split("=")[1];
  const parallel = Number(value);
  return Number.isInteger(parallel) && parallel > 0 ? parallel : undefined;
}

/**
 * The case files' load profile, after the cases, on the same server (load.ts); undefined when the case files have
 * no `load:` section. attachLoadReport puts it into the smoke's report, where a failed load fails the smoke.
 */
export async function smokeUnderLoad(
  run: Runner,
  client: OllamaClient,
  setup: SmokeSetup,
  image: string | undefined,
  log: (line: string) => void,
): Promise<LoadReport | undefined> {
  if (setup.suite.load === undefined) return undefined;
  const concurrency = image === undefined ? undefined : await imageNumParallel(run, image);
  return runLoadProfile(client, setup.suite, {
    ...(concurrency === undefined ? {} : { concurrency }),
    log,
  });
}

/** A booted image and what the report says about it (image, identity, how long the server took). */
export interface SmokeServer {
  server: BootedServer;
  environment: Pick<SmokeEnvironment, "image" | "server_ready_ms" | "image_digest" | "image_id">;
}

export async function bootForSmoke(
  run: Runner,
  image: string,
  name: string,
  setup: SmokeSetup,
  log: (line: string) => void,
): Promise<SmokeServer> {
  const { gpus } = setup;
  log(`booting ${image}${gpus === undefined ? " (CPU)" : ` with ${gpus.names.join(", ")}`}`);
  const server = await bootImage(
    run,
    // The smoke loads each model itself so that it can time every cold load.
    { image, name, gpus: gpus !== undefined, env: [["OLLAMA_BUILD_WARMUP", ""]] },
    { readyTimeoutMs: setup.readyTimeoutMs },
  );
  log(`server answered after ${server.serverReadyMs} ms at ${server.endpoint}`);
  return {
    server,
    environment: { image, server_ready_ms: server.serverReadyMs, ...(await imageIdentity(run, image)) },
  };
}

/** A container name of this run's own: `docker ps` filters and a cancelled job's clean-up find it. */
export const smokeContainerName = (suffix = "") => `ollama-build-smoke-${process.pid}-${Date.now()}${suffix}`;

export async function runSmokeStage(run: Runner, options: SmokeStageOptions): Promise<SmokeReport> {
  const setup = await setUpSmoke(run, options);
  const name = smokeContainerName();
  let booted: SmokeServer | undefined;
  // From before `docker run`: a cancelled job must not leave a container holding GPU memory, even mid-boot.
  const stopListening =
    "image" in options.target ? removeOnSignal(() => run("docker", ["rm", "--force", "--volumes", name])) : () => {};
  try {
    if ("image" in options.target) booted = await bootForSmoke(run, options.target.image, name, setup, options.log);
    const endpoint = booted?.server.endpoint ?? (options.target as { endpoint: string }).endpoint;
    const environment = { ...setup.environment, ...booted?.environment };
    const client = ollamaClient(endpoint, setup.timeouts);
    const report = await runCases(client, setup.suite, sessionOptions(run, options, setup, environment));
    const image = "image" in options.target ? options.target.image : undefined;
    attachLoadReport(report, await smokeUnderLoad(run, client, setup, image, options.log));
    if (!report.passed && booted !== undefined) report.logs = await booted.server.logs();
    return report;
  } catch (error) {
    if (booted === undefined) throw error;
    throw new ContainerError((error as Error).message, await booted.server.logs().catch(() => []));
  } finally {
    stopListening();
    await booted?.server.remove();
  }
}

/**
 * Ctrl-C, or a cancelled workflow job (SIGINT, then SIGTERM): the container goes, and its GPU memory with it.
 * Returns what stops listening.
 */
export function removeOnSignal(remove: () => Promise<unknown>): () => void {
  const removeAndExit = (signal: NodeJS.Signals) => {
    void remove().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", removeAndExit);
  process.once("SIGTERM", removeAndExit);
  return () => {
    process.removeListener("SIGINT", removeAndExit);
    process.removeListener("SIGTERM", removeAndExit);
  };
}

/** `smoke`: run the case files against a running server, or boot an image and run them against it. */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Runner } from "../exec.js";
import { DEFAULT_BUDGETS } from "../smoke/budgets.js";
import { loadCaseSuite } from "../smoke/cases.js";
import { type ClientTimeouts, DEFAULT_TIMEOUTS, ollamaClient } from "../smoke/client.js";
import {
  type BootedServer,
  bootImage,
  ContainerError,
  detectGpus,
  type GpuInfo,
  type GpuMode,
  gpuMemoryUsedMib,
} from "../smoke/container.js";
import { runSmoke } from "../smoke/run.js";
import type { BudgetOverrides, CaseSuite, SmokeEnvironment, SmokeReport } from "../smoke/types.js";

export type SmokeTarget = { endpoint: string } | { image: string };

export interface SmokeCommandOptions {
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
export async function smokeSettingsDigest(options: SmokeCommandOptions): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await caseFiles(options.cases)) {
    const relative = path.relative(options.displayRoot, file).split(path.sep).join("/");
    hash.update(
      `${relative}\0${createHash("sha256")
        .update(await readFile(file))
        .digest("hex")}\n`,
    );
  }
  hash.update(JSON.stringify({ repeat: options.repeat, gpus: options.gpus, budgets: options.budgets }));
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
  const repository = image.replace(/:[^/:]+$/, "");
  const digest = (JSON.parse(digests) as string[] | null)
    ?.find((reference) => reference.startsWith(`${repository}@`))
    ?.slice(repository.length + 1);
  return { ...(digest === undefined ? {} : { image_digest: digest }), ...(id ? { image_id: id } : {}) };
}

export async function runSmokeCommand(run: Runner, options: SmokeCommandOptions): Promise<SmokeReport> {
  // Case files are checked before anything boots: a typo should cost a second, not a container start.
  const suite = await loadCases(options.cases, options.displayRoot);
  const gpus = await gpusFor(run, options.gpus);
  const environment: Omit<SmokeEnvironment, "ollama_version" | "endpoint"> = {
    gpu: gpus !== undefined,
    ...(gpus === undefined ? {} : { gpu_names: gpus.names }),
    runner: runnerEnvironment(),
    started_at: new Date().toISOString(),
  };
  let server: BootedServer | undefined;
  let stopListening = () => {};
  let endpoint: string;
  if ("image" in options.target) {
    const image = options.target.image;
    options.log(`booting ${image}${gpus === undefined ? " (CPU)" : ` with ${gpus.names.join(", ")}`}`);
    server = await bootImage(
      run,
      {
        image,
        name: `ollama-build-smoke-${process.pid}-${Date.now()}`,
        gpus: gpus !== undefined,
        // The smoke loads each model itself so that it can time every cold load.
        env: [["OLLAMA_BUILD_WARMUP", ""]],
      },
      { readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS },
    );
    options.log(`server answered after ${server.serverReadyMs} ms at ${server.endpoint}`);
    stopListening = removeOnSignal(server);
    environment.image = image;
    environment.server_ready_ms = server.serverReadyMs;
    Object.assign(environment, await imageIdentity(run, image));
    endpoint = server.endpoint;
  } else {
    endpoint = options.target.endpoint;
  }
  try {
    const report = await runSmoke(ollamaClient(endpoint, options.timeouts ?? DEFAULT_TIMEOUTS), suite, {
      environment,
      defaultBudgets: DEFAULT_BUDGETS[gpus === undefined ? "cpu" : "gpu"],
      ...(options.budgets === undefined ? {} : { budgets: options.budgets }),
      ...(options.repeat === undefined ? {} : { repeat: options.repeat }),
      ...(gpus === undefined ? {} : { gpuMemory: () => gpuMemoryUsedMib(run) }),
      log: options.log,
    });
    if (!report.passed && server !== undefined) report.logs = await server.logs();
    return report;
  } catch (error) {
    if (server === undefined) throw error;
    throw new ContainerError((error as Error).message, await server.logs().catch(() => []));
  } finally {
    stopListening();
    await server?.remove();
  }
}

/**
 * Ctrl-C, or a cancelled workflow job (SIGINT, then SIGTERM): the container goes, and its GPU memory with it.
 * Returns what stops listening.
 */
function removeOnSignal(server: BootedServer): () => void {
  const removeAndExit = (signal: NodeJS.Signals) => {
    void server.remove().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", removeAndExit);
  process.once("SIGTERM", removeAndExit);
  return () => {
    process.removeListener("SIGINT", removeAndExit);
    process.removeListener("SIGTERM", removeAndExit);
  };
}

/** The command line's flags and the developer's environment, as the pipeline's options. */
import os from "node:os";
import path from "node:path";
import { type RunContext, readRunContext } from "../github/context.js";
import type { Runner } from "../io/exec.js";
import { currentBranch, headCommit } from "../io/git.js";
import type { PipelineOptions } from "../pipeline/options.js";
import { type ConfigOverrides, openWorkspace } from "../project/workspace.js";
import { environmentCredentials, environmentLogin } from "../registry/credentials.js";
import { parseBudgetAssignments } from "../smoke/budgets.js";
import { oneOf, percentage, positiveInteger, UsageError, type Values } from "./usage.js";

export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard output for workflow commands on purpose (`lint --format github`): not neutralised. */
  commands?: (text: string) => void;
  run: Runner;
  version: string;
}

function overridesFrom(values: Values): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (values.modelfiles !== undefined) overrides.modelfiles = values.modelfiles;
  if (values.image !== undefined) overrides.image = values.image;
  if (values["ollama-image"] !== undefined) overrides["ollama-image"] = values["ollama-image"];
  if (values["ollama-registry"] !== undefined) overrides["ollama-registry"] = values["ollama-registry"];
  if (values["client-api"] !== undefined) {
    overrides["client-api"] = oneOf("client-api", values["client-api"], ["openai", "native"] as const, "openai");
  }
  return overrides;
}

/** In a workflow run the event says what is built; elsewhere git does. */
async function runContextFor(io: CliIo, repository: string | undefined): Promise<RunContext> {
  if (io.env.GITHUB_ACTIONS === "true") return readRunContext(io.env);
  const context: RunContext = { source: {} };
  if (repository === undefined) return context;
  const sha = await headCommit(io.run, repository);
  const branch = await currentBranch(io.run, repository);
  if (sha !== undefined) context.source.sha = sha;
  if (branch !== undefined) context.source.branch = branch;
  return context;
}

/** `cases`: the case files given on the command line (relative to the current directory). */
export function cliPipelineOptions(io: CliIo, values: Values, cases: readonly string[] = []): PipelineOptions {
  if (values.push && values.load) throw new UsageError("--push and --load exclude each other");
  const cacheHome = io.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  const modelRegistryCredentials = environmentCredentials(io.env, "OLLAMA_REGISTRY");
  const readyTimeout = positiveInteger("ready-timeout", values["ready-timeout"]);
  const repeat = positiveInteger("repeat", values.repeat);
  const gpus =
    values.gpus === undefined ? undefined : oneOf("gpus", values.gpus, ["auto", "all", "none"] as const, "auto");
  const line = (text: string) => io.stderr(`${text}\n`);
  return {
    run: io.run,
    openWorkspace: () => openWorkspace(io.run, { cwd: io.cwd, root: values.root, overrides: overridesFrom(values) }),
    runContext: (workspace) => runContextFor(io, workspace.repository),
    ...(values["base-ref"] === undefined ? {} : { baseRef: values["base-ref"] }),
    log: line,
    warn: (text) => line(`warning: ${text}`),
    stage: (_, work) => work(),
    store: path.resolve(io.cwd, values.store ?? path.join(cacheHome, "ollama-build", "store")),
    tempDir: os.tmpdir(),
    ...(modelRegistryCredentials === undefined ? {} : { modelRegistryCredentials }),
    imageRegistryLogin: environmentLogin(io.env),
    // `ollama-build/<project>` stays in the local engine; an image that names a registry is pushed.
    push: values.push ? true : values.load ? false : "auto",
    layerCache: values["layer-cache"] ?? false,
    pinMissingBaseModels: true,
    paired: oneOf("paired", values.paired, ["auto", "interleaved", "blocks", "off"] as const, "auto"),
    minEffect: percentage("min-effect", values["min-effect"], 5) / 100,
    failOnWarnings: false,
    smoke: {
      ...(cases.length === 0 ? {} : { cases: cases.map((c) => path.resolve(io.cwd, c)) }),
      ...(gpus === undefined ? {} : { gpus }),
      ...(values.budget === undefined ? {} : { budgets: parseBudgetAssignments(values.budget, "--budget") }),
      ...(repeat === undefined ? {} : { repeat }),
      ...(readyTimeout === undefined ? {} : { readyTimeoutMs: readyTimeout * 1000 }),
      displayRoot: io.cwd,
    },
    ...(values["comment-id"] === undefined ? {} : { commentId: values["comment-id"] }),
  };
}

/** The `ollama-build` command line: a thin shell over the same stage functions the action calls. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatBuildText } from "../build/format.js";
import { type BuildReport, runBuild } from "../build/stage.js";
import { type StoreLayout, storeLayout } from "../fetch/store.js";
import { defaultImageFor, type RunContext, readRunContext } from "../github/context.js";
import type { Runner } from "../io/exec.js";
import { writeFileAtomically } from "../io/files.js";
import { formatLintGithub, formatLintJson, formatLintText } from "../lint/format.js";
import { runLint } from "../lint/stage.js";
import { LOCK_FILE } from "../lock/lockfile.js";
import { type OllamaRegistryAccess, runFetch, runLock } from "../lock/stage.js";
import { buildCreateRequest, CreateRequestError } from "../modelfile/create-request.js";
import { ModelfileParseError, parseModelfile } from "../modelfile/parser.js";
import { formatPlanText } from "../plan/format.js";
import { currentBranch, headCommit } from "../plan/git.js";
import type { Plan } from "../plan/plan.js";
import { type PlanOptions, runPlan } from "../plan/stage.js";
import type { Config } from "../project/config.js";
import { type ConfigOverrides, openWorkspace, toProjectPath, type Workspace } from "../project/workspace.js";
import { runRelease } from "../publish/release.js";
import type { Credentials } from "../registry/client.js";
import { dockerConfigCredentials, environmentCredentials } from "../registry/docker-config.js";
import { parseImageRepository } from "../registry/image-ref.js";
import { commentMarker, type ReportInput, renderReport, renderReportJson } from "../report/render.js";
import { parseBudgetAssignments } from "../smoke/budgets.js";
import { formatSmokeText } from "../smoke/format.js";
import { parseSmokeReport } from "../smoke/report-schema.js";
import { runSmokeCommand, type SmokeTarget } from "../smoke/stage.js";
import type { SmokeReport } from "../smoke/types.js";
import { describeError } from "../text/errors.js";
import { forWorkflowLog, neutraliseControlCharacters } from "../text/safe-text.js";
import { formatBytes } from "../text/units.js";

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

export const USAGE = `Usage: ollama-build <command> [options]

Commands:
  parse FILE            print FILE's commands in Ollama's representation as JSON
                        (--create-request: the create request Ollama's client would build)
  lint [PATH...]        check Modelfiles (default: the configured folder, modelfiles/)
                        --format text|json|github
  plan                  models, hashes, what changed against --base-ref, and the image tags
                        --format text|json, --base-ref REF, --image REPOSITORY
  lock [REF...]         pin every library base model in ollama.lock (--update: re-resolve REFs, or all)
  fetch                 download the locked base models into the model store (--store DIR)
  build                 fetch, ollama create, build one layer per model, push (or load)
                        --push | --load, --dry-run (print the recipe), --store DIR, --layer-cache,
                        --format text|json, --base-ref REF, --image REPOSITORY
  release --version V   tag the built image V, V.minor and V.major (no rebuild)
  smoke [CASES...]      run the tool-call cases and measure latency (default cases: test/smoke)
                        --endpoint URL (a running Ollama) | --image REF (boot it; default: the
                        image built for this commit), --cases FILE (repeatable), --report FILE,
                        --repeat N, --gpus auto|all|none, --budget NAME=N (e.g. ttft_ms=300,
                        ttft_ms.p90=800, decode_tps=15, MODEL:ttft_ms=250), --ready-timeout SECONDS,
                        --format text|json (with --endpoint, --gpus does not apply)
  report                the PR comment: --report SMOKE.json [--baseline BASE.json] [--plan PLAN.json]
                        [--build BUILD.json] [--comment-id ID] [--format markdown|json]
  all                   lint, build (local engine unless the image names a registry), smoke, report:
                        --markdown FILE (default ollama-build-report.md), --report FILE (default
                        ollama-build-report.json), --baseline FILE, and the build and smoke options

Options for the commands that read the project (all but parse and report):
  --root DIR            the project root (default: the git top-level, else the current directory)
  --modelfiles DIR      the Modelfiles folder, relative to the root (default: modelfiles)
  --ollama-image REF    the Ollama image models are created with
  --client-api API      openai (default) or native: which API the models' clients call
  --ollama-registry URL where registry.ollama.ai models are fetched from (a mirror)
  -h, --help            this help
  --version             the version

Credentials come from the environment, never from arguments: OLLAMA_BUILD_REGISTRY_USERNAME and
OLLAMA_BUILD_REGISTRY_PASSWORD for the image registry (else \`docker login\`'s config), and
OLLAMA_REGISTRY_USERNAME / OLLAMA_REGISTRY_PASSWORD for the model registry.

Exit status: 0 success, 1 errors found, 2 bad usage.
`;

class UsageError extends Error {}

/** Messages may list several problems, one per line; every other control character is escaped. */
const NEWLINE = new Set(["\n"]);

const OPTIONS = {
  format: { type: "string" },
  root: { type: "string" },
  modelfiles: { type: "string" },
  "ollama-image": { type: "string" },
  "client-api": { type: "string" },
  "base-ref": { type: "string" },
  image: { type: "string" },
  "create-request": { type: "boolean" },
  "ollama-registry": { type: "string" },
  update: { type: "boolean" },
  store: { type: "string" },
  push: { type: "boolean" },
  load: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "layer-cache": { type: "boolean" },
  version: { type: "string" },
  endpoint: { type: "string" },
  cases: { type: "string", multiple: true },
  report: { type: "string" },
  repeat: { type: "string" },
  gpus: { type: "string" },
  budget: { type: "string", multiple: true },
  "ready-timeout": { type: "string" },
  baseline: { type: "string" },
  plan: { type: "string" },
  build: { type: "string" },
  markdown: { type: "string" },
  "comment-id": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
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

async function parseCommand(io: CliIo, files: string[], values: Values): Promise<number> {
  if (files.length !== 1) throw new UsageError("parse takes exactly one FILE");
  const file = files[0] as string;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.resolve(io.cwd, file));
  } catch (error) {
    io.stderr(
      `${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}\n`,
    );
    return 1;
  }
  try {
    const parsed = parseModelfile(bytes);
    if (values["create-request"]) {
      const { request, warnings } = buildCreateRequest(parsed.commands);
      for (const warning of warnings) io.stderr(`${warning}\n`);
      io.stdout(`${JSON.stringify(request, null, 2)}\n`);
    } else {
      io.stdout(`${JSON.stringify({ commands: parsed.commands.map((c) => [c.name, c.args]) })}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ModelfileParseError) {
      io.stderr(`${file}:${error.position.line}:${error.position.column}: ${error.ollamaMessage}\n`);
      return 1;
    }
    if (error instanceof CreateRequestError) {
      io.stderr(`${file}:${error.command.start.line}:${error.command.start.column}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function lintCommand(io: CliIo, paths: string[], values: Values): Promise<number> {
  const format = oneOf("format", values.format, ["text", "json", "github"], "text");
  const workspace = await openWorkspace(io.run, { cwd: io.cwd, root: values.root, overrides: overridesFrom(values) });
  const result = await runLint(
    workspace,
    paths.map((p) => toProjectPath(workspace, io.cwd, p)),
  );
  if (format === "json") io.stdout(formatLintJson(result.files));
  else if (format === "github") (io.commands ?? io.stdout)(formatLintGithub(result.files));
  else io.stdout(formatLintText(result.files, result.counts));
  return result.counts.error > 0 ? 1 : 0;
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

interface Prepared {
  workspace: Workspace;
  planOptions: PlanOptions;
}

async function prepare(io: CliIo, values: Values): Promise<Prepared> {
  const workspace = await openWorkspace(io.run, { cwd: io.cwd, root: values.root, overrides: overridesFrom(values) });
  const context = await runContextFor(io, workspace.repository);
  const baseRef = values["base-ref"] ?? context.baseRef;
  return {
    workspace,
    planOptions: {
      ...(baseRef === undefined ? {} : { baseRef }),
      source: context.source,
      defaultImage: defaultImageFor(context.repository, path.basename(workspace.root)),
    },
  };
}

const noPositionals = (command: string, positionals: readonly string[]) => {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got ${positionals.join(" ")})`);
};

function ollamaRegistryAccess(io: CliIo, workspace: Workspace): OllamaRegistryAccess {
  const credentials = environmentCredentials(io.env, "OLLAMA_REGISTRY");
  return {
    defaultRegistryUrl: workspace.config["ollama-registry"],
    ...(credentials === undefined ? {} : { credentials }),
    log: (line) => io.stderr(`${line}\n`),
  };
}

function storeFor(io: CliIo, values: Values): StoreLayout {
  const cacheHome = io.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  return storeLayout(path.resolve(io.cwd, values.store ?? path.join(cacheHome, "ollama-build", "store")));
}

async function imageRegistryCredentials(io: CliIo, image: string): Promise<Credentials | undefined> {
  return (
    environmentCredentials(io.env, "OLLAMA_BUILD_REGISTRY") ??
    (await dockerConfigCredentials(parseImageRepository(image).host, io.env))
  );
}

async function planCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("plan", positionals);
  const format = oneOf("format", values.format, ["text", "json"], "text");
  const { workspace, planOptions } = await prepare(io, values);
  const result = await runPlan(io.run, workspace, planOptions);
  for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
  if (result.plan === undefined) {
    io.stderr(
      formatLintText(
        result.lint.files.filter((f) => f.diagnostics.length > 0),
        result.lint.counts,
      ),
    );
    io.stderr("plan: the Modelfiles have errors (above); fix them first\n");
    return 1;
  }
  io.stdout(format === "json" ? `${JSON.stringify(result.plan, null, 2)}\n` : formatPlanText(result.plan));
  return 0;
}

async function lockCommand(io: CliIo, refs: string[], values: Values): Promise<number> {
  const workspace = await openWorkspace(io.run, { cwd: io.cwd, root: values.root, overrides: overridesFrom(values) });
  if (refs.length > 0 && !values.update)
    throw new UsageError("lock REF... needs --update (without it, lock pins what is missing)");
  const update = values.update ? (refs.length > 0 ? refs : true) : undefined;
  const result = await runLock(workspace, ollamaRegistryAccess(io, workspace), update === undefined ? {} : { update });
  const describe = (verb: string, refs: string[]) => (refs.length > 0 ? [`${verb} ${refs.join(", ")}`] : []);
  const changes = [
    ...describe("pinned", result.added),
    ...describe("updated", result.updated),
    ...describe("dropped", result.removed),
  ];
  io.stdout(
    `${LOCK_FILE}: ${Object.keys(result.lock.models).length} base models${changes.length > 0 ? `; ${changes.join("; ")}` : ", unchanged"}\n`,
  );
  return 0;
}

async function fetchCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("fetch", positionals);
  const workspace = await openWorkspace(io.run, { cwd: io.cwd, root: values.root, overrides: overridesFrom(values) });
  const store = storeFor(io, values);
  const { report } = await runFetch(workspace, store, ollamaRegistryAccess(io, workspace));
  const downloaded = report.blobs.filter((b) => b.status !== "present").length;
  io.stdout(
    `${store.models}: ${report.blobs.length} blobs, ${downloaded} downloaded (${formatBytes(report.bytesDownloaded)}) in ${report.milliseconds} ms\n`,
  );
  return 0;
}

/** Builds as `build` does: pushes when the image names a registry (or --push), else loads into the engine. */
async function buildWith(io: CliIo, values: Values, { workspace, planOptions }: Prepared): Promise<BuildReport> {
  if (values.push && values.load) throw new UsageError("--push and --load exclude each other");
  const image = workspace.config.image ?? planOptions.defaultImage;
  // Push when the image names a registry; `ollama-build/<project>` stays in the local engine.
  const push = values.push ?? (values.load ? false : parseImageRepository(image).explicitHost);
  const workDir = await mkdtemp(path.join(os.tmpdir(), "ollama-build-"));
  try {
    const credentials = push ? await imageRegistryCredentials(io, image) : undefined;
    return await runBuild(io.run, workspace, {
      ...planOptions,
      push,
      store: storeFor(io, values),
      workDir,
      ollamaRegistry: ollamaRegistryAccess(io, workspace),
      ...(credentials === undefined ? {} : { imageRegistryCredentials: credentials }),
      layerCache: values["layer-cache"] ?? false,
      dryRun: values["dry-run"] ?? false,
      log: (line) => io.stderr(`${line}\n`),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function buildCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("build", positionals);
  const format = oneOf("format", values.format, ["text", "json"], "text");
  const report = await buildWith(io, values, await prepare(io, values));
  io.stdout(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatBuildText(report));
  return 0;
}

async function releaseCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("release", positionals);
  if (values.version === undefined) throw new UsageError("release needs --version X.Y.Z");
  const { workspace, planOptions } = await prepare(io, values);
  const image = workspace.config.image ?? planOptions.defaultImage;
  const credentials = await imageRegistryCredentials(io, image);
  const result = await runRelease(io.run, workspace, {
    ...planOptions,
    version: values.version,
    ...(credentials === undefined ? {} : { credentials }),
  });
  io.stdout(
    `${result.image}:${result.from} (${result.digest}) is now also ${result.tags.map((t) => `${result.image}:${t}`).join(", ")}\n`,
  );
  return 0;
}

function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`--${option} must be a positive whole number (got ${value})`);
  return Number(value);
}

/** Runs the smoke with the flags' settings; `cases` defaults to the project's configured case files. */
async function smokeWith(
  io: CliIo,
  values: Values,
  target: SmokeTarget,
  cases: string[],
  project: { config?: Config; root: string },
): Promise<SmokeReport> {
  const readyTimeout = positiveInteger("ready-timeout", values["ready-timeout"]);
  const repeat = positiveInteger("repeat", values.repeat);
  return runSmokeCommand(io.run, {
    target,
    cases: cases.length > 0 ? cases : (project.config?.smoke.cases ?? []).map((c) => path.resolve(project.root, c)),
    displayRoot: project.root,
    gpus: oneOf("gpus", values.gpus, ["auto", "all", "none"] as const, project.config?.smoke.gpus ?? "auto"),
    ...(values.budget === undefined ? {} : { budgets: parseBudgetAssignments(values.budget, "--budget") }),
    ...(repeat === undefined ? {} : { repeat }),
    ...(readyTimeout === undefined ? {} : { readyTimeoutMs: readyTimeout * 1000 }),
    log: (line) => io.stderr(`${line}\n`),
  });
}

const writeJson = (io: CliIo, file: string, value: unknown) =>
  writeFileAtomically(path.resolve(io.cwd, file), `${JSON.stringify(value, null, 2)}\n`);

async function smokeCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  if (values.endpoint !== undefined && values.image !== undefined) {
    throw new UsageError("--endpoint and --image exclude each other");
  }
  const format = oneOf("format", values.format, ["text", "json"], "text");
  const given = [...(values.cases ?? []), ...positionals].map((p) => path.resolve(io.cwd, p));
  // The project (its config and built image) matters only when the cases or the image are not given.
  const needsProject = given.length === 0 || (values.endpoint === undefined && values.image === undefined);
  const prepared = needsProject ? await prepare(io, values) : undefined;
  let target: SmokeTarget;
  if (values.endpoint !== undefined) target = { endpoint: values.endpoint };
  else if (values.image !== undefined) target = { image: values.image };
  else {
    const { workspace, planOptions } = prepared as Prepared;
    const result = await runPlan(io.run, workspace, planOptions);
    if (result.plan === undefined) throw new Error("the Modelfiles have errors: run ollama-build lint");
    target = { image: result.plan.imageTag };
  }
  const report = await smokeWith(io, values, target, given, {
    ...(prepared === undefined ? {} : { config: prepared.workspace.config }),
    root: prepared?.workspace.root ?? io.cwd,
  });
  if (values.report !== undefined) await writeJson(io, values.report, report);
  io.stdout(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatSmokeText(report));
  return report.passed ? 0 : 1;
}

async function readTextFile(io: CliIo, option: string, file: string): Promise<string> {
  return readFile(path.resolve(io.cwd, file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`--${option} ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
}

async function readJsonFile<T>(io: CliIo, option: string, file: string | undefined): Promise<T | undefined> {
  if (file === undefined) return undefined;
  const text = await readTextFile(io, option, file);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`--${option} ${file}: not JSON (${(error as Error).message})`);
  }
}

/** A smoke report file, checked against the report's schema (a wrong file says which field is wrong). */
async function readSmokeReport(io: CliIo, option: string, file: string | undefined): Promise<SmokeReport | undefined> {
  return file === undefined ? undefined : parseSmokeReport(await readTextFile(io, option, file), `--${option} ${file}`);
}

/** `report`: renders the PR comment from saved reports (what the action posts). */
async function reportCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("report", positionals);
  const format = oneOf("format", values.format, ["markdown", "json"], "markdown");
  if (values.report === undefined && values.build === undefined) {
    throw new UsageError("report needs --report FILE (a smoke report) or --build FILE (a build report)");
  }
  const head = await readSmokeReport(io, "report", values.report);
  const baseline = await readSmokeReport(io, "baseline", values.baseline);
  const plan = await readJsonFile<Plan>(io, "plan", values.plan);
  const build = await readJsonFile<BuildReport>(io, "build", values.build);
  const input: ReportInput = {
    marker: commentMarker(values["comment-id"]),
    ...(head === undefined ? {} : { head }),
    ...(baseline === undefined ? { baselineNote: "no baseline given (--baseline FILE)" } : { baseline }),
    ...(plan === undefined ? {} : { plan }),
    ...(build === undefined ? {} : { build }),
  };
  io.stdout(format === "json" ? `${JSON.stringify(renderReportJson(input), null, 2)}\n` : renderReport(input));
  return 0;
}

/**
 * `all`: lint, build (into the local engine unless the image names a registry), smoke the image, and write
 * the report: the terminal gets the figures, --markdown FILE the PR comment's markdown, --report FILE the JSON.
 */
async function allCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("all", positionals);
  const prepared = await prepare(io, values);
  const { workspace } = prepared;
  const lint = await runLint(workspace);
  if (lint.counts.error > 0) {
    io.stderr(
      formatLintText(
        lint.files.filter((f) => f.diagnostics.length > 0),
        lint.counts,
      ),
    );
    return 1;
  }
  // The first run in a project: pin what is not pinned yet (never re-resolving what is), and say so.
  const unpinned =
    lint.lock.status === "absent" || lint.files.some((f) => f.diagnostics.some((d) => d.code === "unlocked-base"));
  if (unpinned) {
    const locked = await runLock(workspace, ollamaRegistryAccess(io, workspace));
    io.stderr(`pinned ${locked.added.join(", ")} in ${LOCK_FILE}: commit it, so every build uses these manifests\n`);
  }
  const build = await buildWith(io, values, unpinned ? await prepare(io, values) : prepared);
  io.stderr(formatBuildText(build));
  const smoke = await smokeWith(
    io,
    values,
    { image: build.plan.imageTag },
    values.cases?.map((c) => path.resolve(io.cwd, c)) ?? [],
    {
      config: workspace.config,
      root: workspace.root,
    },
  );
  const baseline = await readSmokeReport(io, "baseline", values.baseline);
  const markdown = renderReport({
    marker: commentMarker(values["comment-id"]),
    head: smoke,
    plan: build.plan,
    build,
    ...(baseline === undefined ? { baselineNote: "no baseline given (--baseline FILE)" } : { baseline }),
  });
  const markdownFile = path.resolve(io.cwd, values.markdown ?? "ollama-build-report.md");
  const reportFile = path.resolve(io.cwd, values.report ?? "ollama-build-report.json");
  await writeFileAtomically(markdownFile, markdown);
  await writeJson(io, reportFile, smoke);
  io.stdout(formatSmokeText(smoke));
  io.stdout(`report: ${path.relative(io.cwd, markdownFile)} (markdown), ${path.relative(io.cwd, reportFile)} (JSON)\n`);
  return smoke.passed ? 0 : 1;
}

type CommandHandler = (io: CliIo, positionals: string[], values: Values) => Promise<number>;

const COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  parse: parseCommand,
  lint: lintCommand,
  plan: planCommand,
  lock: lockCommand,
  fetch: fetchCommand,
  build: buildCommand,
  release: releaseCommand,
  smoke: smokeCommand,
  report: reportCommand,
  all: allCommand,
};

/**
 * Output often lands in a workflow's log: nothing a Modelfile, a server or a model wrote may become a workflow
 * command there, so every line is neutralised, except the commands `lint --format github` writes on purpose.
 */
export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  const io: CliIo = {
    ...given,
    stdout: (text) => given.stdout(forWorkflowLog(text)),
    stderr: (text) => given.stderr(forWorkflowLog(text)),
    commands: given.stdout,
  };
  // `--version` alone is the tool's version; `release --version X` is the release's.
  if (argv.length === 1 && argv[0] === "--version") {
    io.stdout(`${io.version}\n`);
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      (command === undefined && !values.help ? io.stderr : io.stdout)(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const handler = Object.hasOwn(COMMAND_HANDLERS, command) ? COMMAND_HANDLERS[command] : undefined;
    if (handler === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return await handler(io, rest, values);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const usage = error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
    if (usage) {
      io.stderr(`ollama-build: ${neutraliseControlCharacters((error as Error).message)}\n\n${USAGE}`);
      return 2;
    }
    // One line per failure, never a stack: what was being done, on what, and why (the causes' texts).
    io.stderr(`ollama-build: ${neutraliseControlCharacters(describeError(error), NEWLINE)}\n`);
    return 1;
  }
}

/** One function per command: flags to the pipeline's options, its results to standard output and files. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { formatBuildText } from "../build/format.js";
import type { BuildReport } from "../build/report.js";
import { writeFileAtomically } from "../io/files.js";
import { formatLintGithub, formatLintJson, formatLintText } from "../lint/format.js";
import type { LintResult } from "../lint/stage.js";
import { buildCreateRequest, CreateRequestError } from "../modelfile/create-request.js";
import { ModelfileParseError, parseModelfile } from "../modelfile/parser.js";
import { runAll } from "../pipeline/all.js";
import { Pipeline } from "../pipeline/pipeline.js";
import { runUpdateLock } from "../pipeline/update-lock.js";
import { formatPlanText } from "../plan/format.js";
import type { Plan } from "../plan/plan.js";
import { LOCK_FILE } from "../project/lockfile.js";
import { toProjectPath } from "../project/workspace.js";
import { commentMarker, type ReportInput, renderReport, renderReportJson } from "../report/render.js";
import { formatSmokeText } from "../smoke/format.js";
import { parseSmokeReport } from "../smoke/report-schema.js";
import type { SmokeTarget } from "../smoke/stage.js";
import type { SmokeReport } from "../smoke/types.js";
import { formatBytes } from "../text/units.js";
import { type CliIo, cliPipelineOptions } from "./options.js";
import { noPositionals, oneOf, UsageError, type Values } from "./usage.js";

export type CommandHandler = (io: CliIo, positionals: string[], values: Values) => Promise<number>;

const pipelineFor = (io: CliIo, values: Values, cases?: readonly string[]) =>
  new Pipeline(cliPipelineOptions(io, values, cases));

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
  const pipeline = pipelineFor(io, values);
  const workspace = await pipeline.workspace();
  const result =
    paths.length === 0
      ? await pipeline.lint()
      : await pipeline.lintPaths(paths.map((p) => toProjectPath(workspace, io.cwd, p)));
  if (format === "json") io.stdout(formatLintJson(result.files));
  else if (format === "github") {
    // Annotations name files from the repository's root, where GitHub looks for them.
    const prefix = path
      .relative(workspace.repository ?? io.cwd, workspace.root)
      .split(path.sep)
      .join("/");
    (io.commands ?? io.stdout)(formatLintGithub(result.files, prefix));
  } else io.stdout(formatLintText(result.files, result.counts));
  return result.counts.error > 0 ? 1 : 0;
}

/** Lint's findings on standard error, when they stop a command. */
function printLintErrors(io: CliIo, lint: LintResult): void {
  io.stderr(
    formatLintText(
      lint.files.filter((f) => f.diagnostics.length > 0),
      lint.counts,
    ),
  );
}

async function planCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("plan", positionals);
  const format = oneOf("format", values.format, ["text", "json"], "text");
  const pipeline = pipelineFor(io, values);
  const lint = await pipeline.lint();
  if (lint.counts.error > 0) {
    printLintErrors(io, lint);
    io.stderr("plan: the Modelfiles have errors (above); fix them first\n");
    return 1;
  }
  const { plan } = await pipeline.plan();
  io.stdout(format === "json" ? `${JSON.stringify(plan, null, 2)}\n` : formatPlanText(plan));
  return 0;
}

async function lockCommand(io: CliIo, refs: string[], values: Values): Promise<number> {
  if (refs.length > 0 && !values.update)
    throw new UsageError("lock REF... needs --update (without it, lock pins what is missing)");
  const update = values.update ? (refs.length > 0 ? refs : true) : undefined;
  const result = await pipelineFor(io, values).lock(update);
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
  const pipeline = pipelineFor(io, values);
  const { report } = await pipeline.fetch();
  const downloaded = report.blobs.filter((b) => b.status !== "present").length;
  io.stdout(
    `${path.join(pipeline.options.store, "models")}: ${report.blobs.length} blobs, ${downloaded} downloaded (${formatBytes(report.bytesDownloaded)}) in ${report.milliseconds} ms\n`,
  );
  return 0;
}

async function buildCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("build", positionals);
  const format = oneOf("format", values.format, ["text", "json"], "text");
  const report = await pipelineFor(io, values).build({ dryRun: values["dry-run"] ?? false });
  io.stdout(format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatBuildText(report));
  return 0;
}

async function releaseCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("release", positionals);
  if (values.version === undefined) throw new UsageError("release needs --version X.Y.Z");
  const result = await pipelineFor(io, values).release(values.version);
  io.stdout(
    `${result.image}:${result.from} (${result.digest}) is now also ${result.tags.map((t) => `${result.image}:${t}`).join(", ")}\n`,
  );
  return 0;
}

const writeJson = (io: CliIo, file: string, value: unknown) =>
  writeFileAtomically(path.resolve(io.cwd, file), `${JSON.stringify(value, null, 2)}\n`);

async function smokeCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  if (values.endpoint !== undefined && values.image !== undefined) {
    throw new UsageError("--endpoint and --image exclude each other");
  }
  const format = oneOf("format", values.format, ["text", "json"], "text");
  const pipeline = pipelineFor(io, values, [...(values.cases ?? []), ...positionals]);
  const target: SmokeTarget | undefined =
    values.endpoint !== undefined
      ? { endpoint: values.endpoint }
      : values.image !== undefined
        ? { image: values.image }
        : undefined;
  if (values["compare-image"] !== undefined && target !== undefined && !("image" in target)) {
    throw new UsageError(
      "--compare-image smokes two images: it needs --image (or this commit's image), not --endpoint",
    );
  }
  const report = await pipeline.smoke(target, values["compare-image"]);
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

const NO_BASELINE = "no baseline given (--baseline FILE)";

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
    ...(baseline === undefined ? { baselineNote: NO_BASELINE } : { baseline }),
    ...(plan === undefined ? {} : { plan }),
    ...(build === undefined ? {} : { build }),
  };
  io.stdout(format === "json" ? `${JSON.stringify(renderReportJson(input), null, 2)}\n` : renderReport(input));
  return 0;
}

/**
 * `all`: the pipeline's `all` (building into the local engine unless the image names a registry); the terminal
 * gets the figures, --markdown FILE the PR comment's markdown, --report FILE the smoke report's JSON.
 */
async function allCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("all", positionals);
  const baseline = await readSmokeReport(io, "baseline", values.baseline);
  const options = cliPipelineOptions(io, values, values.cases ?? []);
  const result = await runAll(
    new Pipeline({
      ...options,
      givenBaseline: baseline === undefined ? { missing: NO_BASELINE } : { report: baseline },
    }),
  );
  if (result.lint.counts.error > 0) printLintErrors(io, result.lint);
  if (result.build !== undefined) io.stderr(formatBuildText(result.build));
  const markdownFile = path.resolve(io.cwd, values.markdown ?? "ollama-build-report.md");
  await writeFileAtomically(markdownFile, renderReport(result.report));
  const written = [`${path.relative(io.cwd, markdownFile)} (markdown)`];
  if (result.smoke !== undefined) {
    const reportFile = path.resolve(io.cwd, values.report ?? "ollama-build-report.json");
    await writeJson(io, reportFile, result.smoke);
    written.push(`${path.relative(io.cwd, reportFile)} (JSON)`);
    io.stdout(formatSmokeText(result.smoke));
  }
  io.stdout(`report: ${written.join(", ")}\n`);
  if (result.failure !== undefined && result.lint.counts.error === 0) io.stderr(`ollama-build: ${result.failure}\n`);
  return result.failures.length > 0 ? 1 : 0;
}

/**
 * `update-lock`: re-resolves every locked base model (writing ollama.lock); when one moved, builds, smokes beside
 * the current lock's image (when it exists) and writes the pull request's body to --markdown FILE. No GitHub.
 */
async function updateLockCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  noPositionals("update-lock", positionals);
  const result = await runUpdateLock(pipelineFor(io, values, values.cases ?? []));
  if (!result.moved) {
    io.stdout(`${LOCK_FILE}: no base model moved, nothing built\n`);
    return 0;
  }
  if (result.build !== undefined) io.stderr(formatBuildText(result.build));
  if (result.smoke !== undefined) io.stdout(formatSmokeText(result.smoke));
  const file = path.resolve(io.cwd, values.markdown ?? "ollama-build-update-lock.md");
  await writeFileAtomically(file, result.body);
  io.stdout(`${result.title}: commit ${LOCK_FILE}; the pull request's body is ${path.relative(io.cwd, file)}\n`);
  if (result.failure !== undefined) io.stderr(`ollama-build: ${result.failure}\n`);
  return result.failures.length > 0 ? 1 : 0;
}

export const COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = {
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
  "update-lock": updateLockCommand,
};

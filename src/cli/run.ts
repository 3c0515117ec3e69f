/** The `ollama-build` command line: a thin shell over the same stage functions the action calls. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { runLint } from "../commands/lint.js";
import { runPlan } from "../commands/plan.js";
import { type ConfigOverrides, openWorkspace, toProjectPath } from "../commands/workspace.js";
import type { Runner } from "../exec.js";
import { defaultImageFor, type RunContext, readRunContext } from "../github/context.js";
import { formatLintGithub, formatLintJson, formatLintText } from "../lint/format.js";
import { buildCreateRequest, CreateRequestError } from "../modelfile/create-request.js";
import { ModelfileParseError, parseModelfile } from "../modelfile/parser.js";
import { formatPlanText } from "../plan/format.js";
import { currentBranch, headCommit } from "../plan/git.js";

export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
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

Options for lint and plan:
  --root DIR            the project root (default: the git top-level, else the current directory)
  --modelfiles DIR      the Modelfiles folder, relative to the root (default: modelfiles)
  --ollama-image REF    the Ollama image models are created with
  --client-api API      openai (default) or native: which API the models' clients call
  -h, --help            this help
  --version             the version

Exit status: 0 success, 1 errors found, 2 bad usage.
`;

class UsageError extends Error {}

const OPTIONS = {
  format: { type: "string" },
  root: { type: "string" },
  modelfiles: { type: "string" },
  "ollama-image": { type: "string" },
  "client-api": { type: "string" },
  "base-ref": { type: "string" },
  image: { type: "string" },
  "create-request": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
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
  else if (format === "github") io.stdout(formatLintGithub(result.files));
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

async function planCommand(io: CliIo, positionals: string[], values: Values): Promise<number> {
  if (positionals.length > 0) throw new UsageError("plan takes no paths (set --modelfiles or --root)");
  const format = oneOf("format", values.format, ["text", "json"], "text");
  const workspace = await openWorkspace(io.run, { cwd: io.cwd, root: values.root, overrides: overridesFrom(values) });
  const context = await runContextFor(io, workspace.repository);
  const baseRef = values["base-ref"] ?? context.baseRef;
  const result = await runPlan(io.run, workspace, {
    ...(baseRef === undefined ? {} : { baseRef }),
    source: context.source,
    defaultImage: defaultImageFor(context.repository, path.basename(workspace.root)),
  });
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

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    if (values.version) {
      io.stdout(`${io.version}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      (command === undefined && !values.help ? io.stderr : io.stdout)(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    switch (command) {
      case "parse":
        return await parseCommand(io, rest, values);
      case "lint":
        return await lintCommand(io, rest, values);
      case "plan":
        return await planCommand(io, rest, values);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (usage) {
      io.stderr(`ollama-build: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`ollama-build: ${(error as Error).message}\n`);
    return 1;
  }
}

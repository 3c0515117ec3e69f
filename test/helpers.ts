import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach } from "vitest";
import { runCli } from "../src/cli/run.js";
import { runChecked, runProcess } from "../src/io/exec.js";
import { VERSION } from "../src/version.js";

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary project with the given files (removed after the test). */
export function makeProject(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), "ollama-build-test-"));
  created.push(root);
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
}

export const git = (cwd: string, ...args: string[]) =>
  runChecked(runProcess, "git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], { cwd });

/** git init + commit everything; returns the commit's SHA. */
export async function commitAll(root: string, message: string): Promise<string> {
  await git(root, "init", "-q", "-b", "main");
  await git(root, "add", "-A");
  await git(root, "commit", "-q", "--allow-empty", "-m", message);
  return (await git(root, "rev-parse", "HEAD")).trim();
}

const repositoryRoot = path.resolve(import.meta.dirname, "..");
/** What `npx ollama-build` runs; tests of dist/ itself (test/dist.test.ts) use it, every other test the source. */
export const CLI_BUNDLE = path.join(repositoryRoot, "dist/cli/index.js");
const CLI_SOURCE = path.join(repositoryRoot, "src/cli.ts");
/** tsx's loader, by absolute URL: the child's working directory is a test project without node_modules. */
export const TSX_LOADER = import.meta.resolve("tsx");

/** The environment of a run outside any workflow, with its model store under `cwd`. */
const outsideWorkflow = (cwd: string) => ({ GITHUB_ACTIONS: "", XDG_CACHE_HOME: path.join(cwd, ".cache") });

/**
 * Runs the CLI from src/ in a process of its own (through tsx), outside any workflow, with its model store under
 * `cwd`. The child is returned unawaited, so a test can signal it.
 */
export const spawnCli = (cwd: string, ...args: string[]) =>
  execa(process.execPath, ["--import", TSX_LOADER, CLI_SOURCE, ...args], {
    cwd,
    reject: false,
    env: outsideWorkflow(cwd),
  });

export interface CliResult {
  exitCode: number;
  /** As a process's output reads with execa: without its final newline. */
  stdout: string;
  stderr: string;
}

/** Runs `runCli` from src/ in this process: what the `ollama-build` process does, with its output captured. */
export async function cliInProcess(
  cwd: string,
  args: readonly string[],
  options: { env?: Record<string, string> } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const env = { ...process.env, ...outsideWorkflow(cwd), ...options.env };
  const exitCode = await runCli(args, {
    cwd,
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    run: (file, argv, runOptions) =>
      runProcess(file, argv, { ...runOptions, env: { ...env, ...runOptions?.env } as Record<string, string> }),
    version: VERSION,
  });
  return { exitCode, stdout: stdout.replace(/\n$/, ""), stderr: stderr.replace(/\n$/, "") };
}

/** Copies the shipped Theo cases (test/smoke/*.yaml) into a project, where the default `smoke.cases` looks. */
export function copyShippedCases(projectRoot: string): void {
  cpSync(path.join(repositoryRoot, "test/smoke"), path.join(projectRoot, "test/smoke"), {
    recursive: true,
    filter: (file) => !file.endsWith(".ts"),
  });
}

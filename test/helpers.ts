import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach } from "vitest";
import { runChecked, runProcess } from "../src/exec.js";

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
export const CLI_BUNDLE = path.join(repositoryRoot, "dist/cli/index.js");

/**
 * Runs the CLI bundle (what `npx ollama-build` runs) outside any workflow, with its model store under `cwd`.
 * The child is returned unawaited, so a test can signal it.
 */
export const runCliBundle = (cwd: string, ...args: string[]) =>
  execa(process.execPath, [CLI_BUNDLE, ...args], {
    cwd,
    reject: false,
    env: { GITHUB_ACTIONS: "", XDG_CACHE_HOME: path.join(cwd, ".cache") },
  });

/** Copies the shipped Theo cases (test/smoke/*.yaml) into a project, where the default `smoke.cases` looks. */
export function copyShippedCases(projectRoot: string): void {
  cpSync(path.join(repositoryRoot, "test/smoke"), path.join(projectRoot, "test/smoke"), {
    recursive: true,
    filter: (file) => !file.endsWith(".ts"),
  });
}

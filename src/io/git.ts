/** The git side of planning: the repository, the commit being built, and the base commit to compare with. */
import type { Runner } from "./exec.js";

const text = (out: Uint8Array) => Buffer.from(out).toString("utf8").trim();

export async function gitTopLevel(run: Runner, cwd: string): Promise<string | undefined> {
  const result = await run("git", ["rev-parse", "--show-toplevel"], { cwd });
  return result.exitCode === 0 ? text(result.stdout) : undefined;
}

/** The full SHA of a ref, or undefined when the clone does not have it (e.g. a shallow checkout). */
export async function resolveCommit(run: Runner, repository: string, ref: string): Promise<string | undefined> {
  if (ref.startsWith("-")) return undefined; // never let a ref be read as an option
  const result = await run("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], {
    cwd: repository,
  });
  return result.exitCode === 0 ? text(result.stdout) : undefined;
}

export async function currentBranch(run: Runner, repository: string): Promise<string | undefined> {
  const result = await run("git", ["symbolic-ref", "--short", "-q", "HEAD"], { cwd: repository });
  return result.exitCode === 0 && text(result.stdout) !== "" ? text(result.stdout) : undefined;
}

export async function headCommit(run: Runner, repository: string): Promise<string | undefined> {
  return resolveCommit(run, repository, "HEAD");
}

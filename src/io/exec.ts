/**
 * The one seam through which ollama-build starts processes. Commands are argv arrays: no shell ever sees
 * user data. Tests and stages receive a `Runner` so the process boundary can be observed or replaced.
 */
import { execa } from "execa";

export interface RunResult {
  exitCode: number;
  stdout: Uint8Array;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Bytes for the process's standard input. */
  input?: Uint8Array | string;
  env?: Record<string, string>;
  /** Receives standard output as it arrives, instead of buffering it (for multi-gigabyte outputs). */
  onStdout?: (chunk: Uint8Array) => void;
}

export type Runner = (file: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** Runs a process to completion; a non-zero exit is a result, not an exception (callers decide). */
export const runProcess: Runner = async (file, args, options = {}) => {
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    input: options.input,
    env: options.env,
    encoding: "buffer",
    reject: false,
    stripFinalNewline: false,
    buffer: { stdout: options.onStdout === undefined, stderr: true },
  });
  if (options.onStdout !== undefined) {
    for await (const chunk of subprocess.stdout) options.onStdout(chunk as Uint8Array);
  }
  const result = await subprocess;
  if (result.failed && result.exitCode === undefined) {
    throw new Error(`could not run ${file}: ${result.shortMessage}`);
  }
  return {
    exitCode: result.exitCode ?? 1,
    stdout: result.stdout ?? new Uint8Array(0),
    stderr: Buffer.from(result.stderr).toString("utf8"),
  };
};

export class CommandFailedError extends Error {
  constructor(file: string, args: readonly string[], result: RunResult) {
    super(`${[file, ...args].join(" ")} exited with ${result.exitCode}: ${result.stderr.trim()}`);
    this.name = "CommandFailedError";
  }
}

/** Runs and insists on success; returns stdout as text. */
export async function runChecked(
  run: Runner,
  file: string,
  args: readonly string[],
  options?: RunOptions,
): Promise<string> {
  const result = await run(file, args, options);
  if (result.exitCode !== 0) throw new CommandFailedError(file, args, result);
  return Buffer.from(result.stdout).toString("utf8");
}

/** A real Ollama server on this machine (the binary test/services built), and its CLI pointed at it. */
import { type RunResult, runProcess } from "../../src/io/exec.js";
import { type ServerProcess, spawnServer } from "../spawn-server.js";
import { requireOllamaBinary } from "./versions.js";

export interface OllamaServer extends ServerProcess {
  version: string;
  /** Runs `ollama ARGS...` (the same binary) against this server. */
  cli(args: readonly string[], options?: { cwd?: string }): Promise<RunResult>;
}

export async function startOllama(version: string, env: Record<string, string> = {}): Promise<OllamaServer> {
  const binary = requireOllamaBinary(version);
  const server = await spawnServer({
    name: `Ollama ${version}`,
    command: binary,
    args: ["serve"],
    // Blobs the test did not write are not pruned at start, as in the image.
    env: { OLLAMA_NOPRUNE: "1", ...env },
  });
  return {
    ...server,
    version,
    cli: (args, options = {}) =>
      runProcess(binary, args, {
        env: { ...process.env, ...server.clientEnv, HOME: `${server.dir}/home` } as Record<string, string>,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      }),
  };
}

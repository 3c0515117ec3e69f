/**
 * Starts an `ollama serve` (the stand-in, or a real Ollama built by test/services) as its own process, for tests
 * that talk to it over HTTP: its own OLLAMA_MODELS and HOME in a temporary directory, and a port the kernel
 * picks (OLLAMA_HOST=127.0.0.1:0; both servers log the port they bound: `Listening on 127.0.0.1:PORT`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** The temporary directory holding `models` (OLLAMA_MODELS) and `home` (HOME); removed by stop(). */
  dir: string;
  /** The environment a client of this server needs (OLLAMA_HOST), for the real `ollama` CLI. */
  clientEnv: Record<string, string>;
  stop(): Promise<void>;
  /** What the server wrote so far, stdout and stderr (its log). */
  log(): string;
}

export interface SpawnServerOptions {
  /** What it is, for messages: "the stand-in", "Ollama 0.24.0". */
  name: string;
  command: string;
  args: readonly string[];
  /** Extra environment, after OLLAMA_HOST, OLLAMA_MODELS and HOME. */
  env?: Record<string, string | undefined>;
  /** Called with the directory before the server starts (to write files it reads). */
  prepare?: (dir: string) => Record<string, string>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Resolves with the port once the server logs `Listening on HOST:PORT`; rejects if it exits first. */
function listeningPort(child: ChildProcess, name: string, log: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = /Listening on [^\s]+:(\d+)/.exec(log())?.[1];
      if (port !== undefined) {
        child.stderr?.off("data", check);
        child.off("exit", onExit);
        resolve(Number(port));
      }
    };
    const onExit = () => reject(new Error(`${name} exited before listening:\n${log()}`));
    child.stderr?.on("data", check);
    child.once("exit", onExit);
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/version`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

export async function spawnServer(options: SpawnServerOptions): Promise<ServerProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "ollama-server-"));
  const prepared = options.prepare?.(dir) ?? {};
  const child = spawn(options.command, [...options.args], {
    cwd: dir,
    env: {
      ...process.env,
      OLLAMA_HOST: "127.0.0.1:0",
      OLLAMA_MODELS: path.join(dir, "models"),
      HOME: path.join(dir, "home"),
      ...prepared,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // One log of both streams: the real server writes its access log ([GIN] lines) on stdout, the rest on stderr.
  let output = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (text: string) => {
      output += text;
    });
  }
  const log = () => output;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(killed);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    const tooLate = () => new Error(`${options.name} did not answer within ${STARTUP_TIMEOUT_MS} ms:\n${log()}`);
    let timer: NodeJS.Timeout | undefined;
    const port = await Promise.race([
      listeningPort(child, options.name, log),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(tooLate()), STARTUP_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    const url = `http://127.0.0.1:${port}`;
    while (!(await answers(url))) {
      if (Date.now() > deadline) throw tooLate();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { url, dir, clientEnv: { OLLAMA_HOST: `127.0.0.1:${port}` }, stop, log };
  } catch (error) {
    await stop();
    throw error;
  }
}

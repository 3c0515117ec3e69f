/**
 * Starts the stand-in `ollama serve` (test/standin/ollama.ts) as its own process, for tests that talk to it over
 * HTTP: its own OLLAMA_MODELS and HOME in a temporary directory, a port the kernel picks (OLLAMA_HOST=…:0; the
 * server logs the bound one), the named models created through its /api/create, and the script (if any) written
 * to a file it reads through OLLAMA_STANDIN_SCRIPT.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

export interface StandinOptions {
  models: string[];
  /** The reply script (ollama-script.ts's format). */
  script?: object;
  /** Extra environment for the server, e.g. OLLAMA_STANDIN_TTFT_MS. */
  env?: Record<string, string>;
}

export interface Standin {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  stop(): Promise<void>;
  /** The server's stderr so far (its access log included). */
  log(): string;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Resolves with the port once the server logs `Listening on HOST:PORT`; rejects if it exits first. */
function listeningPort(child: ChildProcess, log: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = /^Listening on [^\s]+:(\d+)/m.exec(log())?.[1];
      if (port !== undefined) {
        child.stderr?.off("data", check);
        child.off("exit", onExit);
        resolve(Number(port));
      }
    };
    const onExit = () => reject(new Error(`the stand-in exited before listening:\n${log()}`));
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

async function createModel(url: string, model: string): Promise<void> {
  const response = await fetch(`${url}/api/create`, { method: "POST", body: JSON.stringify({ model }) });
  const events = (await response.text()).split("\n").filter(Boolean);
  const failure = events.map((line) => JSON.parse(line) as { error?: string }).find((event) => event.error);
  if (!response.ok || failure !== undefined) {
    throw new Error(`creating ${model} failed: HTTP ${response.status} ${failure?.error ?? events.join(" ")}`);
  }
}

export async function startStandin(options: StandinOptions): Promise<Standin> {
  const dir = mkdtempSync(path.join(tmpdir(), "ollama-standin-"));
  const scriptEnv: Record<string, string> = {};
  if (options.script !== undefined) {
    scriptEnv.OLLAMA_STANDIN_SCRIPT = path.join(dir, "script.json");
    writeFileSync(scriptEnv.OLLAMA_STANDIN_SCRIPT, JSON.stringify(options.script));
  }
  // The same Node that runs the tests runs tsx (its bin is a Node script).
  const child = spawn(
    process.execPath,
    [path.join(repositoryRoot, "node_modules/.bin/tsx"), path.join(repositoryRoot, "test/standin/ollama.ts"), "serve"],
    {
      cwd: dir,
      env: {
        ...process.env,
        OLLAMA_HOST: "127.0.0.1:0",
        OLLAMA_MODELS: path.join(dir, "models"),
        HOME: path.join(dir, "home"),
        ...scriptEnv,
        ...options.env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    stderr += text;
  });
  const log = () => stderr;

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
    const tooLate = () => new Error(`the stand-in did not answer within ${STARTUP_TIMEOUT_MS} ms:\n${log()}`);
    let timer: NodeJS.Timeout | undefined;
    const port = await Promise.race([
      listeningPort(child, log),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(tooLate()), STARTUP_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    const url = `http://127.0.0.1:${port}`;
    while (!(await answers(url))) {
      if (Date.now() > deadline) throw tooLate();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const model of options.models) await createModel(url, model);
    return { url, stop, log };
  } catch (error) {
    await stop();
    throw error;
  }
}

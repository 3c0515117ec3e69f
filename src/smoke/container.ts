/**
 * Boots a built image for the smoke: `docker run` on a host port Docker picks (no race for a "free" port),
 * with the GPUs when the host has them, then polls /api/version until the server answers. The container is
 * always removed; when anything fails its last log lines go into the error.
 */
import { performance } from "node:perf_hooks";
import { type Runner, runChecked } from "../io/exec.js";

export type GpuMode = "auto" | "all" | "none";

export interface GpuInfo {
  names: string[];
}

/** The host's NVIDIA GPUs, from nvidia-smi (absent or failing: none). */
export async function detectGpus(run: Runner): Promise<GpuInfo | undefined> {
  try {
    const result = await run("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader"]);
    if (result.exitCode !== 0) return undefined;
    const names = Buffer.from(result.stdout)
      .toString("utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    return names.length > 0 ? { names } : undefined;
  } catch {
    return undefined;
  }
}

/** Host GPU memory in use (MiB, all GPUs), as the runner host sees it: the container cannot. */
export async function gpuMemoryUsedMib(run: Runner): Promise<number | undefined> {
  const result = await run("nvidia-smi", ["--query-gpu=memory.used", "--format=csv,noheader,nounits"]);
  if (result.exitCode !== 0) return undefined;
  const values = Buffer.from(result.stdout).toString("utf8").split("\n").map(Number).filter(Number.isFinite);
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
}

export interface RunContainerInput {
  image: string;
  name: string;
  gpus: boolean;
  /** Extra environment; the image's own ENV applies otherwise. */
  env: [string, string][];
}

export const OLLAMA_PORT = 11434;

export function dockerRunArgv(input: RunContainerInput): string[] {
  return [
    "run",
    "--detach",
    "--name",
    input.name,
    "--publish",
    `127.0.0.1::${OLLAMA_PORT}`,
    ...(input.gpus ? ["--gpus", "all"] : []),
    ...input.env.flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    input.image,
  ];
}

/** `docker port` prints `127.0.0.1:49153` (and maybe an IPv6 line). */
export function parsePublishedPort(output: string): number {
  const match = /:(\d+)\s*$/m.exec(output.trim().split("\n")[0] ?? "");
  if (match === null) throw new Error(`could not read the published port from docker port: ${output.trim()}`);
  return Number(match[1]);
}

export interface BootedServer {
  endpoint: string;
  container: string;
  /** From `docker run` until /api/version answered. */
  serverReadyMs: number;
  logs(lines?: number): Promise<string[]>;
  remove(): Promise<void>;
}

export class ContainerError extends Error {
  constructor(
    message: string,
    readonly logs: string[],
  ) {
    super(logs.length > 0 ? `${message}\nlast container log lines:\n${logs.join("\n")}` : message);
  }
}

export interface BootOptions {
  readyTimeoutMs: number;
  pollEveryMs?: number;
}

async function containerLogs(run: Runner, container: string, lines: number): Promise<string[]> {
  const result = await run("docker", ["logs", "--tail", String(lines), container]);
  // docker logs replays the container's stdout and stderr on its own; the interleaving between them is lost.
  return `${Buffer.from(result.stdout).toString("utf8")}${result.stderr}`.split("\n").filter((l) => l.length > 0);
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

export async function bootImage(run: Runner, input: RunContainerInput, options: BootOptions): Promise<BootedServer> {
  const started = performance.now();
  const created = await run("docker", dockerRunArgv(input));
  if (created.exitCode !== 0) {
    // `docker run` can create the container and then fail to start it (no GPU runtime, a port in use).
    await run("docker", ["rm", "--force", input.name]);
    // Docker's error is its first paragraph (a usage hint follows it).
    const reason =
      created.stderr
        .trim()
        .split(/\n\s*\n/)[0]
        ?.replace(/^docker: /, "") ?? "";
    throw new ContainerError(`${input.image}: docker run failed: ${reason}`, []);
  }
  const container = Buffer.from(created.stdout).toString("utf8").trim();
  const server: BootedServer = {
    endpoint: "",
    container,
    serverReadyMs: 0,
    logs: (lines = 50) => containerLogs(run, container, lines),
    remove: async () => {
      await run("docker", ["rm", "--force", "--volumes", container]);
    },
  };
  const stoppedEarly = async () => {
    const state = (
      await runChecked(run, "docker", ["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container])
    ).trim();
    const [status, exitCode] = state.split(" ");
    return status === "running"
      ? undefined
      : new Error(`the container stopped (${status}, exit code ${exitCode}) before the server answered`);
  };
  try {
    // A container that exits at once has no published port to ask about: say that it exited.
    const published = await run("docker", ["port", container, `${OLLAMA_PORT}/tcp`]);
    if (published.exitCode !== 0) throw (await stoppedEarly()) ?? new Error(published.stderr.trim());
    server.endpoint = `http://127.0.0.1:${parsePublishedPort(Buffer.from(published.stdout).toString("utf8"))}`;
    const deadline = started + options.readyTimeoutMs;
    let checkedState = started;
    while (!(await answers(`${server.endpoint}/api/version`))) {
      const now = performance.now();
      if (now > deadline) throw new Error(`the server did not answer within ${options.readyTimeoutMs} ms`);
      if (now - checkedState > 1000) {
        checkedState = now;
        const stopped = await stoppedEarly();
        if (stopped !== undefined) throw stopped;
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollEveryMs ?? 100));
    }
    server.serverReadyMs = Math.round(performance.now() - started);
    return server;
  } catch (error) {
    const logs = await server.logs().catch(() => []);
    await server.remove();
    throw new ContainerError(`${input.image}: ${(error as Error).message}`, logs);
  }
}

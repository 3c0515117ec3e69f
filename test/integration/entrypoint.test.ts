/**
 * The image entrypoint (ollama/entrypoint.sh) in a real container: an image built by the real build (with the
 * stand-in Ollama image, whose `ollama` simulates a model load of OLLAMA_STANDIN_LOAD_MS), booted with
 * `docker run`. Covers: server start and warm-up with logged load times, the HEALTHCHECK, `docker stop`
 * reaching the server, a warm-up model that does not exist, and a server that dies before it is ready.
 * Every container is removed in `finally`; every wait is bounded and event- or poll-driven (no fixed sleeps).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ENTRYPOINT_PATH } from "../../src/build/recipe.js";
import { ENTRYPOINT_SOURCE } from "../../src/build/runtime.js";
import { runChecked, runProcess } from "../../src/exec.js";
import { buildProject, makeBuildProject } from "./build-project.js";
import { requireRegistry } from "./services.js";
import { standinImage } from "./standin-image.js";

/** The stand-in's simulated model load time for these tests (its default is 50 ms). */
const LOAD_MS = 300;
/** Upper bound for a container to come up, warm up and report; far above what it takes (about 2 s). */
const READY_TIMEOUT_MS = 60_000;
const CONTAINER_LABEL = "ollama-build-test=entrypoint";

let image: string;
/** OLLAMA_BUILD_WARMUP as baked into the image: every custom model, in build order. */
let warmup: string[];

/** The shared test project (agent, agent-en FROM agent, classifier), built and pushed by the real build. */
beforeAll(async () => {
  await requireRegistry();
  const project = await makeBuildProject(await standinImage(), { weightBytes: 256 * 1024 });
  const report = await buildProject(project);
  expect(report.skipped).toBeUndefined();
  image = report.plan.imageTag;
  const env = JSON.parse(await docker("image", "inspect", "--format", "{{json .Config.Env}}", image)) as string[];
  const setting = env.find((e) => e.startsWith("OLLAMA_BUILD_WARMUP="));
  warmup = (setting ?? "").slice("OLLAMA_BUILD_WARMUP=".length).split(" ").filter(Boolean);
  // By default every custom model is warmed up.
  expect([...warmup].sort()).toEqual(report.plan.models.map((m) => m.name).sort());
  expect(warmup.length).toBeGreaterThan(1);
}, 180_000);

const docker = (...args: string[]) => runChecked(runProcess, "docker", args);

interface Container {
  id: string;
  /** The host port published for 11434, when one was. */
  port?: number;
}

/** `docker run -d` the image (11434 published on a free loopback port unless `publish` is false). */
async function start(args: string[], options: { publish?: boolean } = {}): Promise<Container> {
  const name = `ollama-build-entrypoint-${randomBytes(4).toString("hex")}`;
  const publish = options.publish ?? true;
  const id = (
    await docker(
      "run",
      "-d",
      "--name",
      name,
      "--label",
      CONTAINER_LABEL,
      ...(publish ? ["-p", "127.0.0.1::11434"] : []),
      ...args,
      image,
    )
  ).trim();
  if (!publish) return { id };
  const mapping = (await docker("port", id, "11434/tcp")).trim().split("\n")[0] ?? "";
  const port = Number(mapping.slice(mapping.lastIndexOf(":") + 1));
  expect(port).toBeGreaterThan(0);
  return { id, port };
}

async function remove(container: Container | undefined): Promise<void> {
  if (container !== undefined) await runProcess("docker", ["rm", "--force", "--volumes", container.id]);
}

/** Runs `body` with a started container and always removes it afterwards. */
async function withContainer(
  args: string[],
  body: (container: Container) => Promise<void>,
  options: { publish?: boolean } = {},
): Promise<void> {
  let container: Container | undefined;
  try {
    container = await start(args, options);
    await body(container);
  } finally {
    await remove(container);
  }
}

interface Logs {
  stdout: string;
  stderr: string;
}

/** Spawns a process and resolves when it exits; `timeoutMs` kills it and rejects. */
function follow(
  args: string[],
  timeoutMs: number,
  onOutput: (logs: Logs, child: ChildProcess) => boolean,
): Promise<Logs & { matched: boolean; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const logs: Logs = { stdout: "", stderr: "" };
    const child = spawn("docker", args, { stdio: ["ignore", "pipe", "pipe"] });
    let matched = false;
    const check = () => {
      if (!matched && onOutput(logs, child)) {
        matched = true;
        child.kill("SIGTERM");
      }
    };
    child.stdout.on("data", (chunk: Buffer) => {
      logs.stdout += chunk.toString("utf8");
      check();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      logs.stderr += chunk.toString("utf8");
      check();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `docker ${args.join(" ")}: nothing after ${timeoutMs} ms; stdout:\n${logs.stdout}\nstderr:\n${logs.stderr}`,
        ),
      );
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ ...logs, matched, exitCode: code });
    });
  });
}

/** Follows the container's log until a line matches; fails if the container stops first or time runs out. */
async function waitForLog(container: Container, line: RegExp, timeoutMs = READY_TIMEOUT_MS): Promise<Logs> {
  const result = await follow(["logs", "--follow", container.id], timeoutMs, (logs) => line.test(logs.stdout));
  if (!result.matched) {
    const state = await docker("inspect", "--format", "{{.State.Status}} exit {{.State.ExitCode}}", container.id);
    throw new Error(
      `container ${state.trim()} without logging ${line}; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result;
}

/** `docker wait`: the container's exit code, or a failure after `timeoutMs`. */
async function waitForExit(container: Container, timeoutMs: number): Promise<number> {
  const result = await follow(["wait", container.id], timeoutMs, () => false);
  if (result.exitCode !== 0) throw new Error(`docker wait ${container.id} failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

/** Calls `check` every `intervalMs` until it returns a value; fails after `timeoutMs`. */
async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The entrypoint's own lines (the server logs to stderr). */
const entrypointLines = (logs: Logs) => logs.stdout.split("\n").filter((line) => line.startsWith("ollama-build: "));

const loadTime = (lines: string[], model: string) => {
  const escaped = model.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const found = lines.map((l) => new RegExp(`^ollama-build: loaded ${escaped} in (\\d+) ms$`).exec(l)).find(Boolean);
  return found ? Number(found[1]) : undefined;
};

describe("image entrypoint", () => {
  it("starts the server, loads every warm-up model, logs the load times, and serves the models", async () => {
    await withContainer(["-e", `OLLAMA_STANDIN_LOAD_MS=${LOAD_MS}`], async (container) => {
      const lines = entrypointLines(await waitForLog(container, /^ollama-build: ready$/m));
      // In order: the server, each model in OLLAMA_BUILD_WARMUP order, then ready; nothing else.
      expect(lines).toHaveLength(warmup.length + 2);
      expect(lines[0]).toMatch(/^ollama-build: server ready in \d+ ms$/);
      warmup.forEach((model, i) => {
        expect(lines[i + 1]).toMatch(new RegExp(`^ollama-build: loaded ${model} in \\d+ ms$`));
        // A load is timed around `ollama run MODEL ""`, which waits for the stand-in's simulated load.
        expect(loadTime(lines, model)).toBeGreaterThanOrEqual(LOAD_MS);
      });
      expect(lines.at(-1)).toBe("ollama-build: ready");

      const response = await fetch(`http://127.0.0.1:${container.port}/api/tags`, {
        signal: AbortSignal.timeout(10_000),
      });
      expect(response.status).toBe(200);
      const { models } = (await response.json()) as { models: { name: string }[] };
      const names = models.map((m) => m.name);
      for (const model of warmup) expect(names).toContain(`${model}:latest`);
    });
  });

  it("reaches healthy through the image's HEALTHCHECK, which is `ollama list` (no curl or wget)", async () => {
    const healthcheck = JSON.parse(
      await docker("image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", image),
    ) as string[];
    // Exec form, no shell: the check needs nothing but the ollama binary the Ollama image has.
    expect(healthcheck).toEqual(["CMD", "ollama", "list"]);

    // Neither does the entrypoint the image carries (the one from this repository) call curl or wget.
    const shipped = await docker("run", "--rm", "--entrypoint", "cat", image, ENTRYPOINT_PATH);
    expect(shipped).toBe(readFileSync(ENTRYPOINT_SOURCE, "utf8"));
    const code = shipped
      .split("\n")
      .filter((line) => !line.trimStart().startsWith("#"))
      .join("\n");
    expect(code).not.toMatch(/\b(curl|wget)\b/);

    const timing = ["--health-interval", "1s", "--health-start-interval", "1s", "--health-start-period", "30s"];
    await withContainer(timing, async (container) => {
      const status = await poll("a health verdict", READY_TIMEOUT_MS, async () => {
        const state = await docker("inspect", "--format", "{{.State.Status}} {{.State.Health.Status}}", container.id);
        const [running, health] = state.trim().split(" ");
        return running !== "running" || health !== "starting" ? `${running} ${health}` : undefined;
      });
      expect(status).toBe("running healthy");
      const log = JSON.parse(await docker("inspect", "--format", "{{json .State.Health.Log}}", container.id)) as {
        ExitCode: number;
        Output: string;
      }[];
      const last = log.at(-1);
      expect(last?.ExitCode).toBe(0);
      for (const model of warmup) expect(last?.Output).toMatch(new RegExp(`^${model}:latest\\t`, "m"));
    });
  });

  it("docker stop's SIGTERM reaches the server: the container stops at once, with exit code 0", async () => {
    await withContainer([], async (container) => {
      await waitForLog(container, /^ollama-build: ready$/m);
      const started = Date.now();
      await docker("stop", "--time", "10", container.id);
      const elapsed = Date.now() - started;
      // Had the signal not reached the server, docker would wait out the 10 s and SIGKILL (exit 137).
      expect(elapsed).toBeLessThan(5_000);
      const state = await docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container.id);
      // The server exits 0 on SIGTERM and the entrypoint exits with the server's status.
      expect(state.trim()).toBe("exited 0");
      await docker("rm", container.id);
      expect((await docker("ps", "--all", "--quiet", "--filter", `id=${container.id}`)).trim()).toBe("");
    });
  });

  it("a warm-up model that does not exist is a warning: the other models load and the server is ready", async () => {
    const models = ["no-such-model", ...warmup];
    await withContainer(["-e", `OLLAMA_BUILD_WARMUP=${models.join(" ")}`], async (container) => {
      const lines = entrypointLines(await waitForLog(container, /^ollama-build: ready$/m));
      expect(lines).toEqual([
        expect.stringMatching(/^ollama-build: server ready in \d+ ms$/),
        "ollama-build: warning: could not load no-such-model",
        ...warmup.map((model) => expect.stringMatching(new RegExp(`^ollama-build: loaded ${model} in \\d+ ms$`))),
        "ollama-build: ready",
      ]);
      const response = await fetch(`http://127.0.0.1:${container.port}/api/tags`, {
        signal: AbortSignal.timeout(10_000),
      });
      expect(response.status).toBe(200);
      expect(await docker("inspect", "--format", "{{.State.Status}}", container.id)).toBe("running\n");
    });
  });

  it("a server that dies before it is ready makes the entrypoint exit non-zero at once", async () => {
    // An address the container does not have: the server cannot listen (EADDRNOTAVAIL) and exits; with no
    // network, `ollama list` fails at once instead of waiting for a connection timeout.
    const args = ["--network", "none", "-e", "OLLAMA_HOST=192.0.2.1:11434"];
    await withContainer(
      args,
      async (container) => {
        // Without the check the entrypoint would retry `ollama list` for minutes (1200 tries).
        const exitCode = await waitForExit(container, 30_000);
        const logs = await runProcess("docker", ["logs", container.id]);
        const lines = entrypointLines({ stdout: Buffer.from(logs.stdout).toString("utf8"), stderr: logs.stderr });
        expect(lines).toEqual(["ollama-build: the server exited before it was ready"]);
        // The entrypoint exits with the server's own status (the stand-in's crash status is 1).
        expect(exitCode).toBe(1);
        expect(logs.stderr).toContain("EADDRNOTAVAIL");
      },
      { publish: false },
    );
  });
});

/**
 * The image entrypoint (ollama/entrypoint.sh) in real containers: an image built by the real build (with the
 * stand-in Ollama image, whose `ollama` simulates a model load of OLLAMA_STANDIN_LOAD_MS), booted with
 * `docker run`. Covers: server start and warm-up with logged load times, the HEALTHCHECK, `docker stop`
 * reaching the server, a warm-up model that does not exist, and a server that dies before it is ready.
 *
 * Each case runs twice: with the stand-in image's /bin/sh (busybox ash) and with dash as /bin/sh, the shell
 * the real Ollama image (Ubuntu) runs the entrypoint with; `wait` and `trap` are where shells differ.
 * Every container is removed in `finally`; every wait is bounded and event- or poll-driven (no fixed sleeps).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRYPOINT_PATH } from "../../src/build/recipe.js";
import { runChecked, runProcess } from "../../src/io/exec.js";
import { ENTRYPOINT_SOURCE } from "../../src/plan/image-spec.js";
import { makeProject } from "../helpers.js";
import { buildProject, makeBuildProject } from "./build-project.js";
import { requireRegistry } from "./services.js";
import { standinImage } from "./standin-image.js";

/** The stand-in's simulated model load time for these tests (its default is 50 ms). */
const LOAD_MS = 300;
/** Upper bound for a container to come up, warm up and report; far above what it takes (1 to 3 s). */
const READY_TIMEOUT_MS = 60_000;
/** The host's dash (Debian's /bin/sh), copied into the dash variant: the test image has its libc already. */
const DASH = "/bin/dash";

const docker = (...args: string[]) => runChecked(runProcess, "docker", args);

/** The built image, per shell. */
const images: Record<string, string> = {};
/** Local references to remove afterwards (the registry keeps the pushed image). */
const localReferences: string[] = [];
/** OLLAMA_BUILD_WARMUP as baked into the image: every custom model, in build order. */
let warmup: string[];

/** The shared test project (agent, agent-en FROM agent, classifier), built and pushed by the real build. */
beforeAll(async () => {
  await requireRegistry();
  const project = await makeBuildProject(await standinImage(), { weightBytes: 256 * 1024 });
  const report = await buildProject(project);
  expect(report.skipped).toBeUndefined();
  localReferences.push(...report.references);
  images.busybox = report.plan.imageTag;
  const env = JSON.parse(
    await docker("image", "inspect", "--format", "{{json .Config.Env}}", images.busybox),
  ) as string[];
  const setting = env.find((e) => e.startsWith("OLLAMA_BUILD_WARMUP="));
  warmup = (setting ?? "").slice("OLLAMA_BUILD_WARMUP=".length).split(" ").filter(Boolean);
  // By default every custom model is warmed up.
  expect([...warmup].sort()).toEqual(report.plan.models.map((m) => m.name).sort());
  expect(warmup.length).toBeGreaterThan(1);

  if (!existsSync(DASH)) throw new Error(`${DASH} is missing: install Debian's dash`);
  const context = makeProject({});
  copyFileSync(DASH, path.join(context, "dash"));
  writeFileSync(
    path.join(context, "Dockerfile"),
    [
      `FROM ${images.busybox}`,
      "COPY --chmod=0755 dash /usr/bin/dash",
      'RUN ["/usr/bin/busybox", "ln", "-sf", "dash", "/usr/bin/sh"]',
      "",
    ].join("\n"),
  );
  images.dash = `${images.busybox}-dash`;
  localReferences.push(images.dash);
  await docker("buildx", "build", "--load", "--provenance=false", "--tag", images.dash, context);
  const shell = await docker("run", "--rm", "--entrypoint", "/usr/bin/readlink", images.dash, "-f", "/bin/sh");
  expect(shell.trim()).toBe("/usr/bin/dash");
}, 180_000);

afterAll(async () => {
  for (const reference of localReferences) await runProcess("docker", ["image", "rm", reference]);
});

interface Container {
  id: string;
  /** The host port published for 11434, when one was. */
  port?: number;
}

/** `docker run -d` (11434 published on a free loopback port unless `publish` is false). */
async function start(image: string, args: string[], options: { publish?: boolean } = {}): Promise<Container> {
  const name = `ollama-build-entrypoint-${randomBytes(4).toString("hex")}`;
  const publish = options.publish ?? true;
  const ports = publish ? ["--publish", "127.0.0.1::11434"] : [];
  const id = (await docker("run", "--detach", "--name", name, ...ports, ...args, image)).trim();
  if (!publish) return { id };
  const mapping = (await docker("port", id, "11434/tcp")).trim().split("\n")[0] ?? "";
  const port = Number(mapping.slice(mapping.lastIndexOf(":") + 1));
  expect(port).toBeGreaterThan(0);
  return { id, port };
}

/** Runs `body` with a started container and always removes the container afterwards. */
async function withContainer(
  image: string,
  args: string[],
  body: (container: Container) => Promise<void>,
  options: { publish?: boolean } = {},
): Promise<void> {
  let container: Container | undefined;
  try {
    container = await start(image, args, options);
    await body(container);
  } finally {
    if (container !== undefined) await runProcess("docker", ["rm", "--force", "--volumes", container.id]);
  }
}

interface Output {
  stdout: string;
  stderr: string;
}

/**
 * Runs `docker ARGS` and resolves when it exits, or as soon as `done(output)` holds (then it is stopped).
 * Rejects after `timeoutMs`.
 */
function dockerUntil(
  args: string[],
  timeoutMs: number,
  done: (output: Output) => boolean,
): Promise<Output & { matched: boolean; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const output: Output = { stdout: "", stderr: "" };
    const child: ChildProcess = spawn("docker", args, { stdio: ["ignore", "pipe", "pipe"] });
    let matched = false;
    const check = () => {
      if (!matched && done(output)) {
        matched = true;
        child.kill("SIGTERM");
      }
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      output.stdout += chunk.toString("utf8");
      check();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output.stderr += chunk.toString("utf8");
      check();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `docker ${args.join(" ")}: not done after ${timeoutMs} ms; output:\n${output.stdout}${output.stderr}`,
        ),
      );
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ ...output, matched, exitCode: code });
    });
  });
}

/** Follows the container's log until a line matches; fails if the container stops first or time runs out. */
async function waitForLog(container: Container, line: RegExp, timeoutMs = READY_TIMEOUT_MS): Promise<Output> {
  const result = await dockerUntil(["logs", "--follow", container.id], timeoutMs, (output) => line.test(output.stdout));
  if (!result.matched) {
    const state = await docker("inspect", "--format", "{{.State.Status}} (exit {{.State.ExitCode}})", container.id);
    throw new Error(`container ${state.trim()} without logging ${line}; log:\n${result.stdout}${result.stderr}`);
  }
  return result;
}

/** `docker wait`: the container's exit code; fails after `timeoutMs`. */
async function waitForExit(container: Container, timeoutMs: number): Promise<number> {
  const result = await dockerUntil(["wait", container.id], timeoutMs, () => false);
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
const entrypointLines = (output: Output) =>
  output.stdout.split("\n").filter((line) => line.startsWith("ollama-build: "));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const loadedLine = (model: string) => new RegExp(`^ollama-build: loaded ${escapeRegExp(model)} in (\\d+) ms$`);

async function tags(container: Container): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${container.port}/api/tags`, { signal: AbortSignal.timeout(10_000) });
  expect(response.status).toBe(200);
  const { models } = (await response.json()) as { models: { name: string }[] };
  return models.map((m) => m.name);
}

describe.each(["busybox", "dash"])("image entrypoint (/bin/sh is %s)", (shell) => {
  const image = () => images[shell] as string;

  it("starts the server, loads every warm-up model, logs the load times, and serves the models", async () => {
    await withContainer(image(), ["--env", `OLLAMA_STANDIN_LOAD_MS=${LOAD_MS}`], async (container) => {
      const lines = entrypointLines(await waitForLog(container, /^ollama-build: ready$/m));
      // In order: the server, each model in OLLAMA_BUILD_WARMUP order, then ready; nothing else.
      expect(lines).toHaveLength(warmup.length + 2);
      expect(lines[0]).toMatch(/^ollama-build: server ready in \d+ ms$/);
      warmup.forEach((model, i) => {
        const loaded = loadedLine(model).exec(lines[i + 1] ?? "");
        expect(loaded, `line ${i + 2}: ${lines[i + 1]}`).not.toBeNull();
        // Timed around `ollama run MODEL ""`, which returns once the stand-in's simulated load is over; the
        // entrypoint's clock (/proc/uptime) counts hundredths of a second, so a reading can be 10 ms short.
        expect(Number(loaded?.[1])).toBeGreaterThanOrEqual(LOAD_MS - 10);
      });
      expect(lines.at(-1)).toBe("ollama-build: ready");

      const names = await tags(container);
      for (const model of warmup) expect(names).toContain(`${model}:latest`);
    });
  });

  it("reaches healthy through the image's HEALTHCHECK, which needs the warm-up and `ollama list` (no curl or wget)", async () => {
    const healthcheck = JSON.parse(
      await docker("image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", image()),
    ) as string[];
    // Exec form: the entrypoint's --health mode, which runs `ollama list` once the warm-up is done.
    expect(healthcheck).toEqual(["CMD", ENTRYPOINT_PATH, "--health"]);
    // Nor does the entrypoint the image carries (this repository's) call curl or wget.
    const shipped = await docker("run", "--rm", "--entrypoint", "cat", image(), ENTRYPOINT_PATH);
    expect(shipped).toBe(readFileSync(ENTRYPOINT_SOURCE, "utf8"));
    const code = shipped
      .split("\n")
      .filter((line) => !line.trimStart().startsWith("#"))
      .join("\n");
    expect(code).not.toMatch(/\b(curl|wget)\b/);

    // Fast probes; a long start period, so that a failing check keeps the status at `starting` (and times out
    // here) rather than counting towards `unhealthy`.
    const timing = ["--health-interval", "1s", "--health-start-interval", "1s", "--health-start-period", "60s"];
    await withContainer(image(), timing, async (container) => {
      const status = await poll("a health status other than starting", READY_TIMEOUT_MS, async () => {
        const state = await docker("inspect", "--format", "{{.State.Status}} {{.State.Health.Status}}", container.id);
        const [running, health] = state.trim().split(" ");
        return running !== "running" || health !== "starting" ? `${running} ${health}` : undefined;
      });
      expect(status).toBe("running healthy");
      const probes = JSON.parse(await docker("inspect", "--format", "{{json .State.Health.Log}}", container.id)) as {
        ExitCode: number;
        Output: string;
      }[];
      const last = probes.at(-1);
      expect(last?.ExitCode).toBe(0);
      for (const model of warmup) expect(last?.Output).toMatch(new RegExp(`^${escapeRegExp(model)}:latest\\t`, "m"));
    });
  });

  it("is not healthy while the models are still warming up", async () => {
    const slow = 1500;
    const timing = ["--health-interval", "1s", "--health-start-interval", "200ms", "--health-start-period", "60s"];
    await withContainer(image(), [...timing, "--env", `OLLAMA_STANDIN_LOAD_MS=${slow}`], async (container) => {
      // Sample the health while the warm-up runs: every model takes `slow` ms to load.
      const seen = new Set<string>();
      let ready = false;
      const watching = waitForLog(container, /^ollama-build: ready$/m).then(() => {
        ready = true;
      });
      while (!ready) {
        seen.add((await docker("inspect", "--format", "{{.State.Health.Status}}", container.id)).trim());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await watching;
      expect(seen.has("healthy")).toBe(false);
      expect(seen.has("starting")).toBe(true);
      const status = await poll("healthy after the warm-up", READY_TIMEOUT_MS, async () => {
        const health = (await docker("inspect", "--format", "{{.State.Health.Status}}", container.id)).trim();
        return health === "starting" ? undefined : health;
      });
      expect(status).toBe("healthy");
    });
  });

  it("docker stop's SIGTERM reaches the server: the container stops at once with the server's status, 0", async () => {
    await withContainer(image(), [], async (container) => {
      await waitForLog(container, /^ollama-build: ready$/m);
      const started = Date.now();
      await docker("stop", "--timeout", "10", container.id);
      const elapsed = Date.now() - started;
      // Had the signal not reached the server, docker would wait out the 10 s and SIGKILL (exit 137).
      expect(elapsed).toBeLessThan(8_000);
      const state = await docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container.id);
      // The server exits 0 on SIGTERM (the stand-in as Ollama does); 143 would be the interrupted `wait`.
      expect(state.trim()).toBe("exited 0");
      await docker("rm", container.id);
      expect(await docker("ps", "--all", "--quiet", "--filter", `id=${container.id}`)).toBe("");
    });
  });

  it("a warm-up model that is not in the image is a warning, never a pull: the others load, the server is ready", async () => {
    const models = ["no-such-model", ...warmup];
    await withContainer(image(), ["--env", `OLLAMA_BUILD_WARMUP=${models.join(" ")}`], async (container) => {
      const output = await waitForLog(container, /^ollama-build: ready$/m);
      const lines = entrypointLines(output);
      expect(lines).toEqual([
        expect.stringMatching(/^ollama-build: server ready in \d+ ms$/),
        "ollama-build: warning: could not load no-such-model: not in the image",
        ...warmup.map((model) => expect.stringMatching(loadedLine(model))),
        "ollama-build: ready",
      ]);
      // `ollama run` pulls what the server lacks (a download at every start, where there is a network).
      expect(output.stderr).toMatch(/\| POST "\/api\/generate"/);
      expect(output.stderr).not.toContain('"/api/pull"');
      expect(await tags(container)).toContain(`${warmup[0]}:latest`);
      expect(await docker("inspect", "--format", "{{.State.Status}}", container.id)).toBe("running\n");
    });
  });

  it("a server that dies before it is ready makes the entrypoint exit at once with the server's status", async () => {
    // An address the container does not have: the server cannot listen (EADDRNOTAVAIL) and exits. With no
    // network, `ollama list` fails at once instead of waiting for a connection timeout.
    const args = ["--network", "none", "--env", "OLLAMA_HOST=192.0.2.1:11434"];
    await withContainer(
      image(),
      args,
      async (container) => {
        // Were the server's death not noticed, the entrypoint would retry `ollama list` for minutes.
        const exitCode = await waitForExit(container, 30_000);
        const logs = await runProcess("docker", ["logs", container.id]);
        const output = { stdout: Buffer.from(logs.stdout).toString("utf8"), stderr: logs.stderr };
        expect(entrypointLines(output)).toEqual(["ollama-build: the server exited before it was ready"]);
        expect(output.stderr).toContain("EADDRNOTAVAIL");
        // Node's status for an uncaught error; the entrypoint passes the server's status on.
        expect(exitCode).toBe(1);
      },
      { publish: false },
    );
  });
});

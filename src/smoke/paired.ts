/**
 * The base commit's image and this commit's, smoked on the same runner with the same requests: shared runners
 * differ by more than the changes a review wants to see, so both images are measured side by side, in an order
 * that cancels drift. With room for both, both servers are up and each request goes to both, A B, B A, A B, …
 * With room for one, the servers take turns in blocks A B B A (the base's first half of the rounds, all of the
 * head's, the base's second half): three boots, and drift still weighs on both the same.
 */
import os from "node:os";
import type { Runner } from "../io/exec.js";
import { type OllamaClient, ollamaClient } from "./client.js";
import { ContainerError } from "./container.js";
import { attachLoadReport } from "./load.js";
import type { LoadReport } from "./load-report.js";
import type { MetricSamples } from "./metrics.js";
import { CaseSession } from "./session.js";
import {
  bootForSmoke,
  removeOnSignal,
  type SmokeServer,
  type SmokeSetup,
  type SmokeStageOptions,
  sessionOptions,
  setUpSmoke,
  smokeContainerName,
  smokeUnderLoad,
} from "./stage.js";
import type { SmokeReport } from "./types.js";

export type PairedMode = "interleaved" | "blocks";

/** One image's side of a paired smoke. */
export interface ArmSmoke {
  report: SmokeReport;
  /** Per model, the per-request values of every metric. */
  samples: Record<string, MetricSamples>;
  /** Per model, its resident size from /api/ps. */
  resident: Record<string, number | undefined>;
}

export interface PairedSmoke {
  mode: PairedMode;
  /** Why this mode: the memory both images need against what the runner has free. */
  reason: string;
  base: ArmSmoke;
  head: ArmSmoke;
}

/** Both servers up only with a fifth of the free memory to spare (the models' KV caches grow beyond their files). */
export function choosePairedMode(bytesNeeded: number, bytesFree: number): PairedMode {
  return bytesNeeded <= bytesFree * 0.8 ? "interleaved" : "blocks";
}

interface Arm {
  label: "base" | "head";
  image: string;
  session: CaseSession;
  /** The session's environment: its first boot fills in the server's figures. */
  environment: SmokeSetup["environment"];
  /** The load profile's report (the head's only: the comparison is of the cases, the load is this commit's). */
  load?: LoadReport;
  /** The head server's last log lines, taken before it is removed: the report carries them when it fails. */
  logs?: string[];
}

/** The report describes the image's first boot. */
function describeBoot(arm: Arm, booted: SmokeServer): void {
  if (arm.environment.server_ready_ms === undefined) Object.assign(arm.environment, booted.environment);
}

/**
 * Each model on both servers: both prepared, then every round's requests in pairs, the same case on both servers
 * back to back, alternating A B, B A, … (A B B A A B B A), streamed runs first and native timings after, as a
 * single server's round goes; then both finished. The members of a pair are one request apart, so whatever slows
 * the runner down, even a step in the middle of a round, falls on both images alike.
 */
export async function runInterleaved(arms: readonly (Arm & { client: ReturnType<typeof ollamaClient> })[]) {
  for (const arm of arms) await arm.session.connect(arm.client);
  for (const model of arms[0]?.session.models().keys() ?? []) {
    const step = async (arm: (typeof arms)[number], work: () => Promise<void>) => {
      if (!arm.session.active(model)) return;
      await work().catch((error: unknown) => arm.session.fail(model, error));
    };
    let pair = 0;
    const inPairs = async (steps: number, work: (arm: (typeof arms)[number], index: number) => Promise<void>) => {
      for (let index = 0; index < steps; index++) {
        const order = pair++ % 2 === 0 ? arms : [...arms].reverse();
        for (const arm of order) await step(arm, () => work(arm, index));
      }
    };
    for (const arm of arms) await step(arm, () => arm.session.prepare(arm.client, model));
    const rounds = Math.max(...arms.map((arm) => arm.session.rounds(model)));
    for (let round = 0; round < rounds; round++) {
      const steps = Math.max(...arms.map((arm) => (arm.session.active(model) ? arm.session.steps(model, round) : 0)));
      await inPairs(steps, (arm, index) => arm.session.streamed(arm.client, model, round, index));
      await inPairs(steps, (arm, index) => arm.session.native(arm.client, model, round, index));
    }
    for (const arm of arms) await step(arm, () => arm.session.finish(arm.client, model));
  }
}

async function imageBytes(run: Runner, image: string): Promise<number> {
  const inspect = await run("docker", ["image", "inspect", "--format", "{{.Size}}", image]);
  if (inspect.exitCode !== 0) {
    const pull = await run("docker", ["pull", "--quiet", image]);
    if (pull.exitCode !== 0) throw new ContainerError(`${image}: docker pull failed: ${pull.stderr.trim()}`, []);
    return imageBytes(run, image);
  }
  return Number(Buffer.from(inspect.stdout).toString("utf8").trim()) || 0;
}

/** Free memory where the models will live: the GPUs' (nvidia-smi) when the smoke uses them, else the host's. */
async function freeBytes(run: Runner, setup: SmokeSetup): Promise<number> {
  if (setup.gpus === undefined) return os.freemem();
  const result = await run("nvidia-smi", ["--query-gpu=memory.free", "--format=csv,noheader,nounits"]);
  const mib = Buffer.from(result.stdout).toString("utf8").split("\n").map(Number).filter(Number.isFinite);
  return mib.reduce((a, b) => a + b, 0) * 1024 * 1024;
}

const MiB = 1024 * 1024;

export interface PairedStageOptions extends SmokeStageOptions {
  target: { image: string };
  baseImage: string;
  /** `auto`: interleaved when both images fit in free memory, else blocks. */
  mode: "auto" | PairedMode;
}

/** Boots, smokes and removes one image for one share of the rounds. */
async function smokeShare(
  run: Runner,
  arm: Arm,
  setup: SmokeSetup,
  options: PairedStageOptions,
  share: [number, number],
) {
  const name = smokeContainerName(`-${arm.label}`);
  const stopListening = removeOnSignal(() => run("docker", ["rm", "--force", "--volumes", name]));
  const booted = await bootForSmoke(run, arm.image, name, setup, options.log);
  describeBoot(arm, booted);
  try {
    const client = ollamaClient(booted.server.endpoint, setup.timeouts);
    await arm.session.run(client, share);
    if (arm.label === "head") await finishHead(run, arm, { client, server: booted }, setup, options);
  } finally {
    stopListening();
    await booted.server.remove();
  }
}

/** After the head's cases, on its server: the load profile, then the server's last log lines. */
async function finishHead(
  run: Runner,
  arm: Arm,
  served: { client: OllamaClient; server: SmokeServer },
  setup: SmokeSetup,
  options: PairedStageOptions,
): Promise<void> {
  arm.load = await smokeUnderLoad(run, served.client, setup, arm.image, options.log);
  arm.logs = await served.server.server.logs().catch(() => []);
}

export async function runPairedSmokeStage(run: Runner, options: PairedStageOptions): Promise<PairedSmoke> {
  const setup = await setUpSmoke(run, options);
  const [baseBytes, headBytes] = [
    await imageBytes(run, options.baseImage),
    await imageBytes(run, options.target.image),
  ];
  const free = await freeBytes(run, setup);
  const mode = options.mode === "auto" ? choosePairedMode(baseBytes + headBytes, free) : options.mode;
  const reason = `${Math.round((baseBytes + headBytes) / MiB)} MiB for both images, ${Math.round(free / MiB)} MiB free${options.mode === "auto" ? "" : ` (${options.mode} asked for)`}`;
  options.log(`paired smoke of ${options.baseImage} (base) and ${options.target.image} (head): ${mode}, ${reason}`);
  const arm = (label: Arm["label"], image: string): Arm => {
    const log = (line: string) => options.log(`${label}: ${line}`);
    const environment = { ...setup.environment, image };
    const session = new CaseSession(setup.suite, {
      ...sessionOptions(run, { ...options, log }, setup, environment),
      log,
    });
    return { label, image, session, environment };
  };
  const [base, head] = [arm("base", options.baseImage), arm("head", options.target.image)];
  if (mode === "blocks") {
    await smokeShare(run, base, setup, options, [0, 0.5]);
    await smokeShare(run, head, setup, options, [0, 1]);
    await smokeShare(run, base, setup, options, [0.5, 1]);
  } else {
    await interleavedOnBoth(run, [base, head], setup, options);
  }
  const side = (a: Arm): ArmSmoke => {
    const report = a.session.report();
    attachLoadReport(report, a.load);
    if (!report.passed && a.logs !== undefined) report.logs = a.logs;
    return { report, samples: a.session.samples(), resident: a.session.residentBytes() };
  };
  return { mode, reason, base: side(base), head: side(head) };
}

async function interleavedOnBoth(run: Runner, arms: Arm[], setup: SmokeSetup, options: PairedStageOptions) {
  const names = arms.map((a) => smokeContainerName(`-${a.label}`));
  const stopListening = removeOnSignal(() => run("docker", ["rm", "--force", "--volumes", ...names]));
  const booted: SmokeServer[] = [];
  try {
    for (const [i, a] of arms.entries())
      booted.push(await bootForSmoke(run, a.image, names[i] as string, setup, options.log));
    const clients = booted.map((b) => ollamaClient(b.server.endpoint, setup.timeouts));
    await runInterleaved(arms.map((a, i) => ({ ...a, client: clients[i] as OllamaClient })));
    // The base's server is stopped first: the load is measured as production runs it, one server on the host.
    const head = arms.findIndex((a) => a.label === "head");
    for (const [i, server] of booted.entries()) if (i !== head) await server.server.remove();
    const served = { client: clients[head] as OllamaClient, server: booted[head] as SmokeServer };
    await finishHead(run, arms[head] as Arm, served, setup, options);
  } finally {
    stopListening();
    for (const server of booted) await server.server.remove();
  }
}

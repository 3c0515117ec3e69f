/**
 * What the benchmarks share: progress on stderr, one JSON object as the last line of stdout, temp dirs that
 * are removed on exit, a Runner that records every command, Theo-like projects against the test registry,
 * and "what did a push have to upload" measured against the registry.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { BuildReport } from "../src/build/report.js";
import { type Runner, runProcess } from "../src/io/exec.js";
import { RegistryClient } from "../src/registry/client.js";
import { parseImageRepository, splitImageReference } from "../src/registry/image-ref.js";
import { type PushedImage, pushBytes, pushedImage as readPushedImage } from "../src/registry/pushed.js";
import { PLAIN_REGISTRY, requireRegistry, seedOllamaModel, uniqueRepository } from "../test/integration/services.js";
import { standinImage } from "../test/integration/standin-image.js";
import { testPipeline } from "../test/pipeline/fixture.js";

export const repositoryRoot = path.resolve(import.meta.dirname, "..");
export const MiB = 1024 * 1024;
export const registry = new RegistryClient({ baseUrl: PLAIN_REGISTRY });
export { PLAIN_REGISTRY, uniqueRepository };

export const log = (message: string) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------- temp dirs

const temporary: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `ollama-build-bench-${prefix}-`));
  temporary.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    removeTempDirs();
    process.exit(130);
  });
}

/**
 * Runs a benchmark: `body` returns the figures and the goals it missed. The figures are the last line of
 * stdout; missed goals go to stderr and make the exit status 1. Temp dirs are removed in every case.
 */
export async function bench(name: string, body: () => Promise<{ figures: object; missed: string[] }>): Promise<void> {
  let code = 0;
  // Other work on the machine skews every timing: say how busy it was.
  const load = () => round(loadavg()[0] ?? 0);
  const machine = { cpus: availableParallelism(), load_avg_1m_start: load() };
  log(`${name}: ${machine.cpus} CPUs, load average ${machine.load_avg_1m_start}`);
  try {
    const result = await body();
    const missed = result.missed;
    const figures = { ...result.figures, ...machine, load_avg_1m_end: load() };
    for (const goal of missed) log(`${name}: goal missed: ${goal}`);
    if (missed.length === 0) log(`${name}: every goal met`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    code = missed.length === 0 ? 0 : 1;
  } catch (error) {
    log(`${name}: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    code = 2;
  } finally {
    removeTempDirs();
  }
  process.exit(code);
}

// ------------------------------------------------------------------ timing

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

// ------------------------------------------------------------------ runner

/** A Runner that passes everything to `inner` and keeps each command's argv (file first). */
export function recordingRunner(inner: Runner = runProcess): { run: Runner; commands: string[][] } {
  const commands: string[][] = [];
  const run: Runner = (file, args, options) => {
    commands.push([file, ...args]);
    return inner(file, args, options);
  };
  return { run, commands };
}

export const isBuildxBuild = (argv: readonly string[]) =>
  path.basename(argv[0] ?? "") === "docker" && argv[1] === "buildx" && argv[2] === "build";

// ---------------------------------------------------------------- projects

export interface BenchProject {
  root: string;
  image: string;
  namespace: string;
  store: string;
  voiceAgentFile: string;
}

/**
 * The three Theo Modelfiles of modelfiles/ (voice agent and transcribe FROM qwen3:4b, classifier FROM
 * functiongemma:270m), with their bases seeded into a fresh namespace of the test registry, locked.
 */
export async function makeTheoProject(sizes: { qwen3: number; functiongemma: number }): Promise<BenchProject> {
  await requireRegistry();
  const ollamaImage = await standinImage();
  const namespace = uniqueRepository("bench-lib");
  log(
    `seeding ${namespace}/qwen3:4b (${sizes.qwen3 / MiB} MiB) and ${namespace}/functiongemma:270m (${sizes.functiongemma / MiB} MiB)`,
  );
  await seedOllamaModel(registry, { repository: `${namespace}/qwen3`, tag: "4b", weightBytes: sizes.qwen3 });
  await seedOllamaModel(registry, {
    repository: `${namespace}/functiongemma`,
    tag: "270m",
    weightBytes: sizes.functiongemma,
  });
  const root = tempDir("project");
  const image = `${PLAIN_REGISTRY.replace(/^https?:\/\//, "")}/${uniqueRepository("bench-img")}/models`;
  for (const name of ["theo-voice-agent", "theo-transcribe", "theo-classifier"]) {
    const text = readFileSync(path.join(repositoryRoot, "modelfiles", `${name}.modelfile`), "utf8")
      .replace(/^FROM qwen3:4b$/m, `FROM ${namespace}/qwen3:4b`)
      .replace(/^FROM functiongemma:270m$/m, `FROM ${namespace}/functiongemma:270m`);
    if (!text.includes(`FROM ${namespace}/`)) throw new Error(`modelfiles/${name}.modelfile: no FROM to rewrite`);
    mkdirSync(path.join(root, "modelfiles"), { recursive: true });
    writeFileSync(path.join(root, "modelfiles", `${name}.modelfile`), text);
  }
  writeFileSync(
    path.join(root, "ollama-build.yml"),
    `image: ${image}\nollama-image: ${ollamaImage}\nollama-registry: ${PLAIN_REGISTRY}\n`,
  );
  await testPipeline(root).lock();
  return {
    root,
    image,
    namespace,
    store: path.join(root, ".store"),
    voiceAgentFile: path.join(root, "modelfiles", "theo-voice-agent.modelfile"),
  };
}

/** Edits only the voice agent's SYSTEM text (one more sentence in it). */
export function editVoiceAgentSystem(project: BenchProject, sentence: string): void {
  const text = readFileSync(project.voiceAgentFile, "utf8");
  const marker = 'SYSTEM """Você é a Theo, atendente virtual por telefone.';
  if (!text.includes(marker)) throw new Error(`${project.voiceAgentFile}: the SYSTEM text is not where expected`);
  writeFileSync(project.voiceAgentFile, text.replace(marker, `${marker} ${sentence}`));
}

/** `build` as the CLI runs it: the pipeline's build, pushing to the project's image. */
export async function buildProject(
  project: BenchProject,
  options: { run?: Runner; workDir?: string } = {},
): Promise<BuildReport> {
  return testPipeline(project.root, {
    run: options.run ?? runProcess,
    context: { source: { sha: "0123456789abcdef0123456789abcdef01234567", branch: "main" } },
    push: true,
    store: project.store,
    ...(options.workDir === undefined ? {} : { workDir: options.workDir }),
    log: (line) => {
      const first = line.split("\n")[0] ?? "";
      if (!line.startsWith("recipe:")) log(`  build: ${first.length > 200 ? `${first.slice(0, 200)}…` : first}`);
    },
  }).build();
}

// ------------------------------------------------------------ push figures

/** Everything a push of `reference` put into the local registry. */
export async function pushedImage(reference: string): Promise<PushedImage> {
  const { repository, tag } = splitImageReference(reference);
  return readPushedImage(registry, parseImageRepository(repository).path, tag);
}

export { pushBytes };

/** Removes images the benchmark left in the local engine (the registry keeps them). */
export async function forgetLocalImages(references: readonly string[]): Promise<void> {
  for (const reference of references) await runProcess("docker", ["image", "rm", "--force", reference]);
}

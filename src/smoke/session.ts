/**
 * A smoke of one image: per model, load it cold (recording Ollama's `load_duration`), send discarded warm-ups
 * (a prompt no case uses), then the timed runs, round by round; then the report. A session may meet its server
 * more than once (a paired smoke in blocks reboots it), and two sessions may take turns round by round (a paired
 * smoke with both servers up): `round` is the unit they interleave by.
 *
 * Prompt caching: Ollama reuses the KV cache of the longest matching prefix it holds. Production requests share
 * the system prompt and tools and differ in the caller's words, so the runs are ordered to look like that:
 * round-robin over the model's cases, streamed requests first and the native timing requests after the whole
 * round, so no request directly repeats the one before it. With no more cases than the server has parallel
 * slots a repeat still finds its own prompt cached; `prompt_tokens` (what Ollama actually evaluated) shows it.
 */
import type { OllamaClient } from "./client.js";
import { type MetricSamples, samplesOf, type TimedRun } from "./metrics.js";
import {
  addNativeTimings,
  type CaseRuns,
  failedModel,
  type ModelResult,
  type ModelRuns,
  missingModel,
  modelResult,
  passedRun,
  type RunOutcome,
  type SmokeOptions,
  sameModel,
  sampleWhile,
  streamedRun,
  warmupRequest,
} from "./run.js";
import type { CaseSuite, SmokeCase, SmokeReport } from "./types.js";

export class CaseSession {
  readonly cases: SmokeCase[];
  private readonly runs = new Map<string, ModelRuns>();
  private readonly failed = new Map<string, string>();
  private readonly sampling = new Map<string, () => Promise<number | undefined>>();
  private server?: { endpoint: string; ollama_version: string };
  private readonly log: (line: string) => void;

  constructor(
    private readonly suite: CaseSuite,
    private readonly options: SmokeOptions,
  ) {
    this.cases =
      options.repeat === undefined ? suite.cases : suite.cases.map((c) => ({ ...c, repeat: options.repeat as number }));
    this.log = options.log ?? (() => {});
  }

  /** The suite's models, with their cases, in the order the case files name them. */
  models(): Map<string, SmokeCase[]> {
    return Map.groupBy(this.cases, (c) => c.model);
  }

  /** How many rounds a model's cases take (its longest repeat). */
  rounds(model: string): number {
    return Math.max(...(this.models().get(model) ?? []).map((c) => c.repeat));
  }

  /** Meets a server: the first one is the report's; a model the server lacks fails its cases. */
  async connect(client: OllamaClient): Promise<void> {
    this.server ??= { endpoint: client.endpoint, ollama_version: await client.version() };
    const available = await client.models();
    for (const model of this.models().keys()) {
      const missing = missingModel(available, model);
      if (missing !== undefined && !this.failed.has(model)) this.failed.set(model, missing);
    }
  }

  /** Whether the model is still being smoked (not missing, nothing failed). */
  active(model: string): boolean {
    return !this.failed.has(model);
  }

  /** One model that cannot be loaded or run (out of memory, a broken blob) must not hide the others' results. */
  fail(model: string, error: unknown): void {
    if (!this.failed.has(model))
      this.failed.set(model, `model ${model} could not be smoked: ${(error as Error).message}`);
  }

  /** Loads the model cold unless the server has it (timing only the first load), then the warm-ups. */
  async prepare(client: OllamaClient, model: string): Promise<void> {
    const cases = this.models().get(model) ?? [];
    let runs = this.runs.get(model);
    if (runs === undefined) {
      runs = { entries: cases.map((testCase): CaseRuns => ({ testCase, runs: [], failures: [] })) };
      this.runs.set(model, runs);
    }
    if (!(await client.loaded()).some((m) => sameModel(m.name, model))) {
      const { loadMs } = await client.load(model);
      if (runs.loadMs === undefined && loadMs !== undefined) runs.loadMs = loadMs;
      this.log(`${model}: loaded in ${loadMs ?? "?"} ms`);
    }
    for (let i = 0; i < this.suite.warmups; i++) await client.chat(warmupRequest(cases[0] as SmokeCase), true);
    this.sampling.set(model, sampleWhile(this.options.gpuMemory, this.options.sampleEveryMs ?? 500));
  }

  /** How many of the model's cases still repeat in this round: the round's steps. */
  steps(model: string, round: number): number {
    return this.entriesIn(model, round).length;
  }

  private entriesIn(model: string, round: number): CaseRuns[] {
    return (this.runs.get(model)?.entries ?? []).filter((e) => round < e.testCase.repeat);
  }

  /** The round's `step`-th case, streamed: its timed run. */
  async streamed(client: OllamaClient, model: string, round: number, step: number): Promise<void> {
    await streamedRun(client, this.entriesIn(model, round)[step] as CaseRuns);
  }

  /** The round's `step`-th case, its native timings after the whole round was streamed; then its verdict logged. */
  async native(client: OllamaClient, model: string, round: number, step: number): Promise<void> {
    const entry = this.entriesIn(model, round)[step] as CaseRuns;
    await addNativeTimings(client, entry);
    const failures = entry.failures.at(-1) as RunOutcome;
    const { observation } = entry.runs.at(-1) as TimedRun;
    const first = observation.ttftMs ?? observation.tToolMs;
    const verdict = passedRun(failures)
      ? "pass"
      : `FAIL: ${[...failures.tools, ...failures.content, ...failures.timing].join("; ")}`;
    this.log(
      `${model}: ${entry.testCase.id} ${round + 1}/${entry.testCase.repeat} ${verdict}${first === undefined ? "" : ` (${first} ms)`}`,
    );
  }

  /** One round: a streamed run of each case still repeating, then their native timings, each logged. */
  async round(client: OllamaClient, model: string, round: number): Promise<void> {
    const steps = this.steps(model, round);
    for (let step = 0; step < steps; step++) await this.streamed(client, model, round, step);
    for (let step = 0; step < steps; step++) await this.native(client, model, round, step);
  }

  /** The end of a model's time on a server: what /api/ps lists for it, and the GPU's highest reading. */
  async finish(client: OllamaClient, model: string): Promise<void> {
    const runs = this.runs.get(model);
    const gpu = await this.sampling.get(model)?.();
    if (runs === undefined) return;
    if (gpu !== undefined) runs.gpuUsedMib = Math.max(runs.gpuUsedMib ?? 0, gpu);
    const loaded = (await client.loaded()).find((m) => sameModel(m.name, model));
    if (loaded !== undefined) runs.loaded = loaded;
  }

  /**
   * Runs a share of every model's rounds on one server: `share` is the part of them, `[0, 1]` all of them,
   * `[0, 0.5]` the first half (by each model's own count).
   */
  async run(client: OllamaClient, share: readonly [number, number] = [0, 1]): Promise<void> {
    await this.connect(client);
    for (const model of this.models().keys()) {
      if (!this.active(model)) continue;
      const rounds = this.rounds(model);
      try {
        await this.prepare(client, model);
        for (let round = Math.floor(rounds * share[0]); round < Math.floor(rounds * share[1]); round++) {
          await this.round(client, model, round);
        }
        await this.finish(client, model);
      } catch (error) {
        this.fail(model, error);
      }
    }
  }

  private results(): Map<string, ModelResult> {
    const results = new Map<string, ModelResult>();
    for (const [model, cases] of this.models()) {
      const reason = this.failed.get(model);
      const runs = this.runs.get(model);
      results.set(
        model,
        reason !== undefined || runs === undefined
          ? failedModel(model, cases, reason ?? `model ${model} was not smoked`)
          : modelResult(model, runs, this.suite, this.options),
      );
    }
    return results;
  }

  report(): SmokeReport {
    if (this.server === undefined) throw new Error("the smoke never reached a server");
    const report: SmokeReport = {
      passed: true,
      failures: [],
      environment: { ...this.options.environment, ...this.server },
      models: {},
      cases: [],
    };
    for (const [model, result] of this.results()) {
      report.models[model] = result.report;
      // A server elsewhere says where it put each model: on a GPU when any of it is in VRAM.
      if ((result.report.memory?.size_vram_bytes ?? 0) > 0) report.environment.gpu = true;
      report.cases.push(...result.cases);
      report.failures.push(...result.failures);
    }
    report.passed = report.failures.length === 0;
    return report;
  }

  /**
   * Per model, the per-request values of every metric (what a paired comparison tests), one slot per case and
   * round in a fixed order, so two sessions of one suite line up slot by slot whatever either one failed to run.
   */
  samples(): Record<string, MetricSamples> {
    const slots = (runs: ModelRuns) =>
      runs.entries.flatMap((e) => Array.from({ length: e.testCase.repeat }, (_, round) => e.runs[round]));
    return Object.fromEntries([...this.runs].map(([model, runs]) => [model, samplesOf(slots(runs))]));
  }

  /** Per model, its resident size (/api/ps) when the server listed it. */
  residentBytes(): Record<string, number | undefined> {
    return Object.fromEntries([...this.runs].map(([model, runs]) => [model, runs.loaded?.size]));
  }
}

/** Runs a case suite against one server and makes the report. */
export async function runCases(client: OllamaClient, suite: CaseSuite, options: SmokeOptions): Promise<SmokeReport> {
  const session = new CaseSession(suite, options);
  await session.run(client);
  return session.report();
}

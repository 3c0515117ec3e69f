/**
 * One case's runs and how they are judged: a streamed request (and its non-streamed twin when the case compares
 * them), the native API's timings for the same request, the case's verdict, and a model's figures and budgets.
 * session.ts puts them in order.
 */
import { canonicalModelRef } from "../project/model-ref.js";
import { type BudgetSubject, mergeBudgets, missedBudgets } from "./budgets.js";
import type { ChatRequest, LoadedModel, OllamaClient } from "./client.js";
import { checkRun, type RunFailures } from "./match.js";
import type { BudgetKey } from "./metric-registry.js";
import { aggregate, type TimedRun } from "./metrics.js";
import type {
  BudgetOverrides,
  Budgets,
  CaseReport,
  CaseSuite,
  ModelMemory,
  ModelReport,
  SmokeCase,
  SmokeEnvironment,
} from "./types.js";

/** Samples host GPU memory (MiB in use) while a model runs; undefined without a GPU. */
export type GpuMemorySampler = () => Promise<number | undefined>;

export interface SmokeOptions {
  environment: Omit<SmokeEnvironment, "ollama_version" | "endpoint">;
  /**
   * The defaults for a model on a GPU and on the CPU (`DEFAULT_BUDGETS`), chosen per model by where Ollama put
   * it (`size_vram`), so they fit a server elsewhere too; judged only where there is data.
   */
  defaultBudgets: Record<"gpu" | "cpu", Budgets>;
  budgets?: BudgetOverrides;
  /** Replaces every case's repeat count. */
  repeat?: number;
  gpuMemory?: GpuMemorySampler;
  /** How often GPU memory is sampled. */
  sampleEveryMs?: number;
  log?: (line: string) => void;
}

const MIB = 1024 * 1024;

/** Ollama lists `name:latest` for a model created as `name`: compare names as Ollama does. */
export const sameModel = (a: string, b: string) => canonicalModelRef(a) === canonicalModelRef(b);

/** Why a model cannot be smoked on a server that lists `available` (/api/tags); undefined when it is there. */
export function missingModel(available: readonly string[], model: string): string | undefined {
  if (available.some((name) => sameModel(name, model))) return undefined;
  return `model ${model} is not on the server (it has: ${available.join(", ") || "no models"})`;
}

const requestOf = (testCase: SmokeCase): ChatRequest => ({
  model: testCase.model,
  messages: testCase.messages,
  tools: testCase.tools,
  request: testCase.request,
});

/** The first case's request with the caller's words replaced: warms the model and the shared prefix only. */
export const warmupRequest = (testCase: SmokeCase): ChatRequest => ({
  ...requestOf(testCase),
  messages: [
    ...testCase.messages.filter((m) => m.role === "system"),
    { role: "user", content: "Olá! Só testando a linha, tudo bem?" },
  ],
});

const checksTools = (testCase: SmokeCase) =>
  testCase.expect.tool_calls !== undefined || testCase.expect.no_tool_call === true;

export const passedRun = (failures: RunOutcome) =>
  failures.tools.length === 0 && failures.content.length === 0 && failures.timing.length === 0;

function casePassed(testCase: SmokeCase, runs: number, passes: number): boolean {
  if (testCase.critical || testCase.pass === "all") return passes === runs;
  return passes >= Math.min(testCase.pass.at_least, runs);
}

const percent = (part: number, whole: number) => Math.round((part / whole) * 1000) / 10;

/** Samples GPU memory until stopped; resolves to the highest reading. */
export function sampleWhile(sampler: GpuMemorySampler | undefined, everyMs: number): () => Promise<number | undefined> {
  if (sampler === undefined) return async () => undefined;
  let highest: number | undefined;
  let running = true;
  const loop = (async () => {
    while (running) {
      const reading = await sampler().catch(() => undefined);
      if (reading !== undefined) highest = Math.max(highest ?? 0, reading);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return highest;
  };
}

/** A run's failures: the case's checks, and the native timing request (which is not the model's fault). */
export type RunOutcome = RunFailures & { timing: string[] };

export interface CaseRuns {
  testCase: SmokeCase;
  runs: TimedRun[];
  failures: RunOutcome[];
}

/** One streamed run (and its non-streamed twin when the case compares them); timings come later. */
export async function streamedRun(client: OllamaClient, entry: CaseRuns): Promise<void> {
  const request = requestOf(entry.testCase);
  const observation = await client.chat(request, true);
  const nonStream = entry.testCase.expect.stream_matches_nonstream ? await client.chat(request, false) : undefined;
  entry.runs.push({ observation });
  entry.failures.push({ ...checkRun(entry.testCase, observation, nonStream), timing: [] });
}

/** The native API's durations for the same request, added to the run; a failure fails the run. */
export async function addNativeTimings(client: OllamaClient, entry: CaseRuns): Promise<void> {
  const run = entry.runs.at(-1) as TimedRun;
  if (run.observation.error !== undefined) return;
  try {
    run.native = await client.nativeTimings(requestOf(entry.testCase));
  } catch (error) {
    (entry.failures.at(-1) as RunOutcome).timing.push(`native /api/chat failed: ${(error as Error).message}`);
  }
}

function reasonsWithRuns(failures: RunOutcome[]): string[] {
  // One line per distinct reason, naming the runs it happened in (a flaky case shows which).
  const runsByReason = new Map<string, number[]>();
  failures.forEach(({ tools, content, timing }, run) => {
    for (const reason of [...tools, ...content, ...timing]) {
      runsByReason.set(reason, [...(runsByReason.get(reason) ?? []), run + 1]);
    }
  });
  return [...runsByReason].map(
    ([reason, runs]) => `${reason} (run${runs.length > 1 ? "s" : ""} ${runs.join(", ")} of ${failures.length})`,
  );
}

function caseReport(entry: CaseRuns, budgetFailures: string[]): CaseReport {
  const { testCase, failures } = entry;
  const passes = failures.filter(passedRun).length;
  return {
    id: testCase.id,
    model: testCase.model,
    file: testCase.file,
    critical: testCase.critical,
    passed: casePassed(testCase, failures.length, passes) && budgetFailures.length === 0,
    runs: failures.length,
    passes,
    flaky: passes > 0 && passes < failures.length,
    failures: [...reasonsWithRuns(failures), ...budgetFailures],
  };
}

/** Tool accuracy counts the tool-call checks only: a too-long answer is a content failure, not a wrong call. */
function toolAccuracy(entries: CaseRuns[]): number | undefined {
  const runs = entries.filter((e) => checksTools(e.testCase)).flatMap((e) => e.failures);
  return runs.length === 0 ? undefined : percent(runs.filter((f) => f.tools.length === 0).length, runs.length);
}

function memoryOf(loaded: LoadedModel | undefined, gpuUsedMib: number | undefined): ModelMemory | undefined {
  if (loaded === undefined && gpuUsedMib === undefined) return undefined;
  // A model /api/ps did not list has no size: nothing is recorded rather than a measured-looking zero.
  return {
    ...(loaded === undefined ? {} : { size_bytes: loaded.size, size_vram_bytes: loaded.size_vram }),
    ...(loaded?.context_length === undefined ? {} : { context_length: loaded.context_length }),
    ...(gpuUsedMib === undefined ? {} : { gpu_used_mib: gpuUsedMib }),
  };
}

export interface ModelResult {
  report: ModelReport;
  cases: CaseReport[];
  failures: string[];
}

/** Every case of a model fails with one reason: the model is missing, or it could not be loaded or run. */
export function failedModel(model: string, cases: SmokeCase[], reason: string): ModelResult {
  return {
    report: { metrics: {}, reasoning_runs: 0, budgets: {}, budget_failures: [] },
    cases: cases.map((c) => ({
      id: c.id,
      model,
      file: c.file,
      critical: c.critical,
      passed: false,
      runs: 0,
      passes: 0,
      flaky: false,
      failures: [reason],
    })),
    failures: [reason],
  };
}

/** The budgets' keys a source gave: those must be met by data, where a default only judges what was measured. */
const budgetKeys = (budgets: Budgets) => Object.keys(budgets) as BudgetKey[];

/** Judges the model and each case against their budgets; `vramMib` is the model's own VRAM, when loaded. */
function judge(
  model: string,
  report: ModelReport,
  entries: CaseRuns[],
  vramMib: number | undefined,
  suite: CaseSuite,
  options: SmokeOptions,
): ModelResult {
  const own = <T>(record: Record<string, T> | undefined) =>
    record !== undefined && Object.hasOwn(record, model) ? record[model] : undefined;
  const chosen = mergeBudgets(own(suite.modelBudgets), options.budgets?.all, own(options.budgets?.models));
  const onGpu = (report.memory?.size_vram_bytes ?? 0) > 0;
  report.budgets = mergeBudgets(options.defaultBudgets[onGpu ? "gpu" : "cpu"], chosen);
  const subject: BudgetSubject = {
    metrics: report.metrics,
    tool_accuracy_pct: report.tool_accuracy_pct,
    vram_mib: vramMib,
  };
  report.budget_failures = missedBudgets(report.budgets, subject, budgetKeys(chosen));

  const caseResults = entries.map((entry) => {
    const caseSubject = { metrics: aggregate(entry.runs), tool_accuracy_pct: toolAccuracy([entry]), vram_mib: vramMib };
    const budgetFailures = missedBudgets(entry.testCase.budgets, caseSubject, budgetKeys(entry.testCase.budgets));
    return { report: caseReport(entry, budgetFailures), budgetFailures };
  });
  const failures = [
    ...report.budget_failures.map((f) => `${model}: ${f}`),
    ...caseResults
      .filter(({ report: c, budgetFailures }) => !c.passed && (c.critical || budgetFailures.length > 0))
      .map(
        ({ report: c }) =>
          `${c.critical ? "critical case" : "case"} ${c.id} (${model}) failed: ${c.failures.join("; ")}`,
      ),
  ];
  return { report, cases: caseResults.map((c) => c.report), failures };
}

/** One image's raw runs of one model, gathered over one or more sessions with its server. */
export interface ModelRuns {
  entries: CaseRuns[];
  loadMs?: number;
  gpuUsedMib?: number;
  /** What /api/ps said about the model after its runs. */
  loaded?: LoadedModel;
}

/** A model's figures from its runs, judged against its budgets. */
export function modelResult(model: string, runs: ModelRuns, suite: CaseSuite, options: SmokeOptions): ModelResult {
  const report: ModelReport = { metrics: {}, reasoning_runs: 0, budgets: {}, budget_failures: [] };
  if (runs.loadMs !== undefined) report.load_ms = runs.loadMs;
  const allRuns = runs.entries.flatMap((e) => e.runs);
  report.metrics = aggregate(allRuns);
  report.reasoning_runs = allRuns.filter((r) => r.observation.reasoning !== "").length;
  const accuracy = toolAccuracy(runs.entries);
  if (accuracy !== undefined) report.tool_accuracy_pct = accuracy;
  const memory = memoryOf(runs.loaded, runs.gpuUsedMib);
  if (memory !== undefined) report.memory = memory;
  // The model's own VRAM (Ollama's figure): the host's reading includes every other model still loaded.
  return judge(model, report, runs.entries, runs.loaded && runs.loaded.size_vram / MIB, suite, options);
}

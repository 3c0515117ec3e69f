/**
 * Runs a case suite against a server and makes the report. Per model: load it cold (recording Ollama's
 * `load_duration`), send discarded warm-ups, then the timed runs, round-robin over the model's cases so that
 * consecutive requests differ (Ollama reuses the previous prompt's KV cache; the shared system prompt stays
 * cached, as it does in production, but a case never measures its own cached copy).
 */
import { mergeBudgets, missedBudgets } from "./budgets.js";
import type { ChatRequest, OllamaClient } from "./client.js";
import { checkRun } from "./match.js";
import { aggregate, type TimedRun } from "./metrics.js";
import type { Budgets, CaseReport, CaseSuite, ModelReport, SmokeCase, SmokeEnvironment, SmokeReport } from "./types.js";

/** Samples host GPU memory (MiB in use) while a model runs; undefined without a GPU. */
export type GpuMemorySampler = () => Promise<number | undefined>;

export interface SmokeOptions {
  environment: Omit<SmokeEnvironment, "ollama_version" | "endpoint">;
  /** The environment's defaults (`DEFAULT_BUDGETS.gpu` or `.cpu`); case files override them per model. */
  defaultBudgets: Budgets;
  /** Per-model budgets that override the defaults and the case files (action inputs, CLI flags). */
  budgets?: Budgets;
  /** Replaces every case's repeat count. */
  repeat?: number;
  gpuMemory?: GpuMemorySampler;
  /** How often GPU memory is sampled. */
  sampleEveryMs?: number;
  log?: (line: string) => void;
}

const MIB = 1024 * 1024;

/** Ollama lists `name:latest` for a model created as `name`. */
const withTag = (model: string) => (/:[^/]+$/.test(model) ? model : `${model}:latest`);

const requestOf = (testCase: SmokeCase): ChatRequest => ({
  model: testCase.model,
  messages: testCase.messages,
  tools: testCase.tools,
  request: testCase.request,
});

const checksTools = (testCase: SmokeCase) =>
  testCase.expect.tool_calls !== undefined || testCase.expect.no_tool_call === true;

function casePassed(testCase: SmokeCase, runs: number, passes: number): boolean {
  if (testCase.critical || testCase.pass === "all") return passes === runs;
  return passes >= Math.min(testCase.pass.at_least, runs);
}

/** Samples GPU memory until stopped; resolves to the highest reading. */
function sampleWhile(sampler: GpuMemorySampler | undefined, everyMs: number): () => Promise<number | undefined> {
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

interface CaseRuns {
  testCase: SmokeCase;
  runs: TimedRun[];
  failures: string[][];
}

async function timedRun(client: OllamaClient, testCase: SmokeCase): Promise<{ run: TimedRun; failures: string[] }> {
  const request = requestOf(testCase);
  const observation = await client.chat(request, true);
  const nonStream = testCase.expect.stream_matches_nonstream ? await client.chat(request, false) : undefined;
  const failures = checkRun(testCase, observation, nonStream);
  if (observation.error !== undefined) return { run: { observation }, failures };
  try {
    return { run: { observation, native: await client.nativeTimings(request) }, failures };
  } catch (error) {
    return { run: { observation }, failures: [...failures, `native /api/chat failed: ${(error as Error).message}`] };
  }
}

function caseReport(entry: CaseRuns, budgetFailures: string[]): CaseReport {
  const { testCase, failures } = entry;
  const passes = failures.filter((f) => f.length === 0).length;
  // One line per distinct reason, naming the runs it happened in (a flaky case shows which).
  const runsByReason = new Map<string, number[]>();
  failures.forEach((reasons, run) => {
    for (const reason of reasons) runsByReason.set(reason, [...(runsByReason.get(reason) ?? []), run + 1]);
  });
  const reasons = [...runsByReason].map(
    ([reason, runs]) => `${reason} (run${runs.length > 1 ? "s" : ""} ${runs.join(", ")} of ${failures.length})`,
  );
  return {
    id: testCase.id,
    model: testCase.model,
    file: testCase.file,
    critical: testCase.critical,
    passed: casePassed(testCase, failures.length, passes) && budgetFailures.length === 0,
    runs: failures.length,
    passes,
    flaky: passes > 0 && passes < failures.length,
    failures: [...reasons, ...budgetFailures],
  };
}

async function smokeModel(
  client: OllamaClient,
  model: string,
  cases: SmokeCase[],
  suite: CaseSuite,
  options: SmokeOptions,
): Promise<{ report: ModelReport; cases: CaseReport[]; failures: string[] }> {
  const log = options.log ?? (() => {});
  const loaded = new Set((await client.loaded()).map((m) => withTag(m.name)));
  const report: ModelReport = { metrics: {}, reasoning_runs: 0, budgets: {}, budget_failures: [] };
  if (!loaded.has(withTag(model))) {
    const { loadMs } = await client.load(model);
    if (loadMs !== undefined) report.load_ms = loadMs;
    log(`${model}: loaded in ${loadMs ?? "?"} ms`);
  }
  const stopSampling = sampleWhile(options.gpuMemory, options.sampleEveryMs ?? 500);
  const first = cases[0] as SmokeCase;
  for (let i = 0; i < suite.warmups; i++) await client.chat(requestOf(first), true);

  const entries: CaseRuns[] = cases.map((testCase) => ({ testCase, runs: [], failures: [] }));
  const rounds = Math.max(...cases.map((c) => c.repeat));
  for (let round = 0; round < rounds; round++) {
    for (const entry of entries) {
      if (round >= entry.testCase.repeat) continue;
      const { run, failures } = await timedRun(client, entry.testCase);
      entry.runs.push(run);
      entry.failures.push(failures);
      const ttft = run.observation.ttftMs ?? run.observation.tToolMs;
      log(
        `${model}: ${entry.testCase.id} ${round + 1}/${entry.testCase.repeat} ${failures.length === 0 ? "pass" : `FAIL: ${failures.join("; ")}`}${ttft === undefined ? "" : ` (${ttft} ms)`}`,
      );
    }
  }
  const gpuUsedMib = await stopSampling();

  const allRuns = entries.flatMap((e) => e.runs);
  report.metrics = aggregate(allRuns);
  report.reasoning_runs = allRuns.filter(
    (r) => r.observation.reasoning !== "" && (r.observation.tReasoningMs ?? 0) < (r.observation.ttftMs ?? Infinity),
  ).length;
  const toolRuns = entries.filter((e) => checksTools(e.testCase)).flatMap((e) => e.failures);
  if (toolRuns.length > 0) {
    report.tool_accuracy_pct =
      Math.round((toolRuns.filter((f) => f.length === 0).length / toolRuns.length) * 1000) / 10;
  }
  const memory = (await client.loaded()).find((m) => withTag(m.name) === withTag(model));
  if (memory !== undefined || gpuUsedMib !== undefined) {
    report.memory = {
      size_bytes: memory?.size ?? 0,
      size_vram_bytes: memory?.size_vram ?? 0,
      ...(memory?.context_length === undefined ? {} : { context_length: memory.context_length }),
      ...(gpuUsedMib === undefined ? {} : { gpu_used_mib: gpuUsedMib }),
    };
  }
  report.budgets = mergeBudgets(options.defaultBudgets, suite.modelBudgets[model], options.budgets);
  report.budget_failures = missedBudgets(report.budgets, {
    metrics: report.metrics,
    ...(report.tool_accuracy_pct === undefined ? {} : { toolAccuracyPct: report.tool_accuracy_pct }),
    ...(report.memory === undefined
      ? {}
      : { vramMib: report.memory.gpu_used_mib ?? report.memory.size_vram_bytes / MIB }),
  });

  const caseReports = entries.map((entry) =>
    caseReport(entry, missedBudgets(entry.testCase.budgets, { metrics: aggregate(entry.runs) })),
  );
  const failures = [
    ...report.budget_failures.map((f) => `${model}: ${f}`),
    ...caseReports
      .filter((c) => !c.passed && (c.critical || c.failures.some((f) => f.includes("budget"))))
      .map((c) => `${c.critical ? "critical case" : "case"} ${c.id} (${model}) failed: ${c.failures.join("; ")}`),
  ];
  return { report, cases: caseReports, failures };
}

function missingModel(model: string, cases: SmokeCase[], available: string[]) {
  const reason = `model ${model} is not on the server (it has: ${available.join(", ") || "no models"})`;
  const caseReports: CaseReport[] = cases.map((c) => ({
    id: c.id,
    model,
    file: c.file,
    critical: c.critical,
    passed: false,
    runs: 0,
    passes: 0,
    flaky: false,
    failures: [reason],
  }));
  return {
    report: { metrics: {}, reasoning_runs: 0, budgets: {}, budget_failures: [] } satisfies ModelReport,
    cases: caseReports,
    failures: [reason],
  };
}

export async function runSmoke(client: OllamaClient, suite: CaseSuite, options: SmokeOptions): Promise<SmokeReport> {
  const report: SmokeReport = {
    passed: true,
    failures: [],
    environment: {
      ...options.environment,
      endpoint: client.endpoint,
      ollama_version: await client.version(),
    },
    models: {},
    cases: [],
  };
  const available = await client.models();
  const cases =
    options.repeat === undefined ? suite.cases : suite.cases.map((c) => ({ ...c, repeat: options.repeat as number }));
  const byModel = Map.groupBy(cases, (c) => c.model);
  for (const [model, modelCases] of byModel) {
    const result = available.some((name) => withTag(name) === withTag(model))
      ? await smokeModel(client, model, modelCases, suite, options)
      : missingModel(model, modelCases, available);
    report.models[model] = result.report;
    report.cases.push(...result.cases);
    report.failures.push(...result.failures);
  }
  report.passed = report.failures.length === 0;
  return report;
}

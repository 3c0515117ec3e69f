/**
 * A smoke shaped like production: the case files' `load:` scripts run as concurrent conversations (as many at
 * once as the server serves, OLLAMA_NUM_PARALLEL, unless the files say otherwise), while /api/ps is sampled to
 * prove the models that must stay resident together do. What it measures per model: TTFT and time to a tool call
 * through the same streaming client the agent uses, decode speed and queue wait from each request's native twin
 * (load-native.ts says why the queue wait is not `load_duration`), the memory the models take together, and when
 * a resident model was evicted. Budgets under load bound the slow tail (p95).
 */
import { performance } from "node:perf_hooks";
import type { OllamaClient } from "./client.js";
import type { LoadProfile, LoadScript } from "./load-cases.js";
import { type ConversationResult, runConversation } from "./load-conversation.js";
import { conversationFailureLines, evictionLine, modelsOf, modelUnderLoad } from "./load-judge.js";
import type { LoadReport } from "./load-report.js";
import { type Residency, sizeOf, watchResidency } from "./load-residency.js";
import { missingModel } from "./run.js";
import type { CaseSuite, SmokeReport } from "./types.js";

export interface LoadOptions {
  /** The image's OLLAMA_NUM_PARALLEL, when known: the default number of conversations at once. */
  concurrency?: number;
  log?: (line: string) => void;
  /** How often /api/ps is sampled; 250 ms by default. */
  sampleEveryMs?: number;
}

/** With no setting and no image to ask: Ollama's usual OLLAMA_NUM_PARALLEL for a voice agent and a classifier. */
export const DEFAULT_LOAD_CONCURRENCY = 2;
export const DEFAULT_SAMPLE_EVERY_MS = 250;

function concurrencyOf(profile: LoadProfile, given: number | undefined) {
  if (profile.concurrency !== undefined) return { concurrency: profile.concurrency, from: "case files" } as const;
  if (given !== undefined && given > 0) return { concurrency: given, from: "image" } as const;
  return { concurrency: DEFAULT_LOAD_CONCURRENCY, from: "default" } as const;
}

/** The next script to start, the scripts in turn, until the count is reached or the time is up. */
function dispatcher(profile: LoadProfile, clock: () => number): () => LoadScript | undefined {
  let started = 0;
  return () => {
    const { extent } = profile;
    const more = "conversations" in extent ? started < extent.conversations : clock() < extent.durationMs;
    if (!more) return undefined;
    return profile.scripts[started++ % profile.scripts.length];
  };
}

/** Loads every model the load needs (each once, resident ones first); what fails is a failure line. */
async function loadModels(client: OllamaClient, profile: LoadProfile, log: (line: string) => void): Promise<string[]> {
  const available = await client.models();
  const failures: string[] = [];
  for (const model of modelsOf(profile)) {
    const missing = missingModel(available, model);
    if (missing !== undefined) {
      failures.push(missing);
      continue;
    }
    await client.load(model).then(
      ({ loadMs }) => log(`load: ${model} loaded (${loadMs ?? "?"} ms)`),
      (error: Error) => failures.push(`model ${model} could not be loaded: ${error.message}`),
    );
  }
  return failures;
}

/** Runs the conversations, `concurrency` at a time; each worker starts the next script when its own ends. */
async function converse(
  client: OllamaClient,
  profile: LoadProfile,
  concurrency: number,
  clock: () => number,
  options: LoadOptions,
): Promise<ConversationResult[]> {
  const log = options.log ?? (() => {});
  const next = dispatcher(profile, clock);
  const results: ConversationResult[] = [];
  const worker = async () => {
    for (let script = next(); script !== undefined; script = next()) {
      const result = await runConversation(client, script);
      results.push(result);
      const verdict = result.failure === undefined ? "pass" : `FAIL: ${result.failure}`;
      log(`load: ${script.id} (${script.model}) at ${Math.round(clock())} ms: ${verdict}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

function report(
  profile: LoadProfile,
  setting: ReturnType<typeof concurrencyOf>,
  results: ConversationResult[],
  residency: Residency,
  timing: { durationMs: number; sampleEveryMs: number; failures: string[] },
): LoadReport {
  const models: LoadReport["models"] = {};
  for (const model of modelsOf(profile)) {
    const own = results.filter((result) => result.script.model === model);
    const size = sizeOf(residency, model);
    models[model] = {
      ...modelUnderLoad(own, profile.budgets[model]),
      ...(size === undefined ? {} : { size_bytes: size.size, size_vram_bytes: size.size_vram }),
    };
  }
  const failures = [
    ...timing.failures,
    ...residency.evictions.map((eviction) => evictionLine(eviction, residency.samples)),
    ...residency.errors,
    ...conversationFailureLines(results),
    ...Object.entries(models).flatMap(([model, figures]) => figures.budget_failures.map((f) => `${model}: ${f}`)),
  ];
  return {
    passed: failures.length === 0,
    failures,
    concurrency: setting.concurrency,
    concurrency_from: setting.from,
    conversations: results.length,
    conversations_passed: results.filter((result) => result.failure === undefined).length,
    duration_ms: Math.round(timing.durationMs),
    resident: profile.resident,
    samples: residency.samples,
    sample_every_ms: timing.sampleEveryMs,
    ...(residency.residentMemory === undefined ? {} : { resident_memory: residency.residentMemory }),
    evictions: residency.evictions,
    models,
  };
}

/** The load profile's run against a server; undefined when the case files have no `load:` section. */
export async function runLoadProfile(
  client: OllamaClient,
  suite: CaseSuite,
  options: LoadOptions = {},
): Promise<LoadReport | undefined> {
  const profile = suite.load;
  if (profile === undefined) return undefined;
  const log = options.log ?? (() => {});
  const setting = concurrencyOf(profile, options.concurrency);
  const sampleEveryMs = options.sampleEveryMs ?? DEFAULT_SAMPLE_EVERY_MS;
  const extent =
    "conversations" in profile.extent
      ? `${profile.extent.conversations} conversations`
      : `${profile.extent.durationMs / 1000} s`;
  log(
    `load: ${extent}, ${setting.concurrency} at a time (${setting.from}); resident: ${profile.resident.join(", ") || "none"}`,
  );
  const failures = await loadModels(client, profile, log);
  const started = performance.now();
  const clock = () => performance.now() - started;
  const watch = watchResidency(client, profile.resident, sampleEveryMs, clock);
  const results = await converse(client, profile, setting.concurrency, clock, options).catch(async (error) => {
    // The sampler must not keep polling the server after the smoke, whatever happened.
    await watch.stop();
    throw error;
  });
  const durationMs = clock();
  const residency = await watch.stop();
  return report(profile, setting, results, residency, { durationMs, sampleEveryMs, failures });
}

/** Puts the load's report into the smoke report; a load that failed fails the smoke, its reasons marked. */
export function attachLoadReport(smoke: SmokeReport, load: LoadReport | undefined): void {
  if (load === undefined) return;
  smoke.load = load;
  smoke.failures.push(...load.failures.map((failure) => `under load: ${failure}`));
  smoke.passed = smoke.passed && load.passed;
}

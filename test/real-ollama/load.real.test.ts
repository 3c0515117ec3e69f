/**
 * The smoke under load against the real Ollama (the newest version test/services builds), with two generated
 * lookup models — a voice agent whose call goes tool call → tool result → answer, and a classifier — each its own
 * GGUF (test/fixtures/real-ollama/load/). A server like the seed's (OLLAMA_NUM_PARALLEL=2,
 * OLLAMA_MAX_LOADED_MODELS=2) keeps both resident while two conversations run at once, and the multi-turn
 * conversation is judged on its answer to the tool's result; a server that keeps one model loaded
 * (OLLAMA_MAX_LOADED_MODELS=1) evicts the agent, and the load fails saying which model and when.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCaseSuite } from "../../src/smoke/cases.js";
import { ollamaClient } from "../../src/smoke/client.js";
import { runLoadProfile } from "../../src/smoke/load.js";
import type { LoadReport } from "../../src/smoke/load-report.js";
import type { CaseSuite } from "../../src/smoke/types.js";
import { parseBehaviour } from "./behaviour.js";
import { buildLookupModel } from "./lookup-model.js";
import { type OllamaServer, startOllama } from "./server.js";
import { recordSummary } from "./summary.js";
import { NEWEST_OLLAMA } from "./versions.js";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/real-ollama/load");
const AGENT = "load-voice-agent";
const CLASSIFIER = "load-classifier";

const suite = (): CaseSuite =>
  loadCaseSuite([{ file: "cases.yaml", text: readFileSync(path.join(FIXTURE, "cases.yaml"), "utf8") }]);

/** A real `ollama serve` with both generated models created from their behaviour files. */
async function serverWithModels(env: Record<string, string>): Promise<OllamaServer> {
  const server = await startOllama(NEWEST_OLLAMA, env);
  try {
    for (const behaviourFile of ["voice-agent.yaml", "classifier.yaml"]) {
      const behaviour = parseBehaviour(readFileSync(path.join(FIXTURE, behaviourFile), "utf8"), behaviourFile);
      const model = buildLookupModel(behaviour);
      const gguf = `${behaviour.name}.gguf`;
      writeFileSync(path.join(server.dir, gguf), model.gguf);
      writeFileSync(path.join(server.dir, `${behaviour.name}.Modelfile`), model.modelfile(`./${gguf}`));
      const created = await server.cli(["create", behaviour.name, "-f", `${behaviour.name}.Modelfile`], {
        cwd: server.dir,
      });
      expect(created.exitCode, created.stderr).toBe(0);
    }
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The figures worth keeping from a load: p50/p95 per model, resident memory, evictions. */
const figures = (load: LoadReport) => ({
  conversations: `${load.conversations_passed}/${load.conversations}`,
  concurrency: load.concurrency,
  duration_ms: load.duration_ms,
  resident_memory_bytes: load.resident_memory?.size_bytes,
  evictions: load.evictions.map((e) => `${e.model} at ${e.at_ms} ms`),
  models: Object.fromEntries(
    Object.entries(load.models).map(([model, m]) => [
      model,
      Object.fromEntries(Object.entries(m.metrics).map(([key, d]) => [key, { n: d.n, p50: d.p50, p95: d.p95 }])),
    ]),
  ),
});

describe(`the smoke under load against Ollama ${NEWEST_OLLAMA}`, () => {
  describe("OLLAMA_NUM_PARALLEL=2, OLLAMA_MAX_LOADED_MODELS=2 (the seed's server)", () => {
    let server: OllamaServer;
    beforeAll(async () => {
      server = await serverWithModels({ OLLAMA_NUM_PARALLEL: "2", OLLAMA_MAX_LOADED_MODELS: "2" });
    }, 120_000);
    afterAll(() => server?.stop());

    it("keeps both models resident, judges the answer to the tool result, and reports the p95 under load", async () => {
      const load = (await runLoadProfile(ollamaClient(server.url), suite(), { concurrency: 2 })) as LoadReport;
      expect(load.failures).toEqual([]);
      expect(load).toMatchObject({ passed: true, concurrency: 2, concurrency_from: "image", conversations: 8 });
      expect(load.conversations_passed).toBe(8);
      expect(load.evictions).toEqual([]);
      expect(load.resident).toEqual([AGENT, CLASSIFIER]);
      expect(load.samples).toBeGreaterThan(1);
      // Both listed by /api/ps at once: their memory together is the sum of Ollama's own figures.
      const agent = load.models[AGENT];
      const classifier = load.models[CLASSIFIER];
      expect(load.resident_memory?.size_bytes).toBe((agent?.size_bytes ?? 0) + (classifier?.size_bytes ?? 0));
      expect(agent?.size_bytes).toBeGreaterThan(0);
      // Four transfers of two turns (a tool call, then the answer to its result) and four classifications.
      expect(agent).toMatchObject({ conversations: 4, conversations_passed: 4, requests: 8, budget_failures: [] });
      expect(classifier).toMatchObject({ conversations: 4, conversations_passed: 4, requests: 4, budget_failures: [] });
      expect(agent?.metrics.t_tool_ms?.n).toBe(4);
      expect(agent?.metrics.ttft_ms?.n).toBe(4);
      expect(classifier?.metrics.ttft_ms?.n).toBe(4);
      for (const model of [agent, classifier]) {
        expect(model?.metrics.queue_wait_ms?.p95).toBeGreaterThanOrEqual(0);
        expect(model?.metrics.decode_tps?.p50).toBeGreaterThan(0);
      }
      recordSummary(`load-${NEWEST_OLLAMA}-resident`, { load: { [`${NEWEST_OLLAMA}/max-loaded-2`]: figures(load) } });
    });

    it("with more conversations than slots, requests queue: the queue wait shows it, load_duration does not", async () => {
      // Four conversations at once on the agent's two slots: at any moment two requests wait for a slot.
      const profile = suite();
      if (profile.load !== undefined) {
        profile.load.scripts = profile.load.scripts.filter((script) => script.model === AGENT);
        profile.load.extent = { conversations: 4 };
        profile.load.resident = [AGENT];
      }
      const load = (await runLoadProfile(ollamaClient(server.url), profile, { concurrency: 4 })) as LoadReport;
      expect(load.failures).toEqual([]);
      const agent = load.models[AGENT];
      // The scheduler hands a loaded model's runner over at once (load_duration); the slot is waited for after.
      expect(agent?.metrics.queue_wait_ms?.p95).toBeGreaterThan(agent?.metrics.load_duration_ms?.p95 ?? Infinity);
      recordSummary(`load-${NEWEST_OLLAMA}-queued`, { load: { [`${NEWEST_OLLAMA}/4-on-2-slots`]: figures(load) } });
    });
  });

  describe("OLLAMA_MAX_LOADED_MODELS=1: the classifier evicts the agent", () => {
    let server: OllamaServer;
    beforeAll(async () => {
      server = await serverWithModels({ OLLAMA_NUM_PARALLEL: "2", OLLAMA_MAX_LOADED_MODELS: "1" });
    }, 120_000);
    afterAll(() => server?.stop());

    it("fails the load naming the evicted model and when it went", async () => {
      const profile = suite();
      if (profile.load !== undefined) profile.load.extent = { conversations: 4 };
      const load = (await runLoadProfile(ollamaClient(server.url), profile, { concurrency: 2 })) as LoadReport;
      expect(load.passed).toBe(false);
      // Loading the classifier (after the agent) unloaded the agent before the first conversation started.
      const eviction = load.evictions.find((e) => e.model === AGENT);
      expect(eviction?.loaded_then).toEqual([`${CLASSIFIER}:latest`]);
      expect(load.failures).toContainEqual(
        `${AGENT} must stay resident but was not loaded ${eviction?.at_ms} ms into the load ` +
          `(/api/ps listed: ${CLASSIFIER}:latest; missing in ${eviction?.missing_samples} of ${load.samples} samples)`,
      );
      expect(load.resident_memory).toBeUndefined();
      // The conversations still get their answers, a model load at a time.
      expect(load.conversations_passed).toBe(4);
      recordSummary(`load-${NEWEST_OLLAMA}-evicted`, { load: { [`${NEWEST_OLLAMA}/max-loaded-1`]: figures(load) } });
    });
  });
});

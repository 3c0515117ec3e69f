/**
 * Which models stayed loaded during the load: /api/ps is sampled every few hundred ms while the conversations
 * run. A model that must stay resident and is missing from a sample was evicted (Ollama unloads one to make room
 * for another when OLLAMA_MAX_LOADED_MODELS or memory runs out, and a reload costs the caller seconds); the first
 * sample that missed it dates the eviction. The samples also give the memory the models take together.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { LoadedModel, OllamaClient } from "./client.js";
import type { Eviction, LoadReport } from "./load-report.js";
import { sameModel } from "./run.js";

export interface ResidencySample {
  /** When the answer arrived, in ms since the load started. */
  atMs: number;
  loaded: LoadedModel[];
}

export interface Residency {
  samples: number;
  evictions: Eviction[];
  residentMemory?: NonNullable<LoadReport["resident_memory"]>;
  /** Each model's /api/ps figures from the last sample that listed it. */
  sizes: Map<string, LoadedModel>;
  /** Samples that failed: `GET /api/ps failed 1200 ms into the load: …`. */
  errors: string[];
}

const listed = (sample: ResidencySample, model: string) => sample.loaded.some((m) => sameModel(m.name, model));

/** What the samples say about the resident models (pure). */
export function residencyOf(
  samples: readonly ResidencySample[],
  resident: readonly string[],
): Omit<Residency, "errors"> {
  const evictions = resident.flatMap((model): Eviction[] => {
    const missing = samples.filter((sample) => !listed(sample, model));
    const first = missing[0];
    if (first === undefined) return [];
    const loadedThen = first.loaded.map((m) => m.name);
    return [{ model, at_ms: Math.round(first.atMs), missing_samples: missing.length, loaded_then: loadedThen }];
  });
  let residentMemory: Residency["residentMemory"];
  const sizes = new Map<string, LoadedModel>();
  for (const sample of samples) {
    for (const model of sample.loaded) sizes.set(model.name, model);
    if (!resident.every((model) => listed(sample, model))) continue;
    const size = sample.loaded.reduce((sum, m) => sum + m.size, 0);
    const vram = sample.loaded.reduce((sum, m) => sum + m.size_vram, 0);
    if (residentMemory === undefined || size > residentMemory.size_bytes) {
      residentMemory = { size_bytes: size, size_vram_bytes: vram };
    }
  }
  return { samples: samples.length, evictions, ...(residentMemory === undefined ? {} : { residentMemory }), sizes };
}

/** The resident model's figures, however /api/ps spells its name. */
export const sizeOf = (residency: Residency, model: string) =>
  [...residency.sizes].find(([name]) => sameModel(name, model))?.[1];

/**
 * Samples /api/ps from now until stopped (once more at the end, so even a short load has a closing sample);
 * `clock` gives ms since the load started.
 */
export function watchResidency(
  client: OllamaClient,
  resident: readonly string[],
  everyMs: number,
  clock: () => number,
): { stop(): Promise<Residency> } {
  const samples: ResidencySample[] = [];
  const errors: string[] = [];
  const sample = async () => {
    try {
      const loaded = await client.loaded();
      samples.push({ atMs: clock(), loaded });
    } catch (error) {
      errors.push(`GET /api/ps failed ${Math.round(clock())} ms into the load: ${(error as Error).message}`);
    }
  };
  const stopped = new AbortController();
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      await sample();
      await sleep(everyMs, undefined, { signal: stopped.signal }).catch(() => undefined);
    }
  })();
  return {
    async stop() {
      stopped.abort();
      await loop;
      await sample();
      return { ...residencyOf(samples, resident), errors };
    },
  };
}

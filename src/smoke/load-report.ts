/**
 * The load report: what a smoke shaped like production measured (load.ts runs it). Its schema is the one
 * definition of the format, the smoke report's optional `load` field (report-schema.ts), so fields are only ever
 * added. The metrics under load are a fixed list here: the registry's per-request latencies and decode speed
 * (their labels and units come from metric-registry.ts), and two that only exist under load, read from Ollama's
 * native durations: the queue wait and the scheduler's `load_duration`.
 *
 * Budgets under load bound the slow tail: the p95 of a time, the p5 of a rate (95 % of requests decode at least
 * this fast). With fewer than 20 requests the p95 is the slowest request and the p5 the slowest rate: a budget
 * then holds every request to it.
 */
import { z } from "zod";
import { type Better, METRICS } from "./metric-registry.js";

export interface LoadMetric {
  key: string;
  label: string;
  unit: string;
  better: Better;
}

const fromRegistry = (key: "ttft_ms" | "t_tool_ms" | "e2e_ms" | "decode_tps"): LoadMetric => {
  const { label, unit, better } = METRICS.find((metric) => metric.key === key) as LoadMetric;
  return { key, label, unit, better };
};

export const LOAD_METRIC_KEYS = [
  "ttft_ms",
  "t_tool_ms",
  "e2e_ms",
  "decode_tps",
  "queue_wait_ms",
  "load_duration_ms",
] as const;
export type LoadMetricKey = (typeof LOAD_METRIC_KEYS)[number];

export const LOAD_METRICS: Record<LoadMetricKey, LoadMetric> = {
  ttft_ms: fromRegistry("ttft_ms"),
  t_tool_ms: fromRegistry("t_tool_ms"),
  e2e_ms: fromRegistry("e2e_ms"),
  decode_tps: fromRegistry("decode_tps"),
  // Server time that was neither loading, prompt evaluation nor decoding: the wait for a parallel slot (and for
  // the runner's next batch), as load-native.ts derives it.
  queue_wait_ms: { key: "queue_wait_ms", label: "Queue wait", unit: "ms", better: "lower" },
  // Ollama's load_duration: the scheduler's wait, near zero unless the model had to be (re)loaded.
  load_duration_ms: { key: "load_duration_ms", label: "Scheduler wait", unit: "ms", better: "lower" },
};

/** The quantile a budget under load bounds: the slow tail. */
export const tailOf = (key: LoadMetricKey): "p95" | "p5" => (LOAD_METRICS[key].better === "lower" ? "p95" : "p5");

const metricFields = <T extends z.ZodType>(field: () => T) =>
  Object.fromEntries(LOAD_METRIC_KEYS.map((key) => [key, field()])) as Record<LoadMetricKey, T>;

/** Nearest-rank quantiles over the requests under load (metrics.ts's method: every value was measured). */
const LoadDistributionSchema = z.object({ n: z.number(), p5: z.number(), p50: z.number(), p95: z.number() });

const LoadModelSchema = z.object({
  /** Conversations of this model's scripts, and how many passed every turn. */
  conversations: z.number(),
  conversations_passed: z.number(),
  /** Streamed requests sent (each had a native twin for the durations). */
  requests: z.number(),
  metrics: z.object(metricFields(() => LoadDistributionSchema.optional())),
  /** The budgets under load (`load.budgets` of the case files), and each one missed. */
  budgets: z.object(metricFields(() => z.number().optional())),
  budget_failures: z.array(z.string()),
  /** Ollama's figures from the last /api/ps sample that listed the model. */
  size_bytes: z.number().optional(),
  size_vram_bytes: z.number().optional(),
});

const EvictionSchema = z.object({
  model: z.string(),
  /** When a sample first did not list it, in ms since the load started. */
  at_ms: z.number(),
  /** Samples that did not list it, of all samples. */
  missing_samples: z.number(),
  /** What /api/ps listed instead at that moment. */
  loaded_then: z.array(z.string()),
});

export const LoadReportSchema = z.object({
  passed: z.boolean(),
  /** Evictions, failed conversations and missed budgets, one line each. */
  failures: z.array(z.string()),
  concurrency: z.number(),
  /** Where the concurrency came from: the case files, the image's OLLAMA_NUM_PARALLEL, or the default (2). */
  concurrency_from: z.enum(["case files", "image", "default"]),
  conversations: z.number(),
  conversations_passed: z.number(),
  duration_ms: z.number(),
  /** The models that had to stay loaded together, and the /api/ps samples that checked it. */
  resident: z.array(z.string()),
  samples: z.number(),
  sample_every_ms: z.number(),
  /**
   * The most memory the loaded models took together while every resident model was loaded (the sum of /api/ps
   * `size` and `size_vram`); absent when they never were all loaded at once.
   */
  resident_memory: z.object({ size_bytes: z.number(), size_vram_bytes: z.number() }).optional(),
  evictions: z.array(EvictionSchema),
  models: z.record(z.string(), LoadModelSchema),
});

export type LoadDistribution = z.infer<typeof LoadDistributionSchema>;
export type LoadModelReport = z.infer<typeof LoadModelSchema>;
export type Eviction = z.infer<typeof EvictionSchema>;
export type LoadReport = z.infer<typeof LoadReportSchema>;
export type LoadBudgets = LoadModelReport["budgets"];

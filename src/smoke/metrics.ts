/**
 * Turning timed runs into figures (pure). Percentiles use the nearest-rank method: p50 of [10, 20] is 10, a
 * value that was actually measured, never an interpolation between two requests.
 */
import type { RequestMetricKey } from "./metric-registry.js";
import type { Distribution, NativeTimings, Observation } from "./types.js";

export function nearestRank(sorted: readonly number[], quantile: number): number {
  const index = Math.max(0, Math.ceil(quantile * sorted.length) - 1);
  return sorted[Math.min(index, sorted.length - 1)] as number;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The values sorted, and their nearest-rank quantiles rounded to 0.01 (what every figure of the report shows). */
export function quantilesOf(values: readonly number[]): { sorted: number[]; at: (quantile: number) => number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { sorted, at: (quantile) => round(nearestRank(sorted, quantile)) };
}

export function distribution(values: readonly number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const { sorted, at } = quantilesOf(values);
  return {
    n: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    // With fewer than 20 samples the 95th percentile is the maximum: reporting it would claim a precision
    // the run does not have.
    ...(sorted.length >= 20 ? { p95: at(0.95) } : {}),
    min: round(sorted[0] as number),
    max: round(sorted[sorted.length - 1] as number),
  };
}

/** One timed run: the streamed request and the native request's timings. */
export interface TimedRun {
  observation: Observation;
  native?: NativeTimings;
}

/** A value for every per-request metric of the registry: a new one does not compile until it is measured here. */
export type RunMetrics = Record<RequestMetricKey, number | undefined>;

/**
 * The per-run value of each metric, undefined where the run did not produce it (no content → no TTFT; a failed
 * request → nothing). tpot_ms is the time per output token after the first: (e2e − first token) / (tokens − 1).
 */
export function runMetrics(run: TimedRun): Partial<RunMetrics> {
  const { observation: o, native } = run;
  if (o.error !== undefined) return {};
  return measure(o, native);
}

function measure(o: Observation, native: NativeTimings | undefined): RunMetrics {
  const firstToken = [o.tReasoningMs, o.ttftMs, o.tToolMs].filter((t): t is number => t !== undefined);
  const start = firstToken.length > 0 ? Math.min(...firstToken) : undefined;
  const tokens = o.completionTokens ?? 0;
  const answered = [o.ttftMs, o.tToolMs].filter((t): t is number => t !== undefined);
  const answer = answered.length > 0 ? Math.min(...answered) : undefined;
  return {
    ttft_ms: o.ttftMs,
    ttfc_ms: o.ttfcMs,
    t_tool_ms: o.tToolMs,
    e2e_ms: o.e2eMs,
    tpot_ms:
      start !== undefined && o.e2eMs !== undefined && tokens > 1 ? round((o.e2eMs - start) / (tokens - 1)) : undefined,
    decode_tps: native?.decodeTps === undefined ? undefined : round(native.decodeTps),
    prefill_ms: native?.prefillMs,
    // The prompt tokens Ollama evaluated: far fewer than the prompt has when its prefix was cached.
    prompt_tokens: native?.promptTokens,
    // What thinking cost before the first word or tool call, whichever came first.
    reasoning_ms:
      o.tReasoningMs !== undefined && answer !== undefined && o.tReasoningMs < answer
        ? round(answer - o.tReasoningMs)
        : undefined,
  };
}

/**
 * Per metric, the value of each run slot in order, null where the slot has no run or its run gave no value: two
 * images smoked with the same suite have the same slots, so slot i of one and slot i of the other are the same
 * request in the same round (a paired comparison's matched pair).
 */
export type MetricSamples = Partial<Record<RequestMetricKey, (number | null)[]>>;

export function samplesOf(slots: readonly (TimedRun | undefined)[]): MetricSamples {
  const measured = slots.map((run): Partial<RunMetrics> => (run === undefined ? {} : runMetrics(run)));
  const keys = new Set(measured.flatMap((metrics) => Object.keys(metrics) as RequestMetricKey[]));
  const samples: MetricSamples = {};
  for (const key of keys) {
    if (measured.some((metrics) => metrics[key] !== undefined)) {
      samples[key] = measured.map((metrics) => metrics[key] ?? null);
    }
  }
  return samples;
}

/** The values a sample holds, without its empty slots. */
export const valuesOf = (sample: readonly (number | null)[] | undefined): number[] =>
  (sample ?? []).filter((value): value is number => value !== null);

export function aggregate(runs: readonly TimedRun[]): Partial<Record<RequestMetricKey, Distribution>> {
  const result: Partial<Record<RequestMetricKey, Distribution>> = {};
  for (const [name, sample] of Object.entries(samplesOf(runs)) as [RequestMetricKey, (number | null)[]][]) {
    const d = distribution(valuesOf(sample));
    if (d !== undefined) result[name] = d;
  }
  return result;
}

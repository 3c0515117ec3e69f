/**
 * Every smoke metric, once. An entry says what the metric is (key, unit, which way is better, how much change is
 * noise), where the smoke report keeps it, whether it can have a budget, and how people see it. Everything else is
 * derived from this list: the report's zod schema and TypeScript types (report-schema.ts), the budgets of case
 * files, inputs and `--budget` (case-schema.ts, budgets.ts), the terminal text (format.ts) and the pull-request
 * comment's rows and their comparison with the base (src/report/). What is left to write for a new metric is its
 * measurement: `runMetrics` (metrics.ts) for a per-request metric, the model's run (run.ts) for one value per
 * model.
 *
 * A comparison iterates `METRICS`: `better` decides whether a shift is a regression, `unit` labels it, and
 * `samples` says what the values compared are (per request, one per smoke, or passing runs out of all).
 *
 * The order is the order budget names are listed and budget misses reported in; tables lead with the pass counts
 * (metric-values.ts).
 */

export type Better = "lower" | "higher";

/** The quantiles a budget can bound and a table can show. */
export type Quantile = "p50" | "p90";

/** A change counts when |Δ| > max(relative × |base|, floor). */
export interface NoiseRule {
  relative: number;
  floor: number;
  unit: string;
  /** For the comment's footer: what the rule applies to. */
  appliesTo: string;
}

/**
 * When a change against the base counts (gets an arrow): |Δ| > max(relative × |base|, floor).
 *
 * - latency (TTFT, tool call, end to end, first chunk, time per token, prefill, reasoning): 10 %, at least 5 ms.
 *   Medians of a few streamed requests on shared CI runners move by several percent between identical runs; 10 %
 *   is also about the smallest change a person notices in a voice turn. The floor keeps a 1 ms wobble on a 12 ms
 *   TTFT quiet (loopback HTTP and event-loop granularity are a few ms).
 * - decode tok/s: the same 10 %, at least 0.5 tok/s (slow CPU runs decode a handful of tokens a second).
 * - cold start (model load, server ready): 20 %, at least 100 ms: single samples, dominated by disk reads and
 *   the page cache.
 * - memory (MiB): 2 %, at least 32 MiB: Ollama's VRAM figure is deterministic for a model, context and
 *   version; the slack absorbs CUDA allocation granularity and nvidia-smi sampling.
 * - pass rate, flaky cases and prompt tokens: any change (counts from seeded runs and a fixed prompt, not timings).
 */
export const NOISE = {
  latency: { relative: 0.1, floor: 5, unit: "ms", appliesTo: "latency" },
  throughput: { relative: 0.1, floor: 0.5, unit: "tok/s", appliesTo: "decode speed" },
  coldStart: { relative: 0.2, floor: 100, unit: "ms", appliesTo: "load and server start" },
  memory: { relative: 0.02, floor: 32, unit: "MiB", appliesTo: "memory" },
  // The floor only absorbs floating-point dust: every real change of a count is larger.
  exact: { relative: 0, floor: 0.001, unit: "", appliesTo: "pass rate, flaky cases and prompt tokens" },
} as const satisfies Record<string, NoiseRule>;

export interface BudgetRule {
  /** The bound when no case file or input gives one: the seed review's targets on a GPU and on the CPU. */
  defaults?: { gpu: number; cpu: number };
  /**
   * How a miss names the metric and the units of the budget and of the difference, where that differs from the
   * metric's key and unit (`ttft_ms p50 412 ms > budget 300 ms (+112 ms)`). Reports and logs carry these
   * sentences: the old wording stays.
   */
  wording?: { name: string; limitUnit: string; deltaUnit: string };
}

/**
 * What a derived metric is read from: one model's results and cases. Written out structurally because the
 * report's types are built from this file; metric-values.ts passes the real ones, so the compiler checks they fit.
 */
export interface ModelFacts {
  results?: { memory?: { size_bytes?: number; size_vram_bytes?: number; gpu_used_mib?: number } };
  cases: readonly { flaky: boolean }[];
}

interface MetricCommon {
  /** The name in the report, in budgets and in `--budget`. */
  key: string;
  /** The comment's row label (`TTFT`, rows `TTFT p50`); also `metric` in `report --format json`. */
  label: string;
  /** The terminal's label. */
  short: string;
  unit: string;
  /** The unit of a difference when it is not `unit`: a pass rate changes by percentage points. */
  deltaUnit?: string;
  better: Better;
  noise: keyof typeof NOISE;
  /** A budget bounds it: from above when lower is better, from below when higher is. */
  budget?: BudgetRule;
  /** Compared base against head, request by request, when both images are smoked on one runner. */
  paired?: true;
}

/**
 * Where the report keeps a metric, and what a comparison's samples are:
 * - `distribution`: `ModelReport.metrics[key]`, nearest-rank quantiles over the timed requests; samples are the
 *   per-request values `runMetrics` gives. `comment` lists the quantiles the pull-request comment shows.
 * - `model`: `ModelReport[key]`, one number per model; `environment`: `SmokeEnvironment[key]`, one per smoke.
 * - `derived`: read from other fields of a model's results and cases (`read`); the report keeps no copy.
 * `samples`: `smoke` is one value per smoke, `runs-passed` a count of passing runs out of all (a proportion).
 */
export type MetricDefinition =
  | (MetricCommon & { stored: "distribution"; samples: "request"; comment: readonly Quantile[] })
  | (MetricCommon & { stored: "model" | "environment"; samples: "smoke" | "runs-passed" })
  | (MetricCommon & {
      stored: "derived";
      samples: "smoke" | "runs-passed";
      read: (facts: ModelFacts) => number | undefined;
      /** Said after the value. */
      detail?: (facts: ModelFacts) => string | undefined;
    });

const MiB = 1024 * 1024;

const perRequest = { stored: "distribution", samples: "request" } as const;
const latency = { ...perRequest, unit: "ms", better: "lower", noise: "latency" } as const;

export const METRICS = [
  // Times are ms from the moment the request was sent over the OpenAI-compatible API (chat.ts); decode speed and
  // prefill are Ollama's own figures from the native API (client.ts). runMetrics (metrics.ts) measures each.
  {
    ...latency,
    key: "ttft_ms",
    label: "TTFT",
    short: "ttft",
    comment: ["p50", "p90"],
    paired: true,
    budget: { defaults: { gpu: 100, cpu: 300 } },
  },
  {
    ...latency,
    key: "t_tool_ms",
    label: "Tool call",
    short: "t_tool",
    comment: ["p50", "p90"],
    paired: true,
    budget: {},
  },
  { ...latency, key: "e2e_ms", label: "End to end", short: "e2e", comment: ["p50", "p90"], paired: true, budget: {} },
  {
    ...perRequest,
    key: "decode_tps",
    label: "Decode",
    paired: true,
    short: "decode",
    unit: "tok/s",
    better: "higher",
    noise: "throughput",
    comment: ["p50"],
    budget: { defaults: { gpu: 40, cpu: 15 }, wording: { name: "decode_tps", limitUnit: "", deltaUnit: "" } },
  },
  { ...latency, key: "ttfc_ms", label: "First chunk", short: "ttfc", comment: ["p50"] },
  { ...latency, key: "tpot_ms", label: "Time per token", short: "tpot", comment: ["p50"] },
  { ...latency, key: "prefill_ms", label: "Prefill", short: "prefill", comment: ["p50"] },
  {
    // The prompt tokens Ollama evaluated: fewer when a cached prefix was reused, more when the prompt grew.
    ...perRequest,
    key: "prompt_tokens",
    label: "Prompt tokens",
    short: "prompt",
    unit: "tokens",
    better: "lower",
    noise: "exact",
    comment: ["p50"],
  },
  { ...latency, key: "reasoning_ms", label: "Reasoning", short: "reasoning", comment: ["p50"] },
  {
    // Cold load time, from `load_duration` of the smoke's first request, when the smoke loaded the model.
    key: "load_ms",
    label: "Load",
    short: "load",
    unit: "ms",
    better: "lower",
    noise: "coldStart",
    stored: "model",
    samples: "smoke",
  },
  {
    // The model's own VRAM (Ollama's figure): the host's reading includes every other model still loaded.
    key: "vram_mib",
    label: "VRAM",
    short: "vram",
    unit: "MiB",
    better: "lower",
    noise: "memory",
    stored: "derived",
    samples: "smoke",
    read: ({ results }) => {
      const vram = results?.memory?.size_vram_bytes;
      return vram === undefined ? undefined : vram / MiB;
    },
    // VRAM that is less than the model's size means the rest runs on the CPU.
    detail: ({ results }) => {
      const memory = results?.memory;
      const [size, vram] = [memory?.size_bytes, memory?.size_vram_bytes];
      if (size === undefined || vram === undefined || vram >= size) return undefined;
      return `(${Math.round((1 - vram / size) * 100)} % on the CPU)`;
    },
    budget: { wording: { name: "vram", limitUnit: "MiB", deltaUnit: "MiB" } },
  },
  {
    // Host GPU memory in use (nvidia-smi), the highest sample during the model's runs.
    key: "gpu_used_mib",
    label: "GPU memory in use",
    short: "gpu memory",
    unit: "MiB",
    better: "lower",
    noise: "memory",
    stored: "derived",
    samples: "smoke",
    read: ({ results }) => results?.memory?.gpu_used_mib,
  },
  {
    // Percent of the tool-checking runs whose tool calls were right (content checks do not count).
    key: "tool_accuracy_pct",
    label: "Tool calls passed",
    short: "tool calls",
    unit: "%",
    deltaUnit: "pt",
    better: "higher",
    noise: "exact",
    stored: "model",
    samples: "runs-passed",
    budget: { defaults: { gpu: 95, cpu: 95 }, wording: { name: "tool accuracy", limitUnit: "%", deltaUnit: "points" } },
  },
  {
    key: "flaky_cases",
    label: "Flaky cases",
    short: "flaky",
    unit: "",
    better: "lower",
    noise: "exact",
    stored: "derived",
    samples: "runs-passed",
    read: ({ cases }) => cases.filter((c) => c.flaky).length,
  },
  {
    // From `docker run` until the server answered, when the smoke booted the image.
    key: "server_ready_ms",
    label: "Server ready",
    short: "server ready",
    unit: "ms",
    better: "lower",
    noise: "coldStart",
    stored: "environment",
    samples: "smoke",
  },
] as const satisfies readonly MetricDefinition[];

export type Metric = (typeof METRICS)[number];
export type MetricKey = Metric["key"];
type StoredAs<Where> = Extract<Metric, { stored: Where }>;

/** Measured per request and kept as a distribution (the report's `metrics`). */
export type RequestMetric = StoredAs<"distribution">;
export type RequestMetricKey = RequestMetric["key"];
/** Read per model: everything but the server's own figures. */
export type ModelMetric = Exclude<Metric, StoredAs<"environment">>;
export type ServerMetric = StoredAs<"environment">;

export type BudgetedMetric = Extract<Metric, { budget: BudgetRule }>;
export type BudgetKey = BudgetedMetric["key"];
/** A budget that bounds quantiles: a number bounds the median, `{p50, p90}` either. */
export type QuantileBudgetMetric = Extract<BudgetedMetric, { stored: "distribution" }>;
/** A budget that bounds the one value there is. */
export type SingleBudgetMetric = Exclude<BudgetedMetric, QuantileBudgetMetric>;

export function metricsStoredAs<Where extends Metric["stored"]>(where: Where): StoredAs<Where>[] {
  return METRICS.filter((metric): metric is StoredAs<Where> => metric.stored === where);
}

export const REQUEST_METRICS = metricsStoredAs("distribution");
export const BUDGETED_METRICS = METRICS.filter((metric): metric is BudgetedMetric => "budget" in metric);
export const QUANTILE_BUDGET_METRICS = BUDGETED_METRICS.filter(
  (metric): metric is QuantileBudgetMetric => metric.stored === "distribution",
);
export const SINGLE_BUDGET_METRICS = BUDGETED_METRICS.filter(
  (metric): metric is SingleBudgetMetric => metric.stored !== "distribution",
);

/**
 * The smoke report: its schema is the one definition of the format, and its TypeScript types are inferred from
 * it. The report is a public format (`--report FILE`, the action's `smoke` output, the PR comment's input, the
 * baselines saved in GitHub's cache): fields are only ever added. The metric fields come from the metric registry.
 *
 * Reading a report someone else wrote: the trusted `workflow_run` job renders a fork's pull-request comment from
 * the fork's `smoke-report.json`, so that file is untrusted input, checked here before the renderer sees it. The
 * schema is nothing stricter than the types (a value the type allows is the renderer's to show, and it clips long
 * text). Keys it does not know are dropped rather than refused: a report from a newer version still reads.
 */
import { z } from "zod";
import { describeIssues } from "../text/issues.js";
import { LoadReportSchema } from "./load-report.js";
import {
  type Metric,
  metricsStoredAs,
  QUANTILE_BUDGET_METRICS,
  REQUEST_METRICS,
  SINGLE_BUDGET_METRICS,
} from "./metric-registry.js";
import { PairedComparisonSchema } from "./paired-schema.js";

/** A zod object shape with one field per metric, of the type `field` gives. */
export function metricShape<M extends Metric, T extends z.ZodType>(
  metrics: readonly M[],
  field: (metric: M) => T,
): { [K in M["key"]]: T } {
  return Object.fromEntries(metrics.map((metric) => [metric.key, field(metric)])) as { [K in M["key"]]: T };
}

const DistributionSchema = z.object({
  n: z.number(),
  p50: z.number(),
  p90: z.number(),
  /** Only when n ≥ 20. */
  p95: z.number().optional(),
  min: z.number(),
  max: z.number(),
});

/**
 * An object with one optional key per metric rather than a record over the names: a record refuses a metric
 * it does not know, where a newer report's new metric should be dropped.
 */
const MetricsSchema = z.object(metricShape(REQUEST_METRICS, () => DistributionSchema.optional()));

/** A budget on a distribution: a number bounds the median; an object can bound p90 too. */
const MetricBudgetSchema = z.union([z.number(), z.object({ p50: z.number().optional(), p90: z.number().optional() })]);

const BudgetsSchema = z.object({
  ...metricShape(QUANTILE_BUDGET_METRICS, () => MetricBudgetSchema.optional()),
  ...metricShape(SINGLE_BUDGET_METRICS, () => z.number().optional()),
});

const ModelMemorySchema = z.object({
  /** Ollama's figures from /api/ps; absent when it did not list the model (then only the host's GPU reading). */
  size_bytes: z.number().optional(),
  size_vram_bytes: z.number().optional(),
  context_length: z.number().optional(),
  /** Host GPU memory in use (nvidia-smi), the highest sample during this model's runs. */
  gpu_used_mib: z.number().optional(),
});

const ModelReportSchema = z.object({
  metrics: MetricsSchema,
  ...metricShape(metricsStoredAs("model"), () => z.number().optional()),
  memory: ModelMemorySchema.optional(),
  /** Runs that had reasoning text before the content (thinking left on). */
  reasoning_runs: z.number(),
  budgets: BudgetsSchema,
  /** Each missed budget: `ttft_ms p50 412 ms > budget 300 ms (+112 ms)`. */
  budget_failures: z.array(z.string()),
});

const CaseReportSchema = z.object({
  id: z.string(),
  model: z.string(),
  file: z.string(),
  critical: z.boolean(),
  passed: z.boolean(),
  runs: z.number(),
  passes: z.number(),
  flaky: z.boolean(),
  failures: z.array(z.string()),
});

const SmokeEnvironmentSchema = z.object({
  endpoint: z.string(),
  image: z.string().optional(),
  /** The manifest digest a registry serves for the image, when known. */
  image_digest: z.string().optional(),
  /** The local engine's image ID (not a registry digest). */
  image_id: z.string().optional(),
  ollama_version: z.string().optional(),
  gpu: z.boolean(),
  gpu_names: z.array(z.string()).optional(),
  ...metricShape(metricsStoredAs("environment"), () => z.number().optional()),
  runner: z.object({ os: z.string(), arch: z.string(), cpus: z.number(), memory_mib: z.number(), node: z.string() }),
  started_at: z.string(),
});

export const SmokeReportSchema = z.object({
  passed: z.boolean(),
  /** Why it failed: critical cases and missed budgets, one line each. */
  failures: z.array(z.string()),
  environment: SmokeEnvironmentSchema,
  models: z.record(z.string(), ModelReportSchema),
  cases: z.array(CaseReportSchema),
  /** Log lines of the container when it was booted and something failed. */
  logs: z.array(z.string()).optional(),
  /** The conversations run concurrently, when the case files have a `load:` section (load-report.ts). */
  load: LoadReportSchema.optional(),
  /** The base commit's image smoked beside this one, and what changed (src/compare/paired.ts). */
  paired: PairedComparisonSchema.optional(),
});

export type Distribution = z.infer<typeof DistributionSchema>;
export type MetricBudget = z.infer<typeof MetricBudgetSchema>;
export type Budgets = z.infer<typeof BudgetsSchema>;
export type ModelMemory = z.infer<typeof ModelMemorySchema>;
export type ModelReport = z.infer<typeof ModelReportSchema>;
export type CaseReport = z.infer<typeof CaseReportSchema>;
export type SmokeEnvironment = z.infer<typeof SmokeEnvironmentSchema>;
export type SmokeReport = z.infer<typeof SmokeReportSchema>;

/** Parses and checks a report file's text; throws an Error naming `label` and each field that is wrong. */
export function parseSmokeReport(text: string, label: string): SmokeReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const result = SmokeReportSchema.safeParse(raw);
  if (!result.success) throw new Error(describeIssues(result.error, `${label}: `));
  return result.data;
}

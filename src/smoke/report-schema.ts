/**
 * Reading a smoke report someone else wrote. The trusted `workflow_run` job renders a fork's pull-request
 * comment from the fork's `smoke-report.json`, so that file is untrusted input: it is checked here before the
 * renderer sees it.
 *
 * The schema follows `SmokeReport` in ./types.ts type for type, nothing stricter (a value the type allows is
 * the renderer's to show, and it clips long text). Keys it does not know are dropped rather than refused: the
 * report only ever gains fields, so a report from a newer version still reads.
 */
import { z } from "zod";
import { describeIssues } from "../text/issues.js";
import { METRIC_NAMES, type MetricName, type SmokeReport } from "./types.js";

const DistributionSchema = z.object({
  n: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number().optional(),
  min: z.number(),
  max: z.number(),
});

/**
 * An object with one optional key per metric rather than a record over the names: a record refuses a metric
 * it does not know, where a newer report's new metric should be dropped.
 */
const MetricsSchema = z.object(
  Object.fromEntries(METRIC_NAMES.map((name) => [name, DistributionSchema.optional()])) as Record<
    MetricName,
    z.ZodOptional<typeof DistributionSchema>
  >,
);

const MetricBudgetSchema = z.union([z.number(), z.object({ p50: z.number().optional(), p90: z.number().optional() })]);

const BudgetsSchema = z.object({
  ttft_ms: MetricBudgetSchema.optional(),
  t_tool_ms: MetricBudgetSchema.optional(),
  e2e_ms: MetricBudgetSchema.optional(),
  decode_tps: MetricBudgetSchema.optional(),
  vram_mib: z.number().optional(),
  tool_accuracy_pct: z.number().optional(),
});

const ModelReportSchema = z.object({
  metrics: MetricsSchema,
  load_ms: z.number().optional(),
  memory: z
    .object({
      size_bytes: z.number(),
      size_vram_bytes: z.number(),
      context_length: z.number().optional(),
      gpu_used_mib: z.number().optional(),
    })
    .optional(),
  tool_accuracy_pct: z.number().optional(),
  reasoning_runs: z.number(),
  budgets: BudgetsSchema,
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
  image_digest: z.string().optional(),
  image_id: z.string().optional(),
  ollama_version: z.string().optional(),
  gpu: z.boolean(),
  gpu_names: z.array(z.string()).optional(),
  server_ready_ms: z.number().optional(),
  runner: z.object({ os: z.string(), arch: z.string(), cpus: z.number(), memory_mib: z.number(), node: z.string() }),
  started_at: z.string(),
});

export const SmokeReportSchema = z.object({
  passed: z.boolean(),
  failures: z.array(z.string()),
  environment: SmokeEnvironmentSchema,
  models: z.record(z.string(), ModelReportSchema),
  cases: z.array(CaseReportSchema),
  logs: z.array(z.string()).optional(),
});

/** True only when A and B are the same type: a field added to one and not the other fails the build here. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
true satisfies Same<z.output<typeof SmokeReportSchema>, SmokeReport>;

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

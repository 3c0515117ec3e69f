/**
 * The paired comparison a smoke report carries when the base commit's image was smoked beside this one on the
 * same runner (requests interleaved A B B A, same seeds): part of the report's public format, so fields are only
 * ever added. src/compare/paired.ts computes it.
 */
import { z } from "zod";

const ArmCaseSchema = z.object({
  runs: z.number(),
  passes: z.number(),
  /** pass^k: every one of its k runs passed. */
  all_passed: z.boolean(),
});

export const CaseComparisonSchema = z.object({
  id: z.string(),
  model: z.string(),
  base: ArmCaseSchema,
  head: ArmCaseSchema,
  /** Fisher's exact test, one-sided: the head passes less often than the base. */
  p: z.number(),
  /** p < α: called a regression. */
  regression: z.boolean(),
});

export const MetricComparisonSchema = z.object({
  metric: z.string(),
  unit: z.string(),
  better: z.enum(["lower", "higher"]),
  base: z.object({ n: z.number(), median: z.number() }),
  head: z.object({ n: z.number(), median: z.number() }),
  /** Hodges–Lehmann estimate of head − base, with its distribution-free interval (±∞: too few samples). */
  shift: z.number(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  /**
   * `signed-rank`: matched pairs (the same request in the same round on both images, both servers up), the paired
   * shift and Wilcoxon's signed-rank p; `rank-sum`: independent samples, the two-sample shift and Mann–Whitney's p.
   */
  test: z.enum(["signed-rank", "rank-sum"]),
  /** The matched pairs (signed-rank): base.n and head.n count the same pairs. */
  pairs: z.number().optional(),
  /** Two-sided. */
  p: z.number(),
  /** `better`/`worse` only when the interval excludes zero and the shift exceeds the minimum effect. */
  verdict: z.enum(["better", "worse", "unchanged"]),
});

export const ModelComparisonSchema = z.object({
  metrics: z.array(MetricComparisonSchema),
  /** Resident size from /api/ps, bytes, per image. */
  memory: z.object({ base: z.number().optional(), head: z.number().optional() }),
});

export const PairedComparisonSchema = z.object({
  base_image: z.string(),
  /** `interleaved`: both servers up, requests alternating; `blocks`: one server at a time, A B B A in blocks. */
  mode: z.enum(["interleaved", "blocks"]),
  /** Why that mode: the memory both images need against what the runner had free. */
  mode_reason: z.string(),
  alpha: z.number(),
  confidence: z.number(),
  /** The smallest relative shift that earns an arrow (0.05: 5 % of the base's median). */
  min_effect: z.number(),
  /** Cases run on both images: how many tests were made at α. */
  cases_tested: z.number(),
  cases: z.array(CaseComparisonSchema),
  models: z.record(z.string(), ModelComparisonSchema),
});

export type CaseComparison = z.infer<typeof CaseComparisonSchema>;
export type MetricComparison = z.infer<typeof MetricComparisonSchema>;
export type ModelComparison = z.infer<typeof ModelComparisonSchema>;
export type PairedComparison = z.infer<typeof PairedComparisonSchema>;

/**
 * The comment's inline text: report strings as clipped code spans, numbers, durations, and the caps on what one
 * report string may add (so the parts that are never cut stay small whatever the input).
 */
import { clip, code } from "../text/markdown.js";

export const MAX_NAME = 120;
export const MAX_REASON = 300;
export const MAX_REASONS_PER_CASE = 5;
export const MAX_VERDICT_FAILURES = 20;
export const MAX_CHART_MODELS = 20;
export const MAX_LOG_LINES = 40;

/** A name from a report (model, case, file, image), as a code span: it can break neither a table nor the HTML. */
export const name = (value: string) => code(clip(value, MAX_NAME));
export const shortSha = (sha: string) => code(sha.slice(0, 7));
export const plural = (count: number, noun: string) =>
  `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;

/** `1,802 ms`, `96.3 ms`: a decimal only below 100. */
export const formatNumber = (value: number) =>
  value.toLocaleString("en-US", { maximumFractionDigits: Math.abs(value) < 100 ? 1 : 0 });
export const withUnit = (value: number, unit: string) =>
  unit === "" ? formatNumber(value) : `${formatNumber(value)} ${unit}`;

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * The smoke stage's shared shapes: what a case file says, what one request observed, and the report.
 * The report is a public format (`--report FILE`, the action's `smoke` output, the PR comment's input):
 * fields are only ever added.
 */

/** An OpenAI tool definition, as sent in `tools`. */
export interface ToolDefinition {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | {
      role: "assistant";
      content?: string;
      tool_calls?: { id?: string; type: "function"; function: { name: string; arguments: string } }[];
    }
  | { role: "tool"; content: string; tool_call_id?: string };

/** Request settings sent explicitly on every request (Ollama's /v1 forces temperature and top_p to 1.0 when omitted). */
export interface RequestSettings {
  temperature?: number;
  top_p?: number;
  seed?: number;
  max_tokens?: number;
  /** "none" disables thinking (sent as `think: false` on the native API). */
  reasoning_effort?: "none" | "low" | "medium" | "high";
}

/** One argument matcher: a plain value, or one operator. */
export type ArgumentMatcher =
  | string
  | number
  | boolean
  | null
  | unknown[]
  | { one_of: unknown[] }
  | { regex: string }
  | { type: "string" | "number" | "integer" | "boolean" | "object" | "array" | "null" }
  | { absent: true };

export interface ExpectedToolCall {
  name: string;
  arguments?: Record<string, ArgumentMatcher>;
}

export interface ContentExpectation {
  equals?: string;
  regex?: string;
  one_of?: string[];
  contains?: string[];
  not_contains?: string[];
  max_words?: number;
}

export interface Expectation {
  tool_calls?: ExpectedToolCall[];
  /** Order of several expected calls: `any` (default) or `exact`. */
  order?: "any" | "exact";
  /** `forbid`: an argument the expectation does not name fails the case. */
  extra_args?: "allow" | "forbid";
  /** Passes only when the model calls no tool (the "irrelevance" check). */
  no_tool_call?: boolean;
  content?: ContentExpectation;
  /** Repeat the case without streaming and require the same tool calls. */
  stream_matches_nonstream?: boolean;
}

/** A budget on a latency/throughput metric: a number bounds the median; an object can bound p90 too. */
export type MetricBudget = number | { p50?: number; p90?: number };

export interface Budgets {
  ttft_ms?: MetricBudget;
  t_tool_ms?: MetricBudget;
  e2e_ms?: MetricBudget;
  /** A lower bound (tokens per second). */
  decode_tps?: MetricBudget;
  vram_mib?: number;
  /** A lower bound: percent of tool-checking runs that passed. */
  tool_accuracy_pct?: number;
}

export type PassRule = "all" | { at_least: number };

/** Budgets given as inputs or flags: for every model, and per model; they win over the case files. */
export interface BudgetOverrides {
  all: Budgets;
  models: Record<string, Budgets>;
}

/** A case after the file's defaults are applied. */
export interface SmokeCase {
  id: string;
  /** Where it came from, for messages: `test/smoke/theo.yaml`. */
  file: string;
  model: string;
  messages: ChatMessage[];
  tools: ToolDefinition[];
  request: RequestSettings;
  repeat: number;
  pass: PassRule;
  critical: boolean;
  expect: Expectation;
  budgets: Budgets;
}

export interface CaseSuite {
  cases: SmokeCase[];
  /** Per-model budgets from the files' `budgets:` sections (`budgets: {<model>: {...}}`). */
  modelBudgets: Record<string, Budgets>;
  /** Discarded warm-up requests per model before timed runs. */
  warmups: number;
}

/** A tool call as the model produced it (arguments still the raw JSON text). */
export interface ObservedToolCall {
  name: string;
  arguments: string;
}

/** What one request produced and when; times are ms from the moment the request was sent. */
export interface Observation {
  stream: boolean;
  content: string;
  reasoning: string;
  toolCalls: ObservedToolCall[];
  finishReason?: string;
  /** First chunk of any kind. */
  ttfcMs?: number;
  /** First chunk with non-empty `delta.content`. */
  ttftMs?: number;
  /** First chunk with `delta.tool_calls`. */
  tToolMs?: number;
  /** First chunk with `delta.reasoning`. */
  tReasoningMs?: number;
  /** Last chunk carrying tokens (content, reasoning or tool calls). */
  e2eMs?: number;
  /** Completion tokens (usage when given, else token-carrying chunks). */
  completionTokens?: number;
  /** Set when the request failed: what happened (HTTP status, stall, dropped connection, malformed chunk). */
  error?: string;
}

/** Timings from the native /api/chat final chunk. */
export interface NativeTimings {
  decodeTps?: number;
  prefillMs?: number;
  promptTokens?: number;
  loadMs?: number;
}

export interface Distribution {
  n: number;
  p50: number;
  p90: number;
  /** Only when n ≥ 20. */
  p95?: number;
  min: number;
  max: number;
}

export const METRIC_NAMES = [
  "ttft_ms",
  "ttfc_ms",
  "t_tool_ms",
  "e2e_ms",
  "tpot_ms",
  "decode_tps",
  "prefill_ms",
  "prompt_tokens",
  "reasoning_ms",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface ModelMemory {
  size_bytes: number;
  size_vram_bytes: number;
  context_length?: number;
  /** Host GPU memory in use (nvidia-smi), the highest sample during this model's runs. */
  gpu_used_mib?: number;
}

export interface ModelReport {
  metrics: Partial<Record<MetricName, Distribution>>;
  /** Cold load time (from `load_duration` of the first request), when the smoke loaded the model. */
  load_ms?: number;
  memory?: ModelMemory;
  tool_accuracy_pct?: number;
  /** Runs that had reasoning text before the content (thinking left on). */
  reasoning_runs: number;
  budgets: Budgets;
  /** Each missed budget: `ttft_ms p50 412 ms > budget 300 ms (+112 ms)`. */
  budget_failures: string[];
}

export interface CaseReport {
  id: string;
  model: string;
  file: string;
  critical: boolean;
  passed: boolean;
  runs: number;
  passes: number;
  flaky: boolean;
  failures: string[];
}

export interface SmokeEnvironment {
  endpoint: string;
  image?: string;
  /** The manifest digest a registry serves for the image, when known. */
  image_digest?: string;
  /** The local engine's image ID (not a registry digest). */
  image_id?: string;
  ollama_version?: string;
  gpu: boolean;
  gpu_names?: string[];
  server_ready_ms?: number;
  runner: { os: string; arch: string; cpus: number; memory_mib: number; node: string };
  started_at: string;
}

export interface SmokeReport {
  passed: boolean;
  /** Why it failed: critical cases and missed budgets, one line each. */
  failures: string[];
  environment: SmokeEnvironment;
  models: Record<string, ModelReport>;
  cases: CaseReport[];
  /** Log lines of the container when it was booted and something failed. */
  logs?: string[];
}

/**
 * The smoke stage's shared shapes. What a case file says and the report are defined by their schemas
 * (case-schema.ts, report-schema.ts) and re-exported here; what is written out below has no schema: a case after
 * its file's defaults are applied, and what one request observed.
 */
import type { ChatMessage, Expectation, PassRule, RequestSettings, ToolDefinition } from "./case-schema.js";
import type { LoadProfile } from "./load-cases.js";
import type { Budgets } from "./report-schema.js";

export type {
  ArgumentMatcher,
  ChatMessage,
  ContentExpectation,
  Expectation,
  ExpectedToolCall,
  JsonType,
  PassRule,
  RequestSettings,
  ToolDefinition,
} from "./case-schema.js";
export type {
  Budgets,
  CaseReport,
  Distribution,
  MetricBudget,
  ModelMemory,
  ModelReport,
  SmokeEnvironment,
  SmokeReport,
} from "./report-schema.js";

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
  /** Conversations run concurrently after the cases, from the files' `load:` sections (load-cases.ts). */
  load?: LoadProfile;
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
}

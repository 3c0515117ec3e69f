/**
 * What a smoke case file (YAML) may say: the schema is the one definition, and the types of what a case sends and
 * expects are inferred from it. Strict everywhere: a misspelt key is an error, not an ignored line. The budgets'
 * names come from the metric registry.
 */
import { z } from "zod";
import { loadSectionSchema } from "./load-case-schema.js";
import { QUANTILE_BUDGET_METRICS, SINGLE_BUDGET_METRICS } from "./metric-registry.js";
import { metricShape } from "./report-schema.js";

const JsonTypeSchema = z.enum(["string", "number", "integer", "boolean", "object", "array", "null"]);

/** One argument matcher: a plain value, or one operator. */
const ArgumentMatcherSchema = z.union(
  [
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.unknown()),
    z.strictObject({ one_of: z.array(z.unknown()).min(1) }),
    z.strictObject({ regex: z.string() }),
    z.strictObject({ type: JsonTypeSchema }),
    z.strictObject({ absent: z.literal(true) }),
  ],
  { error: "expected a value, or one of {one_of: [...]}, {regex: ...}, {type: ...}, {absent: true}" },
);

/** An OpenAI tool definition, as sent in `tools`. */
const ToolSchema = z.strictObject({
  type: z.literal("function"),
  function: z.strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

const MessageSchema = z.discriminatedUnion("role", [
  z.strictObject({ role: z.enum(["system", "user"]), content: z.string() }),
  z.strictObject({
    role: z.literal("assistant"),
    content: z.string().optional(),
    tool_calls: z
      .array(
        z.strictObject({
          id: z.string().optional(),
          type: z.literal("function"),
          function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
        }),
      )
      .optional(),
  }),
  z.strictObject({ role: z.literal("tool"), content: z.string(), tool_call_id: z.string().optional() }),
]);

/** Request settings sent explicitly on every request (Ollama's /v1 forces temperature and top_p to 1.0 when omitted). */
const RequestSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  seed: z.int().optional(),
  max_tokens: z.int().positive().optional(),
  /** "none" disables thinking (sent as `think: false` on the native API). */
  reasoning_effort: z.enum(["none", "low", "medium", "high"]).optional(),
});

const PassSchema = z.union([z.literal("all"), z.strictObject({ at_least: z.int().positive() })], {
  error: "expected all or {at_least: N}",
});

const MetricBudgetSchema = z.union(
  [
    z.number().positive(),
    z
      .strictObject({ p50: z.number().positive().optional(), p90: z.number().positive().optional() })
      .refine((budget) => budget.p50 !== undefined || budget.p90 !== undefined, "give p50, p90 or both"),
  ],
  { error: "expected a positive number (bounds the median) or {p50: ..., p90: ...}" },
);

const BudgetsSchema = z.strictObject({
  ...metricShape(QUANTILE_BUDGET_METRICS, () => MetricBudgetSchema.optional()),
  // A percentage may be anything from 0 to 100; every other bound is a positive amount.
  ...metricShape(SINGLE_BUDGET_METRICS, (metric) =>
    (metric.unit === "%" ? z.number().min(0).max(100) : z.number().positive()).optional(),
  ),
});

const ExpectedToolCallSchema = z.strictObject({
  name: z.string().min(1),
  arguments: z.record(z.string(), ArgumentMatcherSchema).optional(),
});

const ContentExpectationSchema = z.strictObject({
  equals: z.string().optional(),
  regex: z.string().optional(),
  one_of: z.array(z.string()).min(1).optional(),
  contains: z.array(z.string().min(1)).optional(),
  not_contains: z.array(z.string().min(1)).optional(),
  max_words: z.int().positive().optional(),
});

const ExpectationSchema = z.strictObject({
  tool_calls: z.array(ExpectedToolCallSchema).min(1).optional(),
  /** Order of several expected calls: `any` (default) or `exact`. */
  order: z.enum(["any", "exact"]).optional(),
  /** `forbid`: an argument the expectation does not name fails the case. */
  extra_args: z.enum(["allow", "forbid"]).optional(),
  /** Passes only when the model calls no tool (the "irrelevance" check). */
  no_tool_call: z.boolean().optional(),
  content: ContentExpectationSchema.optional(),
  /** Repeat the case without streaming and require the same tool calls. */
  stream_matches_nonstream: z.boolean().optional(),
});

const IdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-' only");

const CaseSchema = z.strictObject({
  id: IdSchema,
  critical: z.boolean().default(false),
  model: z.string().min(1).optional(),
  request: RequestSchema.optional(),
  repeat: z.int().positive().optional(),
  pass: PassSchema.optional(),
  tools: z.array(ToolSchema).optional(),
  messages: z.array(MessageSchema).min(1, "a case needs at least one message"),
  expect: ExpectationSchema,
  budgets: BudgetsSchema.optional(),
});

const NO_CASES = "a case file needs at least one case";

export const CaseFileSchema = z.strictObject({
  warmups: z.int().min(0).optional(),
  defaults: z
    .strictObject({
      model: z.string().min(1).optional(),
      request: RequestSchema.optional(),
      repeat: z.int().positive().optional(),
      pass: PassSchema.optional(),
    })
    .optional(),
  tools: z.array(ToolSchema).optional(),
  budgets: z.record(z.string().min(1), BudgetsSchema).optional(),
  cases: z.array(CaseSchema, { error: (issue) => (issue.input == null ? NO_CASES : undefined) }).min(1, NO_CASES),
  /** Conversations run concurrently, shaped like production (load-case-schema.ts). */
  load: loadSectionSchema({
    id: IdSchema,
    tool: ToolSchema,
    message: MessageSchema,
    request: RequestSchema,
    expectation: ExpectationSchema,
  }).optional(),
});

export type ParsedCaseFile = z.infer<typeof CaseFileSchema>;
export type ParsedCase = ParsedCaseFile["cases"][number];

export type JsonType = z.infer<typeof JsonTypeSchema>;
export type ArgumentMatcher = z.infer<typeof ArgumentMatcherSchema>;
export type ToolDefinition = z.infer<typeof ToolSchema>;
export type ChatMessage = z.infer<typeof MessageSchema>;
export type RequestSettings = z.infer<typeof RequestSchema>;
export type PassRule = z.infer<typeof PassSchema>;
export type ExpectedToolCall = z.infer<typeof ExpectedToolCallSchema>;
export type ContentExpectation = z.infer<typeof ContentExpectationSchema>;
export type Expectation = z.infer<typeof ExpectationSchema>;

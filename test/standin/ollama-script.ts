/**
 * The stand-in's scripted replies: which reply, timing and fault one chat request gets.
 * The script's format is a contract (the shipped test/smoke/standin-script.json is written against it):
 *   { "rules": [ { model?, user_contains?, reply? | cycle?, ttft_ms?, token_ms?, fault?, fault_after_tokens? } ] }
 * The first rule that matches wins; a rule without `reply` or `cycle` answers the default reply. Unknown keys
 * are errors, so that a misspelt key fails the server's start instead of silently matching everything.
 * Environment defaults, used where a rule says nothing: OLLAMA_STANDIN_TTFT_MS (20), OLLAMA_STANDIN_TOKEN_MS (5),
 * OLLAMA_STANDIN_FAULT, OLLAMA_STANDIN_FAULT_AFTER_TOKENS (0).
 */
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { canonicalModelRef } from "../../src/project/model-ref.js";
import { describeIssues } from "../../src/text/issues.js";

/** Baked into the stand-in image (test/integration/standin-image.ts); used when OLLAMA_STANDIN_SCRIPT is unset. */
export const BAKED_SCRIPT_PATH = "/etc/ollama-standin/script.json";
export const DEFAULT_REPLY_CONTENT = "Certo.";

const FAULTS = ["stall", "drop", "malformed", "http_500"] as const;
export type Fault = (typeof FAULTS)[number];

const ToolCallSchema = z.strictObject({
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).default({}),
});
const ReplySchema = z.strictObject({
  reasoning: z.string().optional(),
  content: z.string().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
});
const RuleSchema = z
  .strictObject({
    model: z.string().min(1).optional(),
    user_contains: z.string().optional(),
    reply: ReplySchema.optional(),
    cycle: z.array(ReplySchema).min(1).optional(),
    ttft_ms: z.number().nonnegative().optional(),
    token_ms: z.number().nonnegative().optional(),
    fault: z.enum(FAULTS).optional(),
    fault_after_tokens: z.number().int().nonnegative().optional(),
  })
  .refine((rule) => rule.reply === undefined || rule.cycle === undefined, "give `reply` or `cycle`, not both");
const ScriptSchema = z.strictObject({ rules: z.array(RuleSchema) });

export type Reply = z.infer<typeof ReplySchema>;
export type ScriptedToolCall = z.infer<typeof ToolCallSchema>;
type Rule = z.infer<typeof RuleSchema>;

/** What one request gets: the reply and how it is delivered. */
export interface Plan {
  reply: Reply;
  ttftMs: number;
  tokenMs: number;
  fault: Fault | undefined;
  faultAfterTokens: number;
}

export interface Timing {
  ttftMs: number;
  tokenMs: number;
  fault: Fault | undefined;
  faultAfterTokens: number;
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw}: expected a number of ms >= 0`);
  return value;
}

/** The defaults every request gets unless its rule overrides them. */
export function timingFromEnv(env: NodeJS.ProcessEnv): Timing {
  const fault = env.OLLAMA_STANDIN_FAULT || undefined;
  if (fault !== undefined && !(FAULTS as readonly string[]).includes(fault)) {
    throw new Error(`OLLAMA_STANDIN_FAULT=${fault}: expected one of ${FAULTS.join(", ")}`);
  }
  return {
    ttftMs: numberFromEnv(env, "OLLAMA_STANDIN_TTFT_MS", 20),
    tokenMs: numberFromEnv(env, "OLLAMA_STANDIN_TOKEN_MS", 5),
    fault: fault as Fault | undefined,
    faultAfterTokens: Math.trunc(numberFromEnv(env, "OLLAMA_STANDIN_FAULT_AFTER_TOKENS", 0)),
  };
}

/** The script named by OLLAMA_STANDIN_SCRIPT, else the baked one, else none (every request gets the default). */
export function loadScript(env: NodeJS.ProcessEnv): Script {
  const file = env.OLLAMA_STANDIN_SCRIPT || (existsSync(BAKED_SCRIPT_PATH) ? BAKED_SCRIPT_PATH : undefined);
  const timing = timingFromEnv(env);
  if (file === undefined) return new Script([], timing);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`script ${file}: ${(error as Error).message}`);
  }
  const result = ScriptSchema.safeParse(parsed);
  if (!result.success) throw new Error(`script ${file}:\n${describeIssues(result.error, "  ")}`);
  return new Script(result.data.rules, timing);
}

export class Script {
  /** How many requests each rule has matched, for `cycle`. */
  private readonly matches: number[];

  constructor(
    private readonly rules: Rule[],
    private readonly defaults: Timing,
  ) {
    this.matches = rules.map(() => 0);
  }

  /** The plan for a request to `model` whose last user message is `lastUserText`. */
  plan(model: string, lastUserText: string): Plan {
    const index = this.rules.findIndex((rule) => matches(rule, model, lastUserText));
    const rule = this.rules[index];
    let reply: Reply = { content: DEFAULT_REPLY_CONTENT };
    if (rule?.reply !== undefined) reply = rule.reply;
    if (rule?.cycle !== undefined) {
      const nth = this.matches[index] ?? 0;
      reply = rule.cycle[nth % rule.cycle.length] as Reply;
    }
    if (rule !== undefined) this.matches[index] = (this.matches[index] ?? 0) + 1;
    return {
      reply,
      ttftMs: rule?.ttft_ms ?? this.defaults.ttftMs,
      tokenMs: rule?.token_ms ?? this.defaults.tokenMs,
      // A rule's fault comes with its own count; the environment's pair applies only to rules without one.
      fault: rule?.fault ?? this.defaults.fault,
      faultAfterTokens: rule?.fault === undefined ? this.defaults.faultAfterTokens : (rule.fault_after_tokens ?? 0),
    };
  }
}

function matches(rule: Rule, model: string, lastUserText: string): boolean {
  if (rule.model !== undefined && canonicalModelRef(rule.model) !== canonicalModelRef(model)) return false;
  if (rule.user_contains !== undefined) {
    return lastUserText.toLowerCase().includes(rule.user_contains.toLowerCase());
  }
  return true;
}

/** One streamed unit: a word of reasoning or content (with its trailing whitespace), or a whole tool call. */
export type Token =
  | { kind: "reasoning"; text: string }
  | { kind: "content"; text: string }
  | { kind: "tool_call"; call: ScriptedToolCall };

const WORDS = /\S+\s*|\s+/g;

export const splitWords = (text: string): string[] => text.match(WORDS) ?? [];

/** The reply as the model would generate it: reasoning first, then content, then the tool calls. */
export function tokensOf(reply: Reply, options: { think: boolean; tools: boolean }): Token[] {
  return [
    ...(options.think ? splitWords(reply.reasoning ?? "").map((text) => ({ kind: "reasoning" as const, text })) : []),
    ...splitWords(reply.content ?? "").map((text) => ({ kind: "content" as const, text })),
    // Without tools in the request Ollama does not parse tool calls (the non-streamed reply drops them).
    ...(options.tools ? (reply.tool_calls ?? []).map((call) => ({ kind: "tool_call" as const, call })) : []),
  ];
}

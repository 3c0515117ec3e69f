/**
 * What the `load:` section of a case file may say (README: "Smoke under load"). It is built from the case
 * file's own pieces (tools, messages, request settings, expectations, ids), which case-schema.ts passes in, so a
 * conversation under load is written like a case and checked by the same rules:
 *
 *   load:
 *     concurrency: 2             # conversations at once (default: the image's OLLAMA_NUM_PARALLEL, else 2)
 *     conversations: 20          # how many in all, the scripts taken in turn; or duration_s: 60
 *     resident: [agent, classifier]   # must stay loaded together (default: every model the scripts use)
 *     budgets: { agent: { ttft_ms: 800 } }   # judged against the p95 under load (decode_tps: the p5)
 *     scripts:
 *       - id: transfer
 *         model: agent           # default: defaults.model
 *         messages: [...]        # the opening (a system prompt, earlier turns); optional
 *         turns:                 # one per reply of the model, in order
 *           - user: Quero falar com o suporte
 *             expect: { tool_calls: [{ name: transfer_call }] }
 *             tool_result: '{"ok": true}'   # sent back as the `tool` message for each call
 *           - expect: { content: { contains: [suporte] } }
 */
import { z } from "zod";
import { LOAD_METRIC_KEYS, type LoadMetricKey } from "./load-report.js";

/** The case file's schemas a load section reuses. */
export interface CaseFilePieces<Id, Tool, Message, Request, Expectation> {
  id: Id;
  tool: Tool;
  message: Message;
  request: Request;
  expectation: Expectation;
}

const LoadBudgetsSchema = z.strictObject(
  Object.fromEntries(LOAD_METRIC_KEYS.map((key) => [key, z.number().positive().optional()])) as Record<
    LoadMetricKey,
    z.ZodOptional<z.ZodNumber>
  >,
);

export function loadSectionSchema<
  Id extends z.ZodType,
  Tool extends z.ZodType,
  Message extends z.ZodType,
  Request extends z.ZodType,
  Expectation extends z.ZodType,
>(pieces: CaseFilePieces<Id, Tool, Message, Request, Expectation>) {
  const TurnSchema = z.strictObject({
    /** What the caller says before this reply (appended as a user message). */
    user: z.string().optional(),
    expect: pieces.expectation,
    /** The tool's result, sent back as a `tool` message for each call the model made; the next turn answers it. */
    tool_result: z.string().optional(),
  });
  const ScriptSchema = z.strictObject({
    id: pieces.id,
    model: z.string().min(1).optional(),
    request: pieces.request.optional(),
    tools: z.array(pieces.tool).optional(),
    messages: z.array(pieces.message).optional(),
    turns: z.array(TurnSchema).min(1, "a script needs at least one turn"),
  });
  return z
    .strictObject({
      concurrency: z.int().positive().optional(),
      conversations: z.int().positive().optional(),
      duration_s: z.number().positive().optional(),
      resident: z.array(z.string().min(1)).optional(),
      budgets: z.record(z.string().min(1), LoadBudgetsSchema).optional(),
      scripts: z.array(ScriptSchema).min(1, "a load profile needs at least one script"),
    })
    .superRefine((load, context) => {
      if (load.conversations !== undefined && load.duration_s !== undefined) {
        context.addIssue({
          code: "custom",
          path: ["duration_s"],
          message: "give conversations or duration_s, not both",
        });
      }
    });
}

/**
 * A behaviour file says what a generated lookup model answers: the last word of the last message picks the
 * reply (a text, or a tool call), any other last word gets the default reply, and a word with two replies
 * gets either (equal odds: a flaky case on purpose). See README.md in this folder.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** What the byte-level pre-tokenizer keeps in one piece after a space: letters only. */
const KEYWORD = /^\p{L}+$/u;

const ToolCallSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a tool name: letters, digits and '_'"),
  arguments: z.record(z.string(), z.unknown()).default({}),
});

const ReplySchema = z.union(
  [z.strictObject({ text: z.string().min(1) }), z.strictObject({ tool_call: ToolCallSchema })],
  {
    error: "expected {text: ...} or {tool_call: {name, arguments}}",
  },
);

export const BehaviourSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "lower-case letters, digits, '.', '_', '-'")
    .default("lookup"),
  default: ReplySchema,
  replies: z
    .record(
      z.string(),
      z.union([ReplySchema, z.array(ReplySchema).length(2, "two replies, tied: the model picks either")]),
    )
    .superRefine((replies, context) => {
      for (const keyword of Object.keys(replies)) {
        if (!KEYWORD.test(keyword)) {
          context.addIssue({ code: "custom", path: [keyword], message: "a keyword is one word of letters" });
        }
      }
    }),
});

export type Reply = z.infer<typeof ReplySchema>;
export type Behaviour = z.infer<typeof BehaviourSchema>;

export function parseBehaviour(text: string, file: string): Behaviour {
  const result = BehaviourSchema.safeParse(parseYaml(text) ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`,
    );
    throw new Error(problems.join("\n"));
  }
  return result.data;
}

/** The replies a message's text gets: its last word's, else the default. */
export function repliesFor(behaviour: Behaviour, lastMessage: string): Reply[] {
  const word = /(?:^|\s)(\p{L}+)$/u.exec(lastMessage)?.[1];
  const replies = word !== undefined && Object.hasOwn(behaviour.replies, word) ? behaviour.replies[word] : undefined;
  if (replies === undefined) return [behaviour.default];
  return Array.isArray(replies) ? replies : [replies];
}

/** JSON with a space after `:` and `,` (as models write it), so a call streams as several pieces. */
function spacedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${spacedJson(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}

/**
 * What a reply makes the model write, in pieces (before the model joins pieces that would need two
 * successors): a text's words, or a tool call in the template's `<tool_call>{"name": …, "arguments": …}</tool_call>` form.
 */
export function replyPieces(reply: Reply): string[] {
  const words = (text: string) => text.split(/(?= )/).filter((piece) => piece !== "");
  if ("text" in reply) return words(reply.text);
  const body = spacedJson({ name: reply.tool_call.name, arguments: reply.tool_call.arguments });
  return ["<tool_call>", ...words(body), "</tool_call>"];
}

export const replyText = (reply: Reply) => replyPieces(reply).join("");

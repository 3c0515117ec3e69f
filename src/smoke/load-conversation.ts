/**
 * One scripted conversation, as a real call goes: the caller speaks, the model answers (streamed over the
 * OpenAI-compatible API, as the agent calls it), and when it calls a tool the call goes back into the history as
 * an assistant message with `tool_calls`, followed by a `tool` message with the script's result, and the model
 * answers that. Each reply is judged by the case checks (match.ts); a wrong reply ends the conversation, since
 * what follows would answer a call that did not go that way.
 *
 * Each streamed request has a native twin (the same messages on /api/chat, not streamed) for Ollama's durations:
 * decode speed and the queue wait (load-native.ts). The twin follows its request on the same worker, so the
 * server still sees one request per conversation at a time.
 */
import type { ChatRequest, OllamaClient } from "./client.js";
import type { LoadScript } from "./load-cases.js";
import { type NativeDurations, nativeDurations } from "./load-native.js";
import type { LoadMetricKey } from "./load-report.js";
import { checkRun } from "./match.js";
import { runMetrics } from "./metrics.js";
import type { ChatMessage, Observation } from "./types.js";

/** One reply's figures under load (undefined where it did not produce one: no content → no TTFT). */
export type TurnFigures = Partial<Record<LoadMetricKey, number>>;

export interface ConversationResult {
  script: LoadScript;
  figures: TurnFigures[];
  /** `turn 2: expected a call to end_call, got none`; absent when every turn passed. */
  failure?: string;
}

/** The model's reply as the next request's history has it; tool calls get ids the tool messages answer. */
function assistantMessage(observation: Observation, turn: number): ChatMessage {
  return {
    role: "assistant",
    ...(observation.content === "" && observation.toolCalls.length > 0 ? {} : { content: observation.content }),
    ...(observation.toolCalls.length === 0
      ? {}
      : {
          tool_calls: observation.toolCalls.map((call, index) => ({
            id: `call_${turn}_${index}`,
            type: "function" as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        }),
  };
}

const toolMessages = (observation: Observation, turn: number, result: string): ChatMessage[] =>
  observation.toolCalls.map((_, index) => ({ role: "tool", content: result, tool_call_id: `call_${turn}_${index}` }));

function figuresOf(observation: Observation, durations: NativeDurations | undefined): TurnFigures {
  const perRequest = runMetrics({ observation, ...(durations === undefined ? {} : { native: durations.native }) });
  const figures: TurnFigures = {
    ttft_ms: perRequest.ttft_ms,
    t_tool_ms: perRequest.t_tool_ms,
    e2e_ms: perRequest.e2e_ms,
    decode_tps: perRequest.decode_tps,
    queue_wait_ms: durations?.queueWaitMs,
    load_duration_ms: durations?.loadDurationMs,
  };
  return Object.fromEntries(Object.entries(figures).filter(([, value]) => value !== undefined));
}

/** Runs one conversation to its end, or to its first wrong reply or failed request. */
export async function runConversation(client: OllamaClient, script: LoadScript): Promise<ConversationResult> {
  const messages: ChatMessage[] = [...script.messages];
  const figures: TurnFigures[] = [];
  for (const [index, turn] of script.turns.entries()) {
    const where = `turn ${index + 1}`;
    if (turn.user !== undefined) messages.push({ role: "user", content: turn.user });
    const request: ChatRequest = {
      model: script.model,
      messages: [...messages],
      tools: script.tools,
      request: script.request,
    };
    const observation = await client.chat(request, true);
    const { tools, content } = checkRun(turn.check, observation);
    if (observation.error !== undefined) return { script, figures, failure: `${where}: ${tools.join("; ")}` };
    let durations: NativeDurations | undefined;
    try {
      durations = await nativeDurations(client, request);
    } catch (error) {
      figures.push(figuresOf(observation, undefined));
      return { script, figures, failure: `${where}: ${(error as Error).message}` };
    }
    figures.push(figuresOf(observation, durations));
    const reasons = [...tools, ...content];
    if (reasons.length > 0) return { script, figures, failure: `${where}: ${reasons.join("; ")}` };
    messages.push(assistantMessage(observation, index + 1));
    if (turn.toolResult !== undefined) messages.push(...toolMessages(observation, index + 1, turn.toolResult));
  }
  return { script, figures };
}

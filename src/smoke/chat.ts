/**
 * Chat requests over Ollama's OpenAI-compatible `/v1`, through the `openai` SDK, exactly as the voice agent calls
 * the model (its Python twin, `AsyncOpenAI(base_url=.../v1)`), so a wire-format change that breaks the agent
 * breaks the smoke. Timings come from the chunk arrivals as the SDK yields them.
 *
 * Every request is bounded: a server that stalls mid-stream, drops the connection or sends a malformed chunk
 * ends in an Observation with `error` set, never a hang.
 */
import { performance } from "node:perf_hooks";
import OpenAI from "openai";
import { clipQuoted } from "../io/http.js";
import { causeChain } from "../text/errors.js";
import type { ChatMessage, Observation, RequestSettings, ToolDefinition } from "./types.js";

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools: ToolDefinition[];
  request: RequestSettings;
}

export interface ChatTimeouts {
  /** Longest wait for the response headers and then for each next chunk (a stalled stream). */
  idleMs: number;
  /** Longest a whole request may take. */
  requestMs: number;
}

/** What the /v1 body says, beyond the SDK's types: Ollama's `reasoning` field. */
interface DeltaWithReasoning {
  content?: string | null;
  reasoning?: string | null;
  tool_calls?: { index?: number; function?: { name?: string; arguments?: string } }[];
}

/** A reply longer than this is not a voice agent's answer but a runaway (or hostile) server. */
const MAX_REPLY_CHARS = 1024 * 1024;

export const roundMs = (ms: number) => Math.round(ms * 100) / 100;

/** What went wrong with a request, in one line of bounded length (a server's error body can be megabytes). */
function describeFailure(error: unknown): string {
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return `HTTP ${error.status}: ${clipQuoted(error.message.replace(/^\d+\s*/, ""))}`;
  }
  if (error instanceof SyntaxError) return `malformed chunk (not JSON): ${clipQuoted(error.message)}`;
  const [message, ...causes] = causeChain(error).map((part) => clipQuoted(part));
  return causes.length > 0 ? `connection failed: ${message} (${causes.join(": ")})` : (message ?? String(error));
}

/** The /v1 body for one request: every sampling setting explicit, since /v1 replaces omitted ones with 1.0. */
export function openAiBody(request: ChatRequest, stream: boolean): Record<string, unknown> {
  return {
    model: request.model,
    messages: request.messages,
    ...(request.tools.length > 0 ? { tools: request.tools } : {}),
    ...request.request,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  };
}

/**
 * The two limits on a stream: the whole request's, and the idle gap between chunks (re-armed on every chunk).
 * The SDK's own timeout ends once the headers arrive: a model that never stops (no max_tokens) keeps a stream
 * busy forever without these.
 */
function streamLimits(timeouts: ChatTimeouts) {
  const controller = new AbortController();
  let cut: "stalled" | "overran" | undefined;
  const abort = (why: "stalled" | "overran") => () => {
    cut = why;
    controller.abort();
  };
  const whole = setTimeout(abort("overran"), timeouts.requestMs);
  let idle: NodeJS.Timeout | undefined;
  const rearm = () => {
    clearTimeout(idle);
    idle = setTimeout(abort("stalled"), timeouts.idleMs);
  };
  rearm();
  return {
    signal: controller.signal,
    rearm,
    /** Which limit ended the stream, if one did. */
    cut: () => cut,
    stop: () => {
      clearTimeout(idle);
      clearTimeout(whole);
    },
  };
}

/** Tool calls as they arrive, by index: Ollama sends each whole, OpenAI-style servers may split one over chunks. */
type PartialCalls = Map<number, { name: string; arguments: string }>;

/** Adds one chunk arriving `at` ms to the observation; true when it carried tokens. */
function addChunk(observation: Observation, chunk: OpenAI.ChatCompletionChunk, at: number, calls: PartialCalls) {
  observation.ttfcMs ??= at;
  if (chunk.usage?.completion_tokens !== undefined) observation.completionTokens = chunk.usage.completion_tokens;
  const choice = chunk.choices[0];
  if (choice === undefined) return false;
  if (choice.finish_reason) observation.finishReason = choice.finish_reason;
  const delta = choice.delta as DeltaWithReasoning;
  let carriesTokens = false;
  if (delta.reasoning) {
    observation.tReasoningMs ??= at;
    observation.reasoning += delta.reasoning;
    carriesTokens = true;
  }
  if (delta.content) {
    observation.ttftMs ??= at;
    observation.content += delta.content;
    carriesTokens = true;
  }
  if (observation.content.length + observation.reasoning.length > MAX_REPLY_CHARS) {
    throw new Error(`the reply passed ${MAX_REPLY_CHARS} characters`);
  }
  for (const [position, call] of (delta.tool_calls ?? []).entries()) {
    observation.tToolMs ??= at;
    const index = call.index ?? position;
    const known = calls.get(index) ?? { name: "", arguments: "" };
    known.name += call.function?.name ?? "";
    known.arguments += call.function?.arguments ?? "";
    calls.set(index, known);
    carriesTokens = true;
  }
  if (carriesTokens) observation.e2eMs = at;
  return carriesTokens;
}

async function streamed(sdk: OpenAI, timeouts: ChatTimeouts, request: ChatRequest, observation: Observation) {
  const started = performance.now();
  const limits = streamLimits(timeouts);
  const calls: PartialCalls = new Map();
  let tokenChunks = 0;
  try {
    const stream = await sdk.chat.completions.create(
      openAiBody(request, true) as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
      { signal: limits.signal },
    );
    for await (const chunk of stream) {
      const at = roundMs(performance.now() - started);
      limits.rearm();
      if (addChunk(observation, chunk, at, calls)) tokenChunks += 1;
    }
    // The SDK ends quietly when its request is aborted: a stall looks like a normal end without this.
    if (limits.cut() !== undefined) throw new Error("aborted");
    if (observation.finishReason === undefined) {
      throw new Error(`the stream ended without a finish_reason after ${tokenChunks} token chunk(s)`);
    }
  } catch (error) {
    const cut = limits.cut();
    if (cut === "stalled") {
      observation.error = `stalled: no chunk for ${timeouts.idleMs} ms after ${tokenChunks} token chunk(s)`;
    } else if (cut === "overran") {
      observation.error = `still streaming after ${timeouts.requestMs} ms (${tokenChunks} token chunks)`;
    } else observation.error = describeFailure(error);
  } finally {
    limits.stop();
  }
  observation.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  observation.completionTokens ??= tokenChunks;
}

async function whole(sdk: OpenAI, timeouts: ChatTimeouts, request: ChatRequest, observation: Observation) {
  const started = performance.now();
  // The SDK's own timeout ends at the headers: a body that stalls after them needs a deadline of its own.
  const deadline = AbortSignal.timeout(timeouts.requestMs);
  try {
    const completion = await sdk.chat.completions.create(
      openAiBody(request, false) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
      { timeout: timeouts.requestMs, signal: deadline },
    );
    const at = roundMs(performance.now() - started);
    const choice = completion.choices[0];
    const message = choice?.message as (OpenAI.ChatCompletionMessage & { reasoning?: string }) | undefined;
    observation.ttfcMs = at;
    observation.e2eMs = at;
    observation.content = message?.content ?? "";
    observation.reasoning = message?.reasoning ?? "";
    observation.toolCalls = (message?.tool_calls ?? []).flatMap((call) =>
      call.type === "function" ? [{ name: call.function.name, arguments: call.function.arguments }] : [],
    );
    if (choice?.finish_reason) observation.finishReason = choice.finish_reason;
    if (completion.usage !== undefined) observation.completionTokens = completion.usage.completion_tokens;
  } catch (error) {
    observation.error = deadline.aborted
      ? `no complete answer within ${timeouts.requestMs} ms (not streamed)`
      : describeFailure(error);
  }
}

/** Sends chat requests to `{base}/v1`; a request's failure is in the observation, never thrown. */
export function openAiChat(base: string, timeouts: ChatTimeouts) {
  const sdk = new OpenAI({
    baseURL: `${base}/v1`,
    apiKey: "ollama",
    // A retry would hide the failure and fold its time into the measurement.
    maxRetries: 0,
    timeout: timeouts.requestMs,
    logLevel: "off",
  });
  return async (request: ChatRequest, stream: boolean): Promise<Observation> => {
    const observation: Observation = { stream, content: "", reasoning: "", toolCalls: [] };
    await (stream ? streamed : whole)(sdk, timeouts, request, observation);
    return observation;
  };
}

/**
 * The smoke stage's one seam to the Ollama server. Chat requests go through the `openai` SDK pointed at
 * `/v1`, exactly as the voice agent calls the model (its Python twin, `AsyncOpenAI(base_url=.../v1)`), so a
 * wire-format change that breaks the agent breaks the smoke. Timings come from the chunk arrivals as the SDK
 * yields them; the native API adds what /v1 does not expose (decode and prefill durations, memory).
 *
 * Every request is bounded: a server that stalls mid-stream, drops the connection or sends a malformed chunk
 * ends in an Observation with `error` set, never a hang.
 */
import { performance } from "node:perf_hooks";
import OpenAI from "openai";
import { z } from "zod";
import { clip, errorText, MAX_JSON_BYTES, readCappedText } from "../io/http.js";
import { causeChain } from "../text/errors.js";
import { describeIssues } from "../text/issues.js";
import type { ChatMessage, NativeTimings, Observation, RequestSettings, ToolDefinition } from "./types.js";

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools: ToolDefinition[];
  request: RequestSettings;
}

export interface ClientTimeouts {
  /** Longest wait for the response headers and then for each next chunk (a stalled stream). */
  idleMs: number;
  /** Longest a whole request may take. */
  requestMs: number;
  /** Longest a model's cold load may take. */
  loadMs: number;
  /** Longest the small API answers may take (/api/version, /api/tags, /api/ps). */
  apiMs: number;
}

export const DEFAULT_TIMEOUTS: ClientTimeouts = { idleMs: 30_000, requestMs: 120_000, loadMs: 120_000, apiMs: 30_000 };

export interface LoadedModel {
  name: string;
  size: number;
  size_vram: number;
  context_length?: number;
}

export interface OllamaClient {
  endpoint: string;
  version(): Promise<string>;
  models(): Promise<string[]>;
  loaded(): Promise<LoadedModel[]>;
  /** Loads a model with a one-token request; the load time is Ollama's `load_duration` for it. */
  load(model: string): Promise<{ loadMs: number | undefined }>;
  chat(request: ChatRequest, stream: boolean): Promise<Observation>;
  nativeTimings(request: ChatRequest): Promise<NativeTimings>;
}

/** What the /v1 body says, beyond the SDK's types: Ollama's `reasoning` field. */
interface DeltaWithReasoning {
  content?: string | null;
  reasoning?: string | null;
  tool_calls?: { index?: number; function?: { name?: string; arguments?: string } }[];
}

/** What went wrong with a request, in one line of bounded length (a server's error body can be megabytes). */
function describeFailure(error: unknown): string {
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return `HTTP ${error.status}: ${clip(error.message.replace(/^\d+\s*/, ""))}`;
  }
  if (error instanceof SyntaxError) return `malformed chunk (not JSON): ${clip(error.message)}`;
  const [message, ...causes] = causeChain(error).map((part) => clip(part));
  return causes.length > 0 ? `connection failed: ${message} (${causes.join(": ")})` : (message ?? String(error));
}

/** The parts of Ollama's answers the smoke reads, checked: a server that answers otherwise says so in one line. */
const VersionSchema = z.object({ version: z.string() });
const TagsSchema = z.object({ models: z.array(z.object({ name: z.string() })) });
const nonNegative = z.number().nonnegative();
const PsSchema = z.object({
  models: z.array(
    z.object({ name: z.string(), size: nonNegative, size_vram: nonNegative, context_length: nonNegative.optional() }),
  ),
});
const NativeChatSchema = z.object({
  eval_count: nonNegative.optional(),
  eval_duration: nonNegative.optional(),
  prompt_eval_count: nonNegative.optional(),
  prompt_eval_duration: nonNegative.optional(),
  load_duration: nonNegative.optional(),
});

/** A reply longer than this is not a voice agent's answer but a runaway (or hostile) server. */
const MAX_REPLY_CHARS = 1024 * 1024;

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

/** The native /api/chat body for the same request: thinking is `think`, max_tokens is `num_predict`. */
export function nativeBody(request: ChatRequest): Record<string, unknown> {
  const { temperature, top_p, seed, max_tokens, reasoning_effort } = request.request;
  const options = Object.fromEntries(
    Object.entries({ temperature, top_p, seed, num_predict: max_tokens }).filter(([, v]) => v !== undefined),
  );
  return {
    model: request.model,
    messages: request.messages.map((message) =>
      message.role === "assistant" && message.tool_calls !== undefined
        ? {
            ...message,
            tool_calls: message.tool_calls.map((call) => ({
              function: { name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown },
            })),
          }
        : message,
    ),
    ...(request.tools.length > 0 ? { tools: request.tools } : {}),
    ...(reasoning_effort === undefined ? {} : { think: reasoning_effort === "none" ? false : reasoning_effort }),
    options,
    stream: false,
  };
}

const roundMs = (ms: number) => Math.round(ms * 100) / 100;

export function ollamaClient(endpoint: string, timeouts: ClientTimeouts = DEFAULT_TIMEOUTS): OllamaClient {
  const base = endpoint.replace(/\/+$/, "");
  const sdk = new OpenAI({
    baseURL: `${base}/v1`,
    apiKey: "ollama",
    // A retry would hide the failure and fold its time into the measurement.
    maxRetries: 0,
    timeout: timeouts.requestMs,
    logLevel: "off",
  });

  /**
   * A JSON answer of the expected shape, within the time limit (headers and body) and the size limit; errors
   * name the request and say what was wrong.
   */
  async function getJson<T>(
    route: string,
    schema: z.ZodType<T>,
    init?: RequestInit,
    timeoutMs = timeouts.requestMs,
  ): Promise<T> {
    const what = `${init?.method ?? "GET"} ${base}${route}`;
    try {
      const response = await fetch(`${base}${route}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${await errorText(response)}`);
      const text = await readCappedText(response, MAX_JSON_BYTES, "the answer");
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`not JSON: ${clip(JSON.stringify(text))}`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success)
        throw new Error(`an unexpected answer: ${clip(describeIssues(parsed.error).replace(/\n/g, "; "))}`);
      return parsed.data;
    } catch (error) {
      if ((error as Error).name === "TimeoutError")
        throw new Error(`${what}: no complete answer within ${timeoutMs} ms`);
      throw new Error(
        `${what}: ${causeChain(error)
          .map((part) => clip(part, 1000))
          .join(": ")}`,
      );
    }
  }
  const post = <T>(route: string, schema: z.ZodType<T>, body: unknown, timeoutMs?: number) =>
    getJson(route, schema, { method: "POST", body: JSON.stringify(body) }, timeoutMs);

  async function streamed(request: ChatRequest, observation: Observation, started: number): Promise<void> {
    const controller = new AbortController();
    let stalled = false;
    let overran = false;
    // The SDK's own timeout ends once the headers arrive: a model that never stops (no max_tokens) keeps a
    // stream busy forever without this.
    const whole = setTimeout(() => {
      overran = true;
      controller.abort();
    }, timeouts.requestMs);
    let idle: NodeJS.Timeout | undefined;
    const armIdleTimer = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, timeouts.idleMs);
    };
    armIdleTimer();
    const calls = new Map<number, { name: string; arguments: string }>();
    let tokenChunks = 0;
    try {
      const stream = await sdk.chat.completions.create(
        openAiBody(request, true) as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        const at = roundMs(performance.now() - started);
        armIdleTimer();
        observation.ttfcMs ??= at;
        if (chunk.usage?.completion_tokens !== undefined) observation.completionTokens = chunk.usage.completion_tokens;
        const choice = chunk.choices[0];
        if (choice === undefined) continue;
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
          // Ollama sends each call whole; `index` keys the (OpenAI-style) case of a call split over chunks.
          const index = call.index ?? position;
          const known = calls.get(index) ?? { name: "", arguments: "" };
          known.name += call.function?.name ?? "";
          known.arguments += call.function?.arguments ?? "";
          calls.set(index, known);
          carriesTokens = true;
        }
        if (carriesTokens) {
          observation.e2eMs = at;
          tokenChunks += 1;
        }
      }
      // The SDK ends quietly when its request is aborted: a stall looks like a normal end without this.
      if (stalled || overran) throw new Error("aborted");
      if (observation.finishReason === undefined) {
        throw new Error(`the stream ended without a finish_reason after ${tokenChunks} token chunk(s)`);
      }
    } catch (error) {
      if (stalled)
        observation.error = `stalled: no chunk for ${timeouts.idleMs} ms after ${tokenChunks} token chunk(s)`;
      else if (overran)
        observation.error = `still streaming after ${timeouts.requestMs} ms (${tokenChunks} token chunks)`;
      else observation.error = describeFailure(error);
    } finally {
      clearTimeout(idle);
      clearTimeout(whole);
    }
    observation.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    observation.completionTokens ??= tokenChunks;
  }

  async function whole(request: ChatRequest, observation: Observation, started: number): Promise<void> {
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

  return {
    endpoint: base,
    version: async () => (await getJson("/api/version", VersionSchema, undefined, timeouts.apiMs)).version,
    models: async () => (await getJson("/api/tags", TagsSchema, undefined, timeouts.apiMs)).models.map((m) => m.name),
    loaded: async () => (await getJson("/api/ps", PsSchema, undefined, timeouts.apiMs)).models,
    load: async (model) => {
      // A load-only request (an empty prompt) reports no durations; a one-token chat reports load_duration.
      const body = await post(
        "/api/chat",
        NativeChatSchema,
        {
          model,
          messages: [{ role: "user", content: "Olá" }],
          think: false,
          options: { num_predict: 1 },
          stream: false,
        },
        timeouts.loadMs,
      );
      return { loadMs: body.load_duration === undefined ? undefined : roundMs(body.load_duration / 1e6) };
    },
    chat: async (request, stream) => {
      const observation: Observation = { stream, content: "", reasoning: "", toolCalls: [] };
      const started = performance.now();
      await (stream ? streamed(request, observation, started) : whole(request, observation, started));
      return observation;
    },
    nativeTimings: async (request) => {
      const body = await post("/api/chat", NativeChatSchema, nativeBody(request));
      const timings: NativeTimings = {};
      if (body.eval_count !== undefined && body.eval_duration) {
        timings.decodeTps = (body.eval_count / body.eval_duration) * 1e9;
      }
      if (body.prompt_eval_duration !== undefined) timings.prefillMs = roundMs(body.prompt_eval_duration / 1e6);
      if (body.prompt_eval_count !== undefined) timings.promptTokens = body.prompt_eval_count;
      if (body.load_duration !== undefined) timings.loadMs = roundMs(body.load_duration / 1e6);
      return timings;
    },
  };
}

/**
 * The smoke stage's one seam to the Ollama server. Chat requests go over the OpenAI-compatible API (chat.ts); the
 * native API adds what /v1 does not expose (decode and prefill durations, load time, memory) and lists models.
 * Every request is bounded in time and size: a server that stalls or answers otherwise ends in an error that
 * says so in one line, never a hang.
 */
import { z } from "zod";
import { clipQuoted, errorText, MAX_JSON_BYTES, readCappedText } from "../io/http.js";
import { causeChain } from "../text/errors.js";
import { describeIssues } from "../text/issues.js";
import { type ChatRequest, type ChatTimeouts, openAiChat, roundMs } from "./chat.js";
import type { NativeTimings, Observation } from "./types.js";

export type { ChatRequest } from "./chat.js";

export interface ClientTimeouts extends ChatTimeouts {
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
  /** The same request over the native API, not streamed: Ollama's counters and durations for it. */
  nativeChat(request: ChatRequest): Promise<NativeChat>;
  nativeTimings(request: ChatRequest): Promise<NativeTimings>;
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
  total_duration: nonNegative.optional(),
  eval_count: nonNegative.optional(),
  eval_duration: nonNegative.optional(),
  prompt_eval_count: nonNegative.optional(),
  prompt_eval_duration: nonNegative.optional(),
  load_duration: nonNegative.optional(),
});

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

/**
 * A JSON answer of the expected shape, within the time limit (headers and body) and the size limit; errors name
 * the request and say what was wrong.
 */
async function fetchJson<T>(
  base: string,
  route: string,
  schema: z.ZodType<T>,
  init: RequestInit | undefined,
  timeoutMs: number,
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
      throw new Error(`not JSON: ${clipQuoted(JSON.stringify(text))}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new Error(`an unexpected answer: ${clipQuoted(describeIssues(parsed.error).replace(/\n/g, "; "))}`);
    return parsed.data;
  } catch (error) {
    if ((error as Error).name === "TimeoutError") throw new Error(`${what}: no complete answer within ${timeoutMs} ms`);
    throw new Error(
      `${what}: ${causeChain(error)
        .map((part) => clipQuoted(part, 1000))
        .join(": ")}`,
    );
  }
}

/** A native /api/chat answer's counters and durations (ns). */
export type NativeChat = z.infer<typeof NativeChatSchema>;

/** Decode speed, prefill time and evaluated prompt tokens from a native answer's counters (ns durations). */
export function timingsOf(body: NativeChat): NativeTimings {
  const timings: NativeTimings = {};
  if (body.eval_count !== undefined && body.eval_duration) {
    timings.decodeTps = (body.eval_count / body.eval_duration) * 1e9;
  }
  if (body.prompt_eval_duration !== undefined) timings.prefillMs = roundMs(body.prompt_eval_duration / 1e6);
  if (body.prompt_eval_count !== undefined) timings.promptTokens = body.prompt_eval_count;
  return timings;
}

export function ollamaClient(endpoint: string, timeouts: ClientTimeouts = DEFAULT_TIMEOUTS): OllamaClient {
  const base = endpoint.replace(/\/+$/, "");
  const get = <T>(route: string, schema: z.ZodType<T>) => fetchJson(base, route, schema, undefined, timeouts.apiMs);
  const post = <T>(route: string, schema: z.ZodType<T>, body: unknown, timeoutMs = timeouts.requestMs) =>
    fetchJson(base, route, schema, { method: "POST", body: JSON.stringify(body) }, timeoutMs);
  return {
    endpoint: base,
    version: async () => (await get("/api/version", VersionSchema)).version,
    models: async () => (await get("/api/tags", TagsSchema)).models.map((m) => m.name),
    loaded: async () => (await get("/api/ps", PsSchema)).models,
    load: async (model) => {
      // A load-only request (an empty prompt) reports no durations; a one-token chat reports load_duration.
      const loadRequest = {
        model,
        messages: [{ role: "user", content: "Olá" }],
        think: false,
        options: { num_predict: 1 },
        stream: false,
      };
      const body = await post("/api/chat", NativeChatSchema, loadRequest, timeouts.loadMs);
      return { loadMs: body.load_duration === undefined ? undefined : roundMs(body.load_duration / 1e6) };
    },
    chat: openAiChat(base, timeouts),
    nativeChat: (request) => post("/api/chat", NativeChatSchema, nativeBody(request)),
    nativeTimings: async (request) => timingsOf(await post("/api/chat", NativeChatSchema, nativeBody(request))),
  };
}

/**
 * The stand-in's inference API, with the wire formats of Ollama's source (server/routes.go, openai/openai.go,
 * middleware/openai.go):
 *   POST /api/generate   an empty prompt loads the model (done_reason "load", no metrics), or unloads it with
 *                        keep_alive 0 ("unload"); a non-empty prompt is not simulated (501).
 *   POST /api/chat       NDJSON chunks (stream, the default) or one JSON body; the last chunk carries done_reason
 *                        and the metrics in ns. No messages: load (or unload) only, as above.
 *   POST /v1/chat/completions  SSE (`data: {...}\n\n` … `data: [DONE]\n\n`) or one chat.completion.
 *   GET  /api/ps         the loaded models.
 * Replies, their timing and faults come from the script (ollama-script.ts); a rule's `user_contains` is matched
 * against the last user or tool message, the text the model answers (the generated lookup model of the real-Ollama
 * tests picks its reply the same way), so a conversation's answer to a tool result can differ from its tool call.
 * A model loads on its first request (OLLAMA_STANDIN_LOAD_MS), stays loaded for its keep_alive after its last
 * request ends (OLLAMA_KEEP_ALIVE, default 5m) and runs OLLAMA_NUM_PARALLEL (default 1) requests at a time; the
 * others queue, as in Ollama. OLLAMA_MAX_LOADED_MODELS caps the models loaded at once (unset: no cap, where
 * Ollama's default is 3 per GPU or on the CPU) as server/sched.go does: loads are scheduled one at a time, and
 * one beyond the cap first unloads a loaded model, sorted by keep_alive and then name (Ollama: the blob's path),
 * the first idle one or else the first, once its requests end. A request for a loaded model skips that queue,
 * even for the model being unloaded, which then waits for it too.
 * Tokens go out against absolute deadlines — the first ttft_ms after the request arrived (later by the time it
 * waited for the load and for a slot), then one every token_ms, then the end-of-sequence token one token_ms after
 * the last — so timer slack never accumulates. prompt_eval_duration and eval_duration are the times actually
 * spent (eval_duration from the first token to the end of sequence), so eval_count / eval_duration is the decode
 * rate token_ms sets.
 */
import { randomInt } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { type Plan, type Script, type ScriptedToolCall, splitWords, type Token, tokensOf } from "./ollama-script.js";

export interface ModelDetails {
  parent_model: string;
  format: string;
  family: string;
  families: string[] | null;
  parameter_size: string;
  quantization_level: string;
}

/** A model on disk, as the inference routes need it. */
export interface InstalledModel {
  /** As Ollama displays it: `name:tag`, with host and namespace only when they are not the library's. */
  name: string;
  /** The manifest's sha256 (hex). */
  digest: string;
  size: number;
  details: ModelDetails;
  parameters: Record<string, unknown>;
  /** The Modelfile's SYSTEM and MESSAGE texts, which every prompt carries before the request's messages. */
  promptPrefix: string[];
}

export interface InferenceOptions {
  findModel(name: string): InstalledModel | undefined;
  script: Script;
  env: NodeJS.ProcessEnv;
}

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

/** time.Duration(math.MaxInt64), what a negative keep_alive means ("forever"), in ms. */
const FOREVER_MS = 9_223_372_036_854.775;
const DEFAULT_CONTEXT_LENGTH = 4096;
/** llm/llama_server.go's error when the runner dies: what `http_500` answers. */
const RUNNER_STOPPED =
  "model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Go's encoding/json output: like JSON.stringify, but <, >, & and U+2028/9 escaped (HTML-safe). */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, "0")}`,
  );
}

const GO_DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** time.ParseDuration, in ms; undefined when Go would reject the text. */
function parseGoDuration(text: string): number | undefined {
  const sign = text.startsWith("-") ? -1 : 1;
  const body = text.replace(/^[-+]/, "");
  if (body === "0") return 0;
  const parts = [...body.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== body) return undefined;
  return (
    sign * parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (GO_DURATION_UNIT_MS[unit ?? ""] ?? 0), 0)
  );
}

/** api.Duration's JSON: seconds as a number or a Go duration string; negative means forever. */
function keepAliveMs(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  let ms: number | undefined;
  if (typeof value === "number") ms = value * 1000;
  else if (typeof value === "string") {
    ms = parseGoDuration(value);
    if (ms === undefined) throw new HttpError(400, `time: invalid duration ${JSON.stringify(value)}`);
  } else throw new HttpError(400, `Unsupported type: '${typeof value}'`);
  return ms < 0 ? FOREVER_MS : ms;
}

/** envconfig.KeepAlive: a duration or whole seconds, 5m by default. */
function defaultKeepAliveMs(env: NodeJS.ProcessEnv): number {
  const raw = env.OLLAMA_KEEP_ALIVE ?? "";
  const ms = parseGoDuration(raw) ?? (/^-?\d+$/.test(raw) ? Number(raw) * 1000 : 300_000);
  return ms < 0 ? FOREVER_MS : ms;
}

/** Requests a runner serves at once; the rest wait their turn. */
class Slots {
  private readonly waiting: (() => void)[] = [];

  constructor(private free: number) {}

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.free += 1;
    else next();
  }
}

/** A loaded (or loading) model, as server/sched.go's runnerRef tracks it. */
interface Runner {
  model: InstalledModel;
  loaded: Promise<void>;
  contextLength: number;
  sessionMs: number;
  /** Set when its last request ends; before that /api/ps estimates it from the session duration. */
  expiresAt: number | undefined;
  requests: number;
  slots: Slots;
  /** Resolves when it is unloaded, for a load waiting to take its place. */
  gone: Promise<void>;
  unloaded: () => void;
}

/** A chat request in the native API's terms (the /v1 middleware converts to this). */
interface ChatTurn {
  /** The name as requested, which every response echoes. */
  requested: string;
  model: InstalledModel;
  messages: { role: string; text: string }[];
  think: boolean;
  tools: boolean;
  /** options.num_predict (max_tokens on /v1). */
  maxTokens: number | undefined;
  keepAliveMs: number | undefined;
  stream: boolean;
}

interface EmittedToolCall {
  id: string;
  index: number;
  call: ScriptedToolCall;
}

type EmittedToken = Exclude<Token, { kind: "tool_call" }> | { kind: "tool_call"; toolCall: EmittedToolCall };

/** What a finished generation produced: the non-streamed body and the final chunk are built from it. */
interface Outcome {
  content: string;
  reasoning: string;
  toolCalls: EmittedToolCall[];
  doneReason: "stop" | "length";
  createdAt: Date;
  /** api.Metrics, in ns; zero values are omitted, as Go's omitempty does. */
  metrics: {
    total_duration: number;
    load_duration: number;
    prompt_eval_count: number;
    prompt_eval_duration: number;
    eval_count: number;
    eval_duration: number;
  };
}

/** server/routes.go toolCallId(). */
function toolCallId(): string {
  const letters = "abcdefghijklmnopqrstuvwxyz0123456789";
  return `call_${Array.from({ length: 8 }, () => letters[randomInt(letters.length)]).join("")}`;
}

function omitZeros<T extends Record<string, number>>(metrics: T): Partial<T> {
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => value !== 0)) as Partial<T>;
}

/** How one API renders a chat: its chunks, bodies and errors. */
interface Wire {
  streamContentType: string;
  error(status: number, message: string): { contentType: string; body: string };
  token(token: EmittedToken): string;
  /** An error after the stream began, as Ollama streams it. */
  errorInStream(message: string): string;
  end(outcome: Outcome): string;
  whole(outcome: Outcome): string;
  wholeContentType: string;
  /** Cut short: the start of what a real chunk (with its framing) or body would be. */
  truncatedChunk: string;
  truncatedBody: string;
}

const nativeToolCall = ({ id, index, call }: EmittedToolCall) => ({
  id,
  function: { index, name: call.name, arguments: call.arguments },
});

/** gin.H{"error": …}, as c.JSON writes it. */
function nativeError(_status: number, message: string): { contentType: string; body: string } {
  return { contentType: "application/json; charset=utf-8", body: goJson({ error: message }) };
}

/** api.ChatResponse, one JSON object per line. */
function nativeWire(turn: ChatTurn): Wire {
  const message = (content: string, thinking: string, toolCalls: EmittedToolCall[]) => ({
    role: "assistant",
    content,
    ...(thinking === "" ? {} : { thinking }),
    ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls.map(nativeToolCall) }),
  });
  const final = (outcome: Outcome, body: ReturnType<typeof message>) =>
    goJson({
      model: turn.requested,
      created_at: outcome.createdAt.toISOString(),
      message: body,
      done: true,
      done_reason: outcome.doneReason,
      ...omitZeros(outcome.metrics),
    });
  return {
    streamContentType: "application/x-ndjson",
    error: nativeError,
    token: (token) =>
      `${goJson({
        model: turn.requested,
        created_at: new Date().toISOString(),
        message: message(
          token.kind === "content" ? token.text : "",
          token.kind === "reasoning" ? token.text : "",
          token.kind === "tool_call" ? [token.toolCall] : [],
        ),
        done: false,
      })}\n`,
    errorInStream: (text) => `${goJson({ error: text })}\n`,
    end: (outcome) => `${final(outcome, message("", "", []))}\n`,
    whole: (outcome) => final(outcome, message(outcome.content, outcome.reasoning, outcome.toolCalls)),
    wholeContentType: "application/json; charset=utf-8",
    truncatedChunk: '{"model":\n',
    truncatedBody: '{"model":',
  };
}

/** openai.NewError's type for a status. */
function openAiErrorType(status: number): string {
  if (status === 400) return "invalid_request_error";
  if (status === 404) return "not_found_error";
  return "api_error";
}

function openAiError(status: number, message: string): { contentType: string; body: string } {
  return {
    contentType: "application/json",
    body: `${goJson({ error: { message, type: openAiErrorType(status), param: null, code: null } })}\n`,
  };
}

const openAiToolCall = ({ id, index, call }: EmittedToolCall) => ({
  id,
  index,
  type: "function",
  function: { name: call.name, arguments: goJson(call.arguments) },
});

/** middleware/openai.go's ChatWriter: chat.completion.chunk events (one `created` for the whole stream). */
function openAiWire(turn: ChatTurn, includeUsage: boolean): Wire {
  const id = `chatcmpl-${randomInt(999)}`;
  let created: number | undefined;
  let toolCallSent = false;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => {
    created ??= Math.floor(Date.now() / 1000);
    return `data: ${goJson({
      id,
      object: "chat.completion.chunk",
      created,
      model: turn.requested,
      system_fingerprint: "fp_ollama",
      choices,
      ...extra,
    })}\n\n`;
  };
  // Every delta carries the role and "content" (a Go string in an `any`, so "" is not omitted), as Ollama 0.24
  // writes them (test/real-ollama/standin-contract.real.test.ts).
  const delta = (fields: Record<string, unknown>, finishReason: string | null = null) =>
    chunk([{ index: 0, delta: { role: "assistant", content: "", ...fields }, finish_reason: finishReason }]);
  return {
    streamContentType: "text/event-stream",
    error: openAiError,
    token: (token) => {
      if (token.kind === "reasoning") return delta({ reasoning: token.text });
      if (token.kind === "content") return delta({ content: token.text });
      toolCallSent = true;
      return delta({ tool_calls: [openAiToolCall(token.toolCall)] });
    },
    // The error object decodes as an empty api.ChatResponse: an empty chunk, then the stream just ends.
    errorInStream: () => delta({}),
    end: (outcome) => {
      // The last ChatResponse becomes a chunk of its own: an empty delta with the finish reason.
      const reason = outcome.doneReason === "stop" && toolCallSent ? "tool_calls" : outcome.doneReason;
      const usage = includeUsage ? chunk([], { usage: usageOf(outcome) }) : "";
      return `${delta({}, reason)}${usage}data: [DONE]\n\n`;
    },
    whole: (outcome) => {
      const toolCalls = outcome.toolCalls.map(openAiToolCall);
      const reason = outcome.doneReason === "stop" && toolCalls.length > 0 ? "tool_calls" : outcome.doneReason;
      return `${goJson({
        id,
        object: "chat.completion",
        created: Math.floor(outcome.createdAt.getTime() / 1000),
        model: turn.requested,
        system_fingerprint: "fp_ollama",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: outcome.content,
              ...(outcome.reasoning === "" ? {} : { reasoning: outcome.reasoning }),
              ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }),
            },
            finish_reason: reason,
          },
        ],
        usage: usageOf(outcome),
      })}\n`;
    },
    wholeContentType: "application/json",
    truncatedChunk: 'data: {"id":\n\n',
    truncatedBody: '{"id":',
  };
}

function usageOf(outcome: Outcome) {
  const { prompt_eval_count: prompt, eval_count: completion } = outcome.metrics;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** Timers fire up to a millisecond or so late; the last stretch before a deadline is waited out in the event loop. */
const TIMER_SLACK_MS = 2;

/** Resolves at `deadline` (performance.now() time); false when the client went away first. */
async function sleepUntil(deadline: number, gone: AbortSignal): Promise<boolean> {
  const coarse = deadline - TIMER_SLACK_MS - performance.now();
  if (coarse > 0) await sleep(coarse, undefined, { signal: gone }).catch(() => undefined);
  while (performance.now() < deadline && !gone.aborted) await new Promise((resolve) => setImmediate(resolve));
  return !gone.aborted;
}

const NEVER_GONE = new AbortController().signal;

function waitUntilGone(gone: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (gone.aborted) resolve();
    else gone.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Writes a chat response as it is generated: streamed chunk by chunk, or collected into one body. */
class ChatSink {
  constructor(
    private readonly response: ServerResponse,
    private readonly wire: Wire,
    private readonly stream: boolean,
  ) {}

  token(token: EmittedToken): void {
    if (this.stream) this.write(this.wire.token(token));
  }

  end(outcome: Outcome): void {
    if (this.stream) {
      this.write(this.wire.end(outcome));
      this.response.end();
    } else this.send(200, this.wire.whole(outcome), this.wire.wholeContentType);
  }

  /** Sends a cut-short chunk; true when the stream goes on after it (a non-streamed body ends with it). */
  malformed(): boolean {
    if (!this.stream) {
      this.send(200, this.wire.truncatedBody, this.wire.wholeContentType);
      return false;
    }
    this.write(this.wire.truncatedChunk);
    return true;
  }

  /** The runner failed: a 500 before anything was sent, else the error in the stream. */
  fail(message: string): void {
    if (this.response.headersSent) {
      this.response.end(this.wire.errorInStream(message));
      return;
    }
    const { contentType, body } = this.wire.error(500, message);
    this.send(500, body, contentType);
  }

  /** The connection breaks: no terminating chunk, no response. */
  drop(): void {
    // Ending the socket sends what was written first (destroying it may drop chunks still buffered), then closes
    // the connection without the terminating chunk.
    const socket = this.response.socket;
    if (socket === null) this.response.destroy();
    else socket.end();
  }

  private write(text: string): void {
    // As gin's c.Stream: the headers go out with the first chunk.
    if (!this.response.headersSent) this.response.writeHead(200, { "content-type": this.wire.streamContentType });
    this.response.write(text);
  }

  private send(status: number, body: string, contentType: string): void {
    this.response.writeHead(status, { "content-type": contentType });
    this.response.end(body);
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new HttpError(400, "missing request body");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "json: cannot unmarshal into Go value of type api.ChatRequest");
  }
  return body as Record<string, unknown>;
}

/** A message's text: a string, or (on /v1) the text parts of a content array. */
function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) =>
      (part as { type?: unknown; text?: unknown }).type === "text" ? (part as { text?: unknown }).text : "",
    )
    .filter((text): text is string => typeof text === "string")
    .join("");
}

function messagesOf(value: unknown): { role: string; text: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new HttpError(400, "json: cannot unmarshal messages into []api.Message");
  return value.map((message) => ({
    role: String((message as { role?: unknown }).role ?? "").toLowerCase(),
    text: messageText((message as { content?: unknown }).content),
  }));
}

/** openai.thinkFromReasoningEffort: undefined leaves thinking at the model's default (on). */
function thinkFromReasoningEffort(effort: string | undefined): boolean | undefined {
  switch (effort) {
    case undefined:
    case "":
      return undefined;
    case "none":
      return false;
    case "minimal":
    case "low":
    case "medium":
    case "high":
    case "max":
    case "xhigh":
    case "ultra":
      return true;
    default:
      throw new HttpError(
        400,
        `invalid reasoning value: "${effort}" (must be "minimal", "low", "medium", "high", "xhigh", "ultra", "max", or "none")`,
      );
  }
}

/** api.ThinkValue: a bool or one of the effort levels. */
function thinkValue(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && ["high", "medium", "low", "max"].includes(value)) return true;
  if (typeof value === "string") {
    throw new HttpError(
      400,
      `invalid think value: "${value}" (must be "high", "medium", "low", "max", true, or false)`,
    );
  }
  throw new HttpError(400, 'think must be a boolean or string ("high", "medium", "low", "max", true, or false)');
}

const positiveInteger = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;

export function inferenceRoutes(options: InferenceOptions): RouteHandler {
  const { findModel, script, env } = options;
  const loadMs = Number(env.OLLAMA_STANDIN_LOAD_MS ?? "50");
  const parallel = positiveInteger(Number(env.OLLAMA_NUM_PARALLEL)) ?? 1;
  const sessionDefaultMs = defaultKeepAliveMs(env);
  const runners = new Map<string, Runner>();

  const maxLoaded = positiveInteger(Number(env.OLLAMA_MAX_LOADED_MODELS));
  /** sched.go's processPending takes one pending request at a time: a load waits for the one before it. */
  let pendingLoads: Promise<unknown> = Promise.resolve();

  const expired = (runner: Runner, now: number) =>
    runner.requests === 0 && runner.expiresAt !== undefined && runner.expiresAt <= now;

  function remove(runner: Runner): void {
    if (runners.get(runner.model.name) === runner) runners.delete(runner.model.name);
    runner.unloaded();
  }

  /** The model's runner if it is loaded (one whose keep_alive ran out is unloaded now). */
  function loadedRunner(name: string): Runner | undefined {
    const runner = runners.get(name);
    if (runner !== undefined && expired(runner, Date.now())) {
      remove(runner);
      return undefined;
    }
    return runner;
  }

  function claim(runner: Runner, sessionMs: number | undefined): Runner {
    if (sessionMs !== undefined) runner.sessionMs = sessionMs;
    runner.requests += 1;
    return runner;
  }

  function startRunner(model: InstalledModel): Runner {
    const numCtx = positiveInteger(model.parameters.num_ctx);
    let unloaded = () => {};
    const gone = new Promise<void>((resolve) => {
      unloaded = resolve;
    });
    const runner: Runner = {
      model,
      // A deadline on the monotonic clock: a timer may fire early by the event loop's stale time.
      loaded: sleepUntil(performance.now() + loadMs, NEVER_GONE).then(() => undefined),
      contextLength: numCtx ?? positiveInteger(Number(env.OLLAMA_CONTEXT_LENGTH)) ?? DEFAULT_CONTEXT_LENGTH,
      sessionMs: sessionDefaultMs,
      expiresAt: undefined,
      requests: 0,
      slots: new Slots(parallel),
      gone,
      unloaded,
    };
    runners.set(model.name, runner);
    return runner;
  }

  /** sched.go findRunnerToUnload: by keep_alive, then name; the first idle one, else the first. */
  function runnerToUnload(): Runner {
    const loaded = [...runners.values()].sort(
      (a, b) => a.sessionMs - b.sessionMs || a.model.name.localeCompare(b.model.name),
    );
    return loaded.find((runner) => runner.requests === 0) ?? (loaded[0] as Runner);
  }

  /** sched.go processPending for one request: load the model, first making room when the cap is reached. */
  async function place(model: InstalledModel, sessionMs: number | undefined): Promise<Runner> {
    for (;;) {
      const loaded = loadedRunner(model.name);
      if (loaded !== undefined) return claim(loaded, sessionMs);
      for (const runner of [...runners.values()]) loadedRunner(runner.model.name);
      if (maxLoaded === undefined || runners.size < maxLoaded) return claim(startRunner(model), sessionMs);
      const victim = runnerToUnload();
      // Expire it now, or as soon as its last request ends (releaseRunner).
      victim.sessionMs = 0;
      if (victim.requests === 0) remove(victim);
      await victim.gone;
    }
  }

  /** The model's runner, loading it first when it is not loaded (server/sched.go GetRunner). */
  async function acquireRunner(model: InstalledModel, sessionMs: number | undefined): Promise<Runner> {
    const loaded = loadedRunner(model.name);
    let runner: Runner;
    if (loaded !== undefined) runner = claim(loaded, sessionMs);
    else {
      const placed = pendingLoads.then(() => place(model, sessionMs));
      pendingLoads = placed.catch(() => undefined);
      runner = await placed;
    }
    await runner.loaded;
    return runner;
  }

  /** A request is done with its runner: the keep-alive clock starts, or a zero keep_alive unloads it. */
  function releaseRunner(runner: Runner): void {
    runner.requests -= 1;
    if (runner.requests > 0) return;
    if (runner.sessionMs <= 0) remove(runner);
    else runner.expiresAt = Date.now() + runner.sessionMs;
  }

  function unload(model: InstalledModel): void {
    const runner = runners.get(model.name);
    if (runner === undefined) return;
    runner.sessionMs = 0;
    if (runner.requests === 0) remove(runner);
  }

  function installed(name: unknown): InstalledModel {
    if (typeof name !== "string" || name === "") throw new HttpError(400, "model is required");
    const model = findModel(name);
    if (model === undefined) throw new HttpError(404, `model '${name}' not found`);
    return model;
  }

  /** Load-only (or unload) requests: /api/generate with an empty prompt, /api/chat with no messages. */
  async function loadOnly(
    response: ServerResponse,
    model: InstalledModel,
    requested: string,
    sessionMs: number | undefined,
    shape: (doneReason: string) => Record<string, unknown>,
  ): Promise<void> {
    let doneReason = "unload";
    if (sessionMs === 0) unload(model);
    else {
      releaseRunner(await acquireRunner(model, sessionMs));
      doneReason = "load";
    }
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    response.end(goJson({ model: requested, created_at: new Date().toISOString(), ...shape(doneReason) }));
  }

  async function generate(turn: ChatTurn, plan: Plan, sink: ChatSink, started: number, gone: AbortSignal) {
    const queuedAt = performance.now();
    const runner = await acquireRunner(turn.model, turn.keepAliveMs);
    const loadedAt = performance.now();
    try {
      await runner.slots.acquire();
      // Prompt evaluation counts from the request's arrival, put back by the waits for the load and for a slot
      // only: reading and parsing the body must not add to the ttft a script sets.
      const promptFrom = started + (performance.now() - queuedAt);
      try {
        if (!gone.aborted) await decode(turn, plan, sink, { started, queuedAt, loadedAt, promptFrom }, gone);
      } finally {
        runner.slots.release();
      }
    } finally {
      releaseRunner(runner);
    }
  }

  /** Sends the plan's tokens on their deadlines (or its fault), then the end with the metrics. */
  async function decode(
    turn: ChatTurn,
    plan: Plan,
    sink: ChatSink,
    times: { started: number; queuedAt: number; loadedAt: number; promptFrom: number },
    gone: AbortSignal,
  ): Promise<void> {
    const all = tokensOf(plan.reply, { think: turn.think, tools: turn.tools });
    const tokens = turn.maxTokens === undefined ? all : all.slice(0, turn.maxTokens);
    const deadline = (i: number) => times.promptFrom + plan.ttftMs + i * plan.tokenMs;
    const faultAt = plan.fault === undefined ? undefined : Math.min(plan.faultAfterTokens, tokens.length);
    const outcome: Outcome = {
      content: "",
      reasoning: "",
      toolCalls: [],
      doneReason: tokens.length < all.length ? "length" : "stop",
      createdAt: new Date(),
      metrics: {
        total_duration: 0,
        load_duration: 0,
        prompt_eval_count: Math.max(
          1,
          [...turn.model.promptPrefix, ...turn.messages.map((m) => m.text)].flatMap(splitWords).length,
        ),
        prompt_eval_duration: 0,
        eval_count: tokens.length,
        eval_duration: 0,
      },
    };
    let firstTokenAt: number | undefined;
    // Index tokens.length is the end-of-sequence token: it takes a decode step too, but is not sent.
    for (let i = 0; i <= tokens.length; i++) {
      if (!(await sleepUntil(deadline(i), gone))) return;
      if (i === faultAt) {
        if (plan.fault === "stall") return waitUntilGone(gone);
        if (plan.fault === "drop") return sink.drop();
        if (plan.fault === "http_500") return sink.fail(RUNNER_STOPPED);
        if (!sink.malformed()) return;
      }
      const token = tokens[i];
      if (token === undefined) break;
      firstTokenAt ??= performance.now();
      if (token.kind === "tool_call") {
        const toolCall = { id: toolCallId(), index: outcome.toolCalls.length, call: token.call };
        outcome.toolCalls.push(toolCall);
        sink.token({ kind: "tool_call", toolCall });
      } else {
        outcome[token.kind] += token.text;
        sink.token(token);
      }
    }
    const doneAt = performance.now();
    const ns = (ms: number) => Math.round(ms * 1e6);
    outcome.createdAt = new Date();
    Object.assign(outcome.metrics, {
      total_duration: ns(doneAt - times.started),
      // The wait for the load alone (reading the body is not loading), so that the parts never sum past the total.
      load_duration: ns(times.loadedAt - times.queuedAt),
      prompt_eval_duration: ns((firstTokenAt ?? doneAt) - times.promptFrom),
      eval_duration: firstTokenAt === undefined ? 0 : ns(doneAt - firstTokenAt),
    });
    sink.end(outcome);
  }

  function clientGone(response: ServerResponse): AbortSignal {
    const controller = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    return controller.signal;
  }

  async function chat(turn: ChatTurn, wire: Wire, response: ServerResponse, started: number): Promise<void> {
    const answered = turn.messages.findLast((message) => message.role === "user" || message.role === "tool");
    const plan = script.plan(turn.requested, answered?.text ?? "");
    await generate(turn, plan, new ChatSink(response, wire, turn.stream), started, clientGone(response));
  }

  async function nativeChat(request: IncomingMessage, response: ServerResponse, started: number): Promise<void> {
    const body = await readJson(request);
    // Binding the body fails before the model is looked up.
    const sessionMs = keepAliveMs(body.keep_alive);
    const messages = messagesOf(body.messages);
    const think = thinkValue(body.think);
    const model = installed(body.model);
    const requested = body.model as string;
    if (messages.length === 0) {
      return loadOnly(response, model, requested, sessionMs, (doneReason) => ({
        message: { role: "assistant", content: "" },
        done: true,
        done_reason: doneReason,
      }));
    }
    const turn: ChatTurn = {
      requested,
      model,
      messages,
      think: think ?? true,
      tools: Array.isArray(body.tools) && body.tools.length > 0,
      maxTokens: positiveInteger((body.options as { num_predict?: unknown } | undefined)?.num_predict),
      keepAliveMs: sessionMs,
      stream: body.stream !== false,
    };
    await chat(turn, nativeWire(turn), response, started);
  }

  async function openAiChat(request: IncomingMessage, response: ServerResponse, started: number): Promise<void> {
    const body = await readJson(request);
    const messages = messagesOf(body.messages);
    if (messages.length === 0) throw new HttpError(400, "[] is too short - 'messages'");
    const reasoning = body.reasoning as { effort?: string } | undefined;
    const think = thinkFromReasoningEffort(reasoning?.effort ?? (body.reasoning_effort as string | undefined));
    const model = installed(body.model);
    const turn: ChatTurn = {
      requested: body.model as string,
      model,
      messages,
      think: think ?? true,
      tools: Array.isArray(body.tools) && body.tools.length > 0,
      maxTokens: positiveInteger(body.max_tokens),
      keepAliveMs: undefined,
      stream: body.stream === true,
    };
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    await chat(turn, openAiWire(turn, includeUsage), response, started);
  }

  async function loadWithGenerate(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJson(request);
    const model = installed(body.model);
    if (typeof body.prompt === "string" && body.prompt !== "") {
      throw new HttpError(501, "the stand-in only loads models with /api/generate (empty prompt); use /api/chat");
    }
    await loadOnly(response, model, body.model as string, keepAliveMs(body.keep_alive), (doneReason) => ({
      response: "",
      done: true,
      done_reason: doneReason,
    }));
  }

  function ps(response: ServerResponse): void {
    const now = Date.now();
    for (const runner of [...runners.values()]) if (expired(runner, now)) remove(runner);
    const models = [...runners.values()]
      .map((runner) => ({
        name: runner.model.name,
        model: runner.model.name,
        size: runner.model.size,
        digest: runner.model.digest,
        details: runner.model.details,
        expires_at: new Date(runner.expiresAt ?? now + runner.sessionMs).toISOString(),
        // CPU only: nothing in VRAM.
        size_vram: 0,
        context_length: runner.contextLength,
      }))
      // Longest time left first.
      .sort((a, b) => b.expires_at.localeCompare(a.expires_at));
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    response.end(goJson({ models }));
  }

  return async (request, response, url) => {
    const started = performance.now();
    const route = `${request.method} ${url.pathname}`;
    const openAi = route === "POST /v1/chat/completions";
    const handlers: Record<string, () => Promise<void> | void> = {
      "GET /api/ps": () => ps(response),
      "POST /api/generate": () => loadWithGenerate(request, response),
      "POST /api/chat": () => nativeChat(request, response, started),
      "POST /v1/chat/completions": () => openAiChat(request, response, started),
    };
    const handler = handlers[route];
    if (handler === undefined) return false;
    try {
      await handler();
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const { contentType, body } = (openAi ? openAiError : nativeError)(error.status, error.message);
      response.writeHead(error.status, { "content-type": contentType });
      response.end(body);
    }
    return true;
  };
}

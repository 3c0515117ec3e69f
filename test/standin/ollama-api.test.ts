/**
 * The stand-in's inference API over HTTP (plain fetch against a spawned `ollama serve`): the wire formats of
 * Ollama's /v1 and native chat, the timings a script sets, /api/ps, `cycle`, and every fault.
 */
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Standin, startStandin } from "./spawn.js";

const LOAD_MS = 100;
const TOOLS = [{ type: "function", function: { name: "transfer_call", parameters: { type: "object" } } }];
const TIMED = { ttftMs: 60, tokenMs: 40, words: 5 };

const SCRIPT = {
  rules: [
    {
      user_contains: "TRANSFER",
      reply: {
        reasoning: "The caller wants support.",
        content: "Transferring you now.",
        tool_calls: [{ name: "transfer_call", arguments: { department: "support <1>" } }],
      },
    },
    {
      user_contains: "timing",
      reply: { content: Array.from({ length: TIMED.words }, (_, i) => `w${i}`).join(" ") },
      ttft_ms: TIMED.ttftMs,
      token_ms: TIMED.tokenMs,
    },
    { user_contains: "flaky", cycle: [{ content: "first" }, { content: "second" }] },
    { user_contains: "call completed", reply: { content: "You are through to support." } },
    { user_contains: "fail500", fault: "http_500" },
    { user_contains: "stall", reply: { content: "one two three four" }, fault: "stall", fault_after_tokens: 2 },
    { user_contains: "drop", reply: { content: "one two three four" }, fault: "drop", fault_after_tokens: 2 },
    { user_contains: "malformed", reply: { content: "one two" }, fault: "malformed", fault_after_tokens: 1 },
    { user_contains: "queued", reply: { content: "x y" }, ttft_ms: 50, token_ms: 30 },
    { model: "other:latest", reply: { content: "other model" } },
  ],
};

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin({
    models: ["theo", "other", "idle"],
    script: SCRIPT,
    env: { OLLAMA_STANDIN_LOAD_MS: String(LOAD_MS) },
  });
});
afterAll(() => standin?.stop());

const post = (route: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${standin.url}${route}`, { method: "POST", body: JSON.stringify(body), signal: signal ?? null });

const user = (content: string) => [{ role: "user", content }];

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked field by field
type Json = any;

const jsonOf = async (response: Response | Promise<Response>): Promise<Json> => (await response).json();

/** POST /api/chat, not streamed: the one body. */
const nativeChat = (body: Record<string, unknown>): Promise<Json> =>
  jsonOf(post("/api/chat", { ...body, stream: false }));

/** The SSE body's `data:` payloads, checking the framing: every event is `data: …` followed by a blank line. */
function sseData(body: string): string[] {
  expect(body.endsWith("\n\n")).toBe(true);
  return body
    .slice(0, -2)
    .split("\n\n")
    .map((event) => {
      expect(event).toMatch(/^data: /);
      return event.slice("data: ".length);
    });
}

async function streamV1(body: Record<string, unknown>): Promise<Json[]> {
  const response = await post("/v1/chat/completions", { stream: true, ...body });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const data = sseData(await response.text());
  expect(data.at(-1)).toBe("[DONE]");
  return data.slice(0, -1).map((text) => JSON.parse(text));
}

describe("POST /v1/chat/completions, streamed", () => {
  it("sends reasoning then content word by word, each tool call whole in one chunk, the finish and the usage", async () => {
    const chunks = await streamV1({
      model: "theo",
      messages: user("please transfer me"),
      tools: TOOLS,
      stream_options: { include_usage: true },
    });
    const [first] = chunks;
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: first.id,
        object: "chat.completion.chunk",
        created: first.created,
        model: "theo",
        system_fingerprint: "fp_ollama",
      });
    }
    expect(first.id).toMatch(/^chatcmpl-\d{1,3}$/);
    const deltas = chunks.filter((c) => c.choices.length === 1 && c.choices[0].finish_reason === null);
    expect(deltas.map((c) => c.choices[0].delta)).toEqual([
      { role: "assistant", content: "", reasoning: "The " },
      { role: "assistant", content: "", reasoning: "caller " },
      { role: "assistant", content: "", reasoning: "wants " },
      { role: "assistant", content: "", reasoning: "support." },
      { role: "assistant", content: "Transferring " },
      { role: "assistant", content: "you " },
      { role: "assistant", content: "now." },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          {
            id: expect.stringMatching(/^call_[a-z0-9]{8}$/),
            index: 0,
            type: "function",
            function: { name: "transfer_call", arguments: '{"department":"support \\u003c1\\u003e"}' },
          },
        ],
      },
    ]);
    const toolCall = deltas.at(-1).choices[0].delta.tool_calls[0];
    expect(JSON.parse(toolCall.function.arguments)).toEqual({ department: "support <1>" });
    expect(chunks.slice(deltas.length)).toMatchObject([
      { choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: "tool_calls" }] },
      { choices: [], usage: { completion_tokens: 8, total_tokens: chunks.at(-1).usage.prompt_tokens + 8 } },
    ]);
    expect(chunks.at(-1).usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("leaves the reasoning out when reasoning_effort is none, and the usage when include_usage is not set", async () => {
    const chunks = await streamV1({
      model: "theo",
      messages: user("transfer"),
      tools: TOOLS,
      reasoning_effort: "none",
    });
    expect(chunks.some((c) => c.choices[0]?.delta.reasoning !== undefined)).toBe(false);
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "Transferring " });
    expect(chunks.at(-1).choices[0]).toEqual({
      index: 0,
      delta: { role: "assistant", content: "" },
      finish_reason: "tool_calls",
    });
    expect(chunks.some((c) => "usage" in c)).toBe(false);
  });

  it("finishes with stop when no tool is called, and rejects an unknown reasoning_effort like Ollama", async () => {
    const chunks = await streamV1({ model: "theo", messages: user("hello") });
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([
      { role: "assistant", content: "Certo." },
      { role: "assistant", content: "" },
    ]);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("stop");

    const bad = await post("/v1/chat/completions", { model: "theo", messages: user("hi"), reasoning_effort: "lots" });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error).toMatchObject({ type: "invalid_request_error", param: null, code: null });
  });
});

describe("POST /v1/chat/completions, not streamed", () => {
  it("answers one chat.completion with the content, reasoning, whole tool calls and usage", async () => {
    const response = await post("/v1/chat/completions", { model: "theo", messages: user("transfer"), tools: TOOLS });
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = await jsonOf(response);
    expect(body).toEqual({
      id: expect.stringMatching(/^chatcmpl-\d{1,3}$/),
      object: "chat.completion",
      created: expect.any(Number),
      model: "theo",
      system_fingerprint: "fp_ollama",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Transferring you now.",
            reasoning: "The caller wants support.",
            tool_calls: [
              {
                id: expect.stringMatching(/^call_[a-z0-9]{8}$/),
                index: 0,
                type: "function",
                function: { name: "transfer_call", arguments: '{"department":"support \\u003c1\\u003e"}' },
              },
            ],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: 8, total_tokens: expect.any(Number) },
    });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 8);
  });

  it("drops tool calls when the request has no tools, and stops at max_tokens with finish_reason length", async () => {
    const response = await post("/v1/chat/completions", { model: "theo", messages: user("transfer"), max_tokens: 5 });
    const { choices, usage } = await jsonOf(response);
    expect(choices[0].message).toEqual({
      role: "assistant",
      content: "Transferring ",
      reasoning: "The caller wants support.",
    });
    expect(choices[0].finish_reason).toBe("length");
    expect(usage.completion_tokens).toBe(5);
  });
});

describe("POST /api/chat", () => {
  it("streams NDJSON whose last line has the metrics, with eval_duration the time the tokens took", async () => {
    const started = performance.now();
    const response = await post("/api/chat", { model: "theo", messages: user("timing") });
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const arrivals: number[] = [];
    let text = "";
    const decoder = new TextDecoder();
    for await (const piece of response.body as ReadableStream<Uint8Array>) {
      arrivals.push(performance.now() - started);
      text += decoder.decode(piece, { stream: true });
    }
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(TIMED.words + 1);
    expect(lines[0]).toEqual({
      model: "theo",
      created_at: expect.any(String),
      message: { role: "assistant", content: "w0 " },
      done: false,
    });
    const done = lines.at(-1);
    expect(done).toMatchObject({ message: { role: "assistant", content: "" }, done: true, done_reason: "stop" });
    expect(done.eval_count).toBe(TIMED.words);
    const ms = (ns: number) => ns / 1e6;
    // Tokens go out on deadlines: the first no sooner than ttft_ms after the request arrived, the end of sequence
    // (the last line) no sooner than a token_ms after each token. These follow from the deadlines, whatever the
    // machine's load; how exactly the stand-in keeps them is bench:smoke's business.
    expect(done.eval_duration).toBeGreaterThan(0);
    expect(ms(done.prompt_eval_duration)).toBeGreaterThanOrEqual(TIMED.ttftMs);
    // The parts never add up to more than the whole.
    expect(done.total_duration).toBeGreaterThanOrEqual(
      done.load_duration + done.prompt_eval_duration + done.eval_duration - 2,
    );
    // The client's clock started before the server's: what the server waited, the client waited too.
    expect(arrivals[0]).toBeGreaterThanOrEqual(TIMED.ttftMs);
    expect(arrivals.at(-1) as number).toBeGreaterThanOrEqual(TIMED.ttftMs + TIMED.words * TIMED.tokenMs);
  });

  it("answers one body when stream is false; think false leaves the thinking out; tool calls have objects", async () => {
    const thinking = await nativeChat({ model: "theo", messages: user("transfer"), tools: TOOLS });
    expect(thinking.message).toEqual({
      role: "assistant",
      content: "Transferring you now.",
      thinking: "The caller wants support.",
      tool_calls: [
        {
          id: expect.stringMatching(/^call_[a-z0-9]{8}$/),
          function: { index: 0, name: "transfer_call", arguments: { department: "support <1>" } },
        },
      ],
    });
    expect(thinking).toMatchObject({ done: true, done_reason: "stop", eval_count: 8 });
    const quiet = await nativeChat({ model: "theo", messages: user("transfer"), tools: TOOLS, think: false });
    expect(quiet.message.thinking).toBeUndefined();
    expect(quiet.eval_count).toBe(4);
  });

  it("serves one request per model at a time (OLLAMA_NUM_PARALLEL=1): the second waits for the first", async () => {
    const lines = async (response: Promise<Response>) =>
      (await (await response).text())
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
    const [first, second] = await Promise.all([
      lines(post("/api/chat", { model: "theo", messages: user("queued") })),
      lines(post("/api/chat", { model: "theo", messages: user("queued") })),
    ]);
    // Whichever the server took first finished (its last line written, 110 ms in) before the other's first token
    // was made; served side by side, both would have made their first token 50 ms in.
    const [earlier, later]: Json[] = [first, second].sort((a, b) => a[0].created_at.localeCompare(b[0].created_at));
    expect(Date.parse(later[0].created_at)).toBeGreaterThanOrEqual(Date.parse(earlier.at(-1).created_at));
  });
});

describe("GET /api/ps", () => {
  it("lists a model from its first request, which waits for the load, until its keep_alive runs out", async () => {
    const names = async () => ((await jsonOf(fetch(`${standin.url}/api/ps`))).models as Json[]).map((m) => m.name);
    expect(await names()).not.toContain("other:latest");

    const cold = await nativeChat({ model: "other", messages: user("hi") });
    expect(cold.message.content).toBe("other model");
    // The load is a deadline on the monotonic clock; a warm model is not loaded again.
    expect(cold.load_duration / 1e6).toBeGreaterThanOrEqual(LOAD_MS);
    const warm = await nativeChat({ model: "other", messages: user("hi") });
    expect(warm.load_duration / 1e6).toBeLessThan(cold.load_duration / 1e6);

    const { models } = await jsonOf(fetch(`${standin.url}/api/ps`));
    const tags = (await jsonOf(fetch(`${standin.url}/api/tags`))).models as Json[];
    const other = models.find((m: Json) => m.name === "other:latest");
    expect(other).toEqual({
      name: "other:latest",
      model: "other:latest",
      size: expect.any(Number),
      digest: tags.find((m) => m.name === "other:latest").digest,
      details: expect.objectContaining({ format: "gguf" }),
      expires_at: expect.any(String),
      size_vram: 0,
      context_length: 4096,
    });
    // The default keep_alive is 5 minutes from the end of the last request.
    expect(Date.parse(other.expires_at) - Date.now()).toBeGreaterThan(295_000);
    expect(Date.parse(other.expires_at) - Date.now()).toBeLessThanOrEqual(300_000);
    expect(await names()).not.toContain("idle:latest");

    // keep_alive 0 unloads it once the request is done.
    await nativeChat({ model: "other", messages: user("hi"), keep_alive: 0 });
    expect(await names()).not.toContain("other:latest");
  });

  it("reports the model's num_ctx as its context length, and forgets it when its keep_alive runs out", async () => {
    const created = await post("/api/create", { model: "wide", parameters: { num_ctx: 8192 } });
    expect(await created.text()).toContain('"success"');
    await nativeChat({ model: "wide", messages: user("hi"), keep_alive: "300ms" });
    const loaded = (await jsonOf(fetch(`${standin.url}/api/ps`))).models.find((m: Json) => m.name === "wide:latest");
    expect(loaded.context_length).toBe(8192);
    expect(Date.parse(loaded.expires_at) - Date.now()).toBeLessThanOrEqual(300);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const later = (await jsonOf(fetch(`${standin.url}/api/ps`))).models as Json[];
    expect(later.map((m) => m.name)).not.toContain("wide:latest");
  });
});

describe("scripts", () => {
  it("gives the nth request matching a cycle rule the nth reply, round and round", async () => {
    const replies: string[] = [];
    for (let i = 0; i < 4; i++) {
      const body = await nativeChat({ model: "theo", messages: user("a flaky one") });
      replies.push(body.message.content);
    }
    expect(replies).toEqual(["first", "second", "first", "second"]);
  });

  it("matches the last user message only, and a rule's model whatever the tag spelling", async () => {
    const messages = [...user("transfer"), { role: "assistant", content: "ok" }, ...user("hello")];
    const body = await nativeChat({ model: "theo", messages });
    expect(body.message.content).toBe("Certo.");
    const other = await nativeChat({ model: "other:latest", messages: user("x") });
    expect(other.message.content).toBe("other model");
  });

  it("answers a tool's result by the tool message's text, as the model answers what the tool said", async () => {
    const call = { function: { name: "transfer_call", arguments: { department: "support" } } };
    const messages = [
      ...user("TRANSFER me"),
      { role: "assistant", content: "", tool_calls: [call] },
      { role: "tool", content: "call completed" },
    ];
    const native = await nativeChat({ model: "theo", messages, tools: TOOLS, think: false });
    expect(native.message).toEqual({ role: "assistant", content: "You are through to support." });
    const v1 = await jsonOf(
      post("/v1/chat/completions", { model: "theo", messages: messages.slice(0, 1), tools: TOOLS }),
    );
    expect(v1.choices[0].message.tool_calls[0].function.name).toBe("transfer_call");
  });
});

describe("OLLAMA_MAX_LOADED_MODELS=1", () => {
  let capped: Standin;
  beforeAll(async () => {
    capped = await startStandin({
      models: ["first", "second"],
      script: { rules: [{ user_contains: "slow", reply: { content: "one two three" }, ttft_ms: 150, token_ms: 30 }] },
      env: { OLLAMA_MAX_LOADED_MODELS: "1", OLLAMA_NUM_PARALLEL: "2", OLLAMA_STANDIN_LOAD_MS: "20" },
    });
  });
  afterAll(() => capped?.stop());

  const loadedNames = async () => ((await jsonOf(fetch(`${capped.url}/api/ps`))).models as Json[]).map((m) => m.name);
  const chatOn = (model: string, content: string): Promise<Json> =>
    jsonOf(
      fetch(`${capped.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model, messages: user(content), stream: false }),
      }),
    );

  it("loads a second model only once the first is idle, unloading the first (server/sched.go)", async () => {
    await chatOn("first", "hi");
    expect(await loadedNames()).toEqual(["first:latest"]);
    // The second model's load waits for the first's request in flight to end.
    const [busy, next] = await Promise.all([chatOn("first", "slow"), chatOn("second", "hi")]);
    expect(Date.parse(next.created_at)).toBeGreaterThanOrEqual(Date.parse(busy.created_at));
    // Its wait for the unload counts in its load_duration, as the scheduler's wait does in Ollama's.
    expect(next.load_duration).toBeGreaterThan(busy.load_duration);
    expect(await loadedNames()).toEqual(["second:latest"]);
  });
});

describe("script validation", () => {
  it("refuses to start on a script with a misspelt key or an unknown fault, saying where", async () => {
    const started = startStandin({
      models: [],
      script: { rules: [{ user_contain: "x" }, { reply: { content: "x" }, fault: "boom" }] },
    });
    await expect(started).rejects.toThrow(/rules\.0: Unrecognized key: "user_contain"/);
    await expect(started).rejects.toThrow(/rules\.1\.fault: Invalid option/);
  });
});

describe("faults", () => {
  it("http_500 answers 500 with Ollama's error bodies before streaming", async () => {
    const v1 = await post("/v1/chat/completions", { model: "theo", messages: user("fail500"), stream: true });
    expect(v1.status).toBe(500);
    expect(await jsonOf(v1)).toEqual({
      error: {
        message: expect.stringContaining("model runner has unexpectedly stopped"),
        type: "api_error",
        param: null,
        code: null,
      },
    });
    const native = await post("/api/chat", { model: "theo", messages: user("fail500") });
    expect(native.status).toBe(500);
    expect(await jsonOf(native)).toEqual({ error: expect.stringContaining("model runner has unexpectedly stopped") });
  });

  it("stall sends the first tokens and then nothing, until the client gives up; the next request is served", async () => {
    const controller = new AbortController();
    const response = await post(
      "/v1/chat/completions",
      { model: "theo", messages: user("stall"), stream: true },
      controller.signal,
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while ((text.match(/^data: /gm) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    const next = reader.read();
    const quiet = await Promise.race([next.then(() => "chunk"), new Promise((r) => setTimeout(() => r("quiet"), 300))]);
    expect(quiet).toBe("quiet");
    controller.abort();
    await expect(next).rejects.toThrow();
    expect(text).toContain('"content":"one "');
    expect(text).not.toContain("three");

    // The stalled request gave its slot back when the client went away.
    const after = await post(
      "/api/chat",
      { model: "theo", messages: user("hello"), stream: false },
      AbortSignal.timeout(2000),
    );
    expect((await jsonOf(after)).message.content).toBe("Certo.");
  });

  it("drop breaks the connection mid-stream", async () => {
    const response = await post("/v1/chat/completions", { model: "theo", messages: user("drop"), stream: true });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    const readAll = async () => {
      for (let part = await reader.read(); !part.done; part = await reader.read())
        text += new TextDecoder().decode(part.value);
    };
    await expect(readAll()).rejects.toThrow();
    expect((text.match(/^data: /gm) ?? []).length).toBe(2);
    expect(text).not.toContain("[DONE]");
  });

  it("malformed sends a chunk that is not JSON, then the rest of the stream", async () => {
    const response = await post("/v1/chat/completions", { model: "theo", messages: user("malformed"), stream: true });
    const data = sseData(await response.text());
    expect(data[1]).toBe('{"id":');
    expect(() => JSON.parse(data[1] as string)).toThrow(SyntaxError);
    expect(JSON.parse(data[0] as string).choices[0].delta.content).toBe("one ");
    expect(JSON.parse(data[2] as string).choices[0].delta.content).toBe("two");
    expect(data.at(-1)).toBe("[DONE]");
  });

  it("the environment's fault and timing apply to requests whose rule sets none", async () => {
    const faulty = await startStandin({
      models: ["theo"],
      env: { OLLAMA_STANDIN_FAULT: "http_500", OLLAMA_STANDIN_TTFT_MS: "80", OLLAMA_STANDIN_LOAD_MS: "0" },
    });
    try {
      const started = performance.now();
      const response = await fetch(`${faulty.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "theo", messages: user("hi") }),
      });
      expect(response.status).toBe(500);
      expect(performance.now() - started).toBeGreaterThanOrEqual(79);
    } finally {
      await faulty.stop();
    }
  });
});

describe("errors and the access log", () => {
  it("answers 404 for a model it does not have, in each API's error shape", async () => {
    const v1 = await post("/v1/chat/completions", { model: "nope", messages: user("hi") });
    expect(v1.status).toBe(404);
    expect(await v1.text()).toBe(
      '{"error":{"message":"model \'nope\' not found","type":"not_found_error","param":null,"code":null}}\n',
    );
    const native = await post("/api/chat", { model: "nope", messages: user("hi") });
    expect(native.status).toBe(404);
    expect(await native.text()).toBe(`{"error":"model 'nope' not found"}`);
  });

  it("logs every request as a [GIN] line", async () => {
    await (await post("/api/chat", { model: "nope", messages: user("hi") })).text();
    // The line is written as the response closes, and reaches this process through a pipe.
    await vi.waitFor(() => expect(standin.log()).toContain('[GIN] | 404 | POST "/api/chat"'));
    expect(standin.log()).toContain('[GIN] | 200 | POST "/v1/chat/completions"');
  });
});

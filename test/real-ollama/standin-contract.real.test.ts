/**
 * The stand-in Ollama (test/standin/) held to the real one (the newest version test/services builds; what an
 * older one answers differently is listed, so the product's handling of it is known): one table of requests — every endpoint the product
 * uses, an unknown model, bad requests, chat with and without tools, streamed and not, /api/ps after a load —
 * sent to both, and the responses compared by shape: status, content type, fields and their types, the
 * sequence of chunks, and the values that carry meaning (finish_reason, done_reason, object, role, type).
 * The stand-in serves fault injection; this keeps it honest. With OLLAMA_MAX_LOADED_MODELS=1 both also unload an
 * idle model to load another (server/sched.go), checked by what /api/ps lists after each request. Its replies come from a script that answers what
 * the real server's generated model answers (test/fixtures/real-ollama/theo/behaviour.yaml).
 */

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Standin, startStandin } from "../standin/spawn.js";
import { parseBehaviour } from "./behaviour.js";
import { theoBehaviour } from "./fixture.js";
import { buildLookupModel } from "./lookup-model.js";
import { type OllamaServer, startOllama } from "./server.js";
import { recordSummary } from "./summary.js";
import { NEWEST_OLLAMA, OLLAMA_VERSIONS } from "./versions.js";

const MODEL = "theo";
const TOOLS = [
  {
    type: "function",
    function: {
      name: "transfer_call",
      description: "Transfere a ligação.",
      parameters: { type: "object", properties: { department: { type: "string" } }, required: ["department"] },
    },
  },
];
const TOOL_PROMPT = "Quero falar com o suporte";
const TEXT_PROMPT = "Qual o horário de funcionamento";
/** What the stand-in answers to the prompts above: what the generated model answers. */
const SCRIPT = {
  rules: [
    {
      user_contains: "suporte",
      reply: { tool_calls: [{ name: "transfer_call", arguments: { department: "suporte" } }] },
    },
    {
      user_contains: "funcionamento",
      reply: { content: "A gente atende de segunda a sexta, das oito às dezoito, tá?" },
    },
  ],
};

interface Request {
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  /** Send the body as this text instead (bad JSON). */
  raw?: string;
}

const user = (content: string) => [{ role: "user", content }];
/** A call as a conversation goes on after a tool call: the tool's result (ending in a reply's word) is answered. */
const TOOL_RESULT = "Consultei o horário de funcionamento";
const answered = (assistant: object, tool: object) => [...user(TOOL_PROMPT), assistant, tool];
const REQUESTS: Request[] = [
  { name: "version", method: "GET", path: "/api/version" },
  { name: "tags", method: "GET", path: "/api/tags" },
  { name: "load with an empty prompt", method: "POST", path: "/api/generate", body: { model: MODEL } },
  { name: "ps after the load", method: "GET", path: "/api/ps" },
  {
    name: "native chat, text, one body",
    method: "POST",
    path: "/api/chat",
    body: { model: MODEL, messages: user(TEXT_PROMPT), stream: false, think: false },
  },
  {
    name: "native chat, text, streamed",
    method: "POST",
    path: "/api/chat",
    body: { model: MODEL, messages: user(TEXT_PROMPT), think: false },
  },
  {
    name: "native chat, tools, one body",
    method: "POST",
    path: "/api/chat",
    body: { model: MODEL, messages: user(TOOL_PROMPT), tools: TOOLS, stream: false },
  },
  {
    name: "native chat, tools, streamed",
    method: "POST",
    path: "/api/chat",
    body: { model: MODEL, messages: user(TOOL_PROMPT), tools: TOOLS },
  },
  { name: "native chat, no messages: a load", method: "POST", path: "/api/chat", body: { model: MODEL, messages: [] } },
  {
    name: "native chat, a tool's result answered",
    method: "POST",
    path: "/api/chat",
    body: {
      model: MODEL,
      messages: answered(
        { role: "assistant", content: "", tool_calls: [{ function: { name: "transfer_call", arguments: {} } }] },
        { role: "tool", content: TOOL_RESULT },
      ),
      tools: TOOLS,
      stream: false,
    },
  },
  {
    name: "v1, a tool's result answered, streamed",
    method: "POST",
    path: "/v1/chat/completions",
    body: {
      model: MODEL,
      messages: answered(
        {
          role: "assistant",
          tool_calls: [{ id: "call_1", type: "function", function: { name: "transfer_call", arguments: "{}" } }],
        },
        { role: "tool", content: TOOL_RESULT, tool_call_id: "call_1" },
      ),
      tools: TOOLS,
      stream: true,
    },
  },
  {
    name: "v1 text, one body",
    method: "POST",
    path: "/v1/chat/completions",
    body: { model: MODEL, messages: user(TEXT_PROMPT), temperature: 0.2, top_p: 0.9 },
  },
  {
    name: "v1 text, streamed with usage",
    method: "POST",
    path: "/v1/chat/completions",
    body: {
      model: MODEL,
      messages: user(TEXT_PROMPT),
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: "none",
    },
  },
  {
    name: "v1 tools, one body",
    method: "POST",
    path: "/v1/chat/completions",
    body: { model: MODEL, messages: user(TOOL_PROMPT), tools: TOOLS },
  },
  {
    name: "v1 tools, streamed",
    method: "POST",
    path: "/v1/chat/completions",
    body: { model: MODEL, messages: user(TOOL_PROMPT), tools: TOOLS, stream: true },
  },
  {
    name: "v1 max_tokens cuts the reply",
    method: "POST",
    path: "/v1/chat/completions",
    body: { model: MODEL, messages: user(TEXT_PROMPT), max_tokens: 2 },
  },
  {
    name: "native chat, unknown model",
    method: "POST",
    path: "/api/chat",
    body: { model: "nenhum", messages: user("oi") },
  },
  {
    name: "v1, unknown model",
    method: "POST",
    path: "/v1/chat/completions",
    body: { model: "nenhum", messages: user("oi") },
  },
  { name: "native chat, not JSON", method: "POST", path: "/api/chat", raw: "{not json" },
  { name: "v1, no messages", method: "POST", path: "/v1/chat/completions", body: { model: MODEL, messages: [] } },
  {
    name: "native chat, unload with keep_alive 0",
    method: "POST",
    path: "/api/chat",
    body: { model: MODEL, messages: [], keep_alive: 0 },
  },
];

/** Values that mean something, kept; everything else becomes its type. */
const LITERAL_KEYS = new Set([
  "finish_reason",
  "done_reason",
  "done",
  "object",
  "role",
  "type",
  "system_fingerprint",
  "content_type",
]);

function shape(value: unknown, key = ""): unknown {
  if (LITERAL_KEYS.has(key)) return value;
  if (Array.isArray(value)) {
    const items = [...new Set(value.map((item) => JSON.stringify(shape(item))))];
    return items.map((item) => JSON.parse(item));
  }
  if (value === null) return null;
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k], k)]),
    );
  }
  return typeof value;
}

/** A response as its shape: a streamed one as its chunks' shapes, a run of equal shapes written once. */
async function responseShape(base: string, request: Request) {
  const response = await fetch(`${base}${request.path}`, {
    method: request.method,
    ...(request.raw !== undefined
      ? { body: request.raw }
      : request.body !== undefined
        ? { body: JSON.stringify(request.body) }
        : {}),
  });
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0];
  const text = await response.text();
  let body: unknown;
  if (contentType === "text/event-stream") {
    body = text
      .split("\n\n")
      .filter((event) => event.startsWith("data: "))
      .map((event) => event.slice("data: ".length))
      .map((data) => (data === "[DONE]" ? "[DONE]" : shape(JSON.parse(data))));
  } else if (contentType === "application/x-ndjson") {
    body = text
      .trim()
      .split("\n")
      .map((line) => shape(JSON.parse(line)));
  } else {
    body = shape(JSON.parse(text));
  }
  if (Array.isArray(body)) {
    const chunks: unknown[] = body;
    body = chunks.filter((chunk, i) => i === 0 || JSON.stringify(chunk) !== JSON.stringify(chunks[i - 1]));
  }
  return { status: response.status, content_type: contentType, body };
}

/** Where an older Ollama answers otherwise than the newest (and so the stand-in), and how. */
const OLDER_VERSIONS_DIFFER: Readonly<Record<string, Record<string, string>>> = {
  "0.11.4": {
    "native chat, tools, one body": "tool calls have no id and no function.index",
    "native chat, tools, streamed": "tool calls have no id and no function.index",
    "v1, unknown model": 'the error\'s type is "api_error", not "not_found_error"',
  },
};

describe.each(OLLAMA_VERSIONS)("the stand-in against Ollama %s", (version) => {
  let real: OllamaServer;
  let standin: Standin;
  beforeAll(async () => {
    real = await startOllama(version);
    const model = buildLookupModel(theoBehaviour());
    writeFileSync(path.join(real.dir, "model.gguf"), model.gguf);
    writeFileSync(path.join(real.dir, "Modelfile"), model.modelfile("./model.gguf"));
    const created = await real.cli(["create", MODEL, "-f", "Modelfile"], { cwd: real.dir });
    expect(created.exitCode, created.stderr).toBe(0);
    standin = await startStandin({ models: [MODEL], script: SCRIPT });
  }, 120_000);
  afterAll(async () => {
    await real?.stop();
    await standin?.stop();
  });

  it("answers every request of the table in the same shape (an older version: as listed)", async () => {
    const differences: Record<string, { standin: unknown; real: unknown }> = {};
    for (const request of REQUESTS) {
      const [ours, theirs] = [await responseShape(standin.url, request), await responseShape(real.url, request)];
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differences[request.name] = { standin: ours, real: theirs };
    }
    if (version === NEWEST_OLLAMA) expect(differences).toEqual({});
    else expect(Object.keys(differences).sort()).toEqual(Object.keys(OLDER_VERSIONS_DIFFER[version] ?? {}).sort());
    recordSummary(`standin-contract-${version}`, {
      standin_contract: {
        [version]: {
          requests: REQUESTS.length,
          differences: Object.keys(differences).length,
          ...(version === NEWEST_OLLAMA ? {} : { older_version_differs: OLDER_VERSIONS_DIFFER[version] }),
        },
      },
    });
  });
});

/** What /api/ps lists after each request, in order: the models a server keeps loaded. */
async function loadedAfterEach(base: string, requests: Request[]): Promise<string[][]> {
  const lists: string[][] = [];
  for (const request of requests) {
    await responseShape(base, request);
    const { models } = (await (await fetch(`${base}/api/ps`)).json()) as { models: { name: string }[] };
    lists.push(models.map((m) => m.name).sort());
  }
  return lists;
}

describe(`OLLAMA_MAX_LOADED_MODELS=1: the stand-in's scheduler against Ollama ${NEWEST_OLLAMA}`, () => {
  // Two models of their own GGUFs: Ollama keys a runner by the model's blob, so two names FROM one GGUF share one.
  const SECOND = "classifier";
  const env = { OLLAMA_MAX_LOADED_MODELS: "1" };
  let real: OllamaServer;
  let standin: Standin;
  beforeAll(async () => {
    real = await startOllama(NEWEST_OLLAMA, env);
    const second = parseBehaviour(
      readFileSync(path.resolve(import.meta.dirname, "../fixtures/real-ollama/load/classifier.yaml"), "utf8"),
      "classifier.yaml",
    );
    for (const [name, behaviour] of [
      [MODEL, theoBehaviour()],
      [SECOND, second],
    ] as const) {
      const model = buildLookupModel(behaviour);
      writeFileSync(path.join(real.dir, `${name}.gguf`), model.gguf);
      writeFileSync(path.join(real.dir, `${name}.Modelfile`), model.modelfile(`./${name}.gguf`));
      const created = await real.cli(["create", name, "-f", `${name}.Modelfile`], { cwd: real.dir });
      expect(created.exitCode, created.stderr).toBe(0);
    }
    standin = await startStandin({ models: [MODEL, SECOND], script: SCRIPT, env });
  }, 120_000);
  afterAll(async () => {
    await real?.stop();
    await standin?.stop();
  });

  it("unloads the idle model to load another, on both", async () => {
    const chatWith = (model: string): Request => ({
      name: `chat with ${model}`,
      method: "POST",
      path: "/api/chat",
      body: { model, messages: user(TEXT_PROMPT), stream: false, think: false },
    });
    const requests = [chatWith(MODEL), chatWith(SECOND), chatWith(MODEL)];
    const expected = [[`${MODEL}:latest`], [`${SECOND}:latest`], [`${MODEL}:latest`]];
    expect(await loadedAfterEach(real.url, requests)).toEqual(expected);
    expect(await loadedAfterEach(standin.url, requests)).toEqual(expected);
    // Counted with the versions' tables: three requests, the same models listed after each on both servers.
    recordSummary("standin-contract-max-loaded", {
      standin_contract: {
        [`${NEWEST_OLLAMA} OLLAMA_MAX_LOADED_MODELS=1`]: { requests: requests.length, differences: 0 },
      },
    });
  });
});

/**
 * The smoke's client and runner against the stand-in Ollama server in its own process: what each fault
 * the server can show ends as (a clear error, no hang), and how runs become case results.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BUDGETS } from "../../src/smoke/budgets.js";
import { loadCaseSuite } from "../../src/smoke/cases.js";
import { type ChatRequest, type OllamaClient, ollamaClient } from "../../src/smoke/client.js";
import { runSmoke } from "../../src/smoke/run.js";
import { type Standin, startStandin } from "../standin/spawn.js";

const say = (content: string) => ({ reply: { content } });
const SCRIPT = {
  rules: [
    { user_contains: "erro", fault: "http_500" },
    { user_contains: "trava", fault: "stall", fault_after_tokens: 2, reply: { content: "um dois três quatro" } },
    { user_contains: "cai", fault: "drop", fault_after_tokens: 1, reply: { content: "um dois três" } },
    { user_contains: "quebra", fault: "malformed", fault_after_tokens: 1, reply: { content: "um dois três" } },
    { user_contains: "sem fim", token_ms: 40, reply: { content: "bla ".repeat(200) } },
    {
      user_contains: "suporte",
      reply: {
        reasoning: "O cliente quer o suporte.",
        content: "Vou te passar pro suporte.",
        tool_calls: [{ name: "transfer_call", arguments: { department: "suporte" } }],
      },
    },
    {
      user_contains: "vendas",
      // Each timed run is two requests (streamed, then native for the timings): runs alternate right, wrong.
      cycle: [
        { content: "Claro.", tool_calls: [{ name: "transfer_call", arguments: { department: "vendas" } }] },
        { content: "Claro.", tool_calls: [{ name: "transfer_call", arguments: { department: "vendas" } }] },
        { content: "Claro.", tool_calls: [{ name: "transfer_call", arguments: { department: "financeiro" } }] },
        { content: "Claro.", tool_calls: [{ name: "transfer_call", arguments: { department: "financeiro" } }] },
      ],
    },
    say("Bom dia! Como posso ajudar?"),
  ],
};

let server: Standin;
beforeAll(async () => {
  server = await startStandin({ models: ["agente"], script: SCRIPT, env: { OLLAMA_STANDIN_TOKEN_MS: "2" } });
}, 30_000);
afterAll(() => server?.stop());

const TRANSFER = {
  type: "function" as const,
  function: { name: "transfer_call", parameters: { type: "object", properties: { department: { type: "string" } } } },
};

const ask = (content: string, overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "agente",
  messages: [{ role: "user", content }],
  tools: [TRANSFER],
  request: { temperature: 0, top_p: 0.9, seed: 1, max_tokens: 50, reasoning_effort: "none" },
  ...overrides,
});

describe("the client: every fault ends as a clear error, never a hang", () => {
  const client = () => ollamaClient(server.url, { idleMs: 800, requestMs: 5000, loadMs: 5000, apiMs: 5000 });

  it.each([
    ["a 500", "erro", /^HTTP 500: /],
    ["a stall mid-stream", "trava", /^stalled: no chunk for 800 ms after 2 token chunk\(s\)$/],
    ["a dropped connection", "cai", /terminated|socket|closed|reset|ended without a finish_reason/i],
    ["a malformed chunk", "quebra", /^malformed chunk \(not JSON\)/],
  ])("%s", async (_, prompt, message) => {
    const started = Date.now();
    const observation = await client().chat(ask(prompt), true);
    expect(observation.error, observation.error).toMatch(message);
    // Ended by the fault or the 800 ms idle limit, not by the 5 s request limit (nor a hang).
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("a stream that keeps going past the request's time limit is cut there", async () => {
    const started = Date.now();
    const observation = await ollamaClient(server.url, { idleMs: 800, requestMs: 600, loadMs: 5000, apiMs: 5000 }).chat(
      ask("sem fim"),
      true,
    );
    expect(observation.error).toMatch(/^still streaming after 600 ms \(\d+ token chunks\)$/);
    // Cut at the limit, long before the 200 tokens' 8 s.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("a model the server does not have is its 404", async () => {
    const observation = await client().chat(ask("oi", { model: "nenhum" }), true);
    expect(observation.error).toMatch(/^HTTP 404: .*nenhum/);
  });

  it("reasoning comes before the content when thinking is left on, and not at all when it is off", async () => {
    const thinking = await client().chat(ask("suporte", { request: { temperature: 0 } }), true);
    expect(thinking.reasoning).toBe("O cliente quer o suporte.");
    expect(thinking.tReasoningMs).toBeLessThanOrEqual(thinking.ttftMs as number);
    expect(thinking.toolCalls).toEqual([{ name: "transfer_call", arguments: '{"department":"suporte"}' }]);
    expect(thinking.finishReason).toBe("tool_calls");
    const quiet = await client().chat(ask("suporte"), true);
    expect(quiet.reasoning).toBe("");
    expect(quiet.tToolMs).toBeGreaterThanOrEqual(quiet.ttftMs as number);
  });
});

const CASES = `
defaults:
  model: agente
  request: { temperature: 0, top_p: 0.9, seed: 1, max_tokens: 50, reasoning_effort: none }
  repeat: 4
tools:
  - type: function
    function:
      name: transfer_call
      parameters: { type: object, properties: { department: { type: string } }, required: [department] }
cases:
  - id: suporte
    critical: true
    messages: [{ role: user, content: "Quero o suporte" }]
    expect: { tool_calls: [{ name: transfer_call, arguments: { department: suporte } }] }
  - id: vendas
    pass: { at_least: 2 }
    messages: [{ role: user, content: "Quero vendas" }]
    expect: { tool_calls: [{ name: transfer_call, arguments: { department: vendas } }] }
  - id: saudacao
    messages: [{ role: user, content: "Bom dia" }]
    expect: { no_tool_call: true, content: { max_words: 10 } }
    budgets: { ttft_ms: 100000 }
`;

describe("runSmoke", () => {
  it("times every run, calls a case that flips flaky, and judges accuracy against the budget", async () => {
    const suite = loadCaseSuite([{ file: "casos.yaml", text: CASES }]);
    const lines: string[] = [];
    const report = await runSmoke(ollamaClient(server.url), suite, {
      environment: { gpu: false, runner: { os: "t", arch: "x", cpus: 1, memory_mib: 1, node: "v" }, started_at: "" },
      defaultBudgets: DEFAULT_BUDGETS,
      log: (line) => lines.push(line),
    });
    const byId = Object.fromEntries(report.cases.map((c) => [c.id, c]));
    expect(byId.suporte).toMatchObject({ passed: true, runs: 4, passes: 4, flaky: false });
    expect(byId.vendas).toMatchObject({ passed: true, runs: 4, passes: 2, flaky: true });
    expect(byId.vendas?.failures).toEqual([
      expect.stringMatching(/^transfer_call\.department: .*financeiro.* \(runs 2, 4 of 4\)$/),
    ]);
    expect(byId.saudacao).toMatchObject({ passed: true, passes: 4 });
    const model = report.models.agente;
    // 10 of 12 tool-checking runs passed: 83.3 % misses the default 95 % budget.
    expect(model?.tool_accuracy_pct).toBe(83.3);
    expect(model?.budget_failures).toEqual(["tool accuracy 83.3 % < budget 95 % (−11.7 points)"]);
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual(["agente: tool accuracy 83.3 % < budget 95 % (−11.7 points)"]);
    expect(model?.metrics.ttft_ms?.n).toBe(12);
    // 2 ms a token is 500 tokens/s; only a unit error (ms for s, ns for ms) falls below 10.
    expect(model?.metrics.decode_tps?.p50).toBeGreaterThan(10);
    expect(model?.memory?.context_length).toBeGreaterThan(0);
    expect(report.environment.ollama_version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(lines.filter((l) => l.startsWith("agente: vendas"))).toHaveLength(4);
  });

  it("a critical case that fails fails the smoke, and a missing model fails its cases", async () => {
    const text = CASES.replace("Quero o suporte", "Quero o suporte, mas erro").replace(
      "cases:\n",
      "cases:\n  - id: outro-modelo\n    model: fantasma\n    messages: [{ role: user, content: oi }]\n    expect: { no_tool_call: true }\n",
    );
    const suite = loadCaseSuite([{ file: "casos.yaml", text }]);
    const report = await runSmoke(ollamaClient(server.url), suite, {
      environment: { gpu: false, runner: { os: "t", arch: "x", cpus: 1, memory_mib: 1, node: "v" }, started_at: "" },
      defaultBudgets: { gpu: {}, cpu: {} },
      repeat: 1,
    });
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([
      expect.stringMatching(/^model fantasma is not on the server \(it has: agente:latest\)$/),
      expect.stringMatching(/^critical case suporte \(agente\) failed: request failed: HTTP 500: /),
    ]);
  });
});

describe("the client against a hostile or broken server", () => {
  const servers: { close(): void }[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
  });
  /** A server whose every answer `handle` writes. */
  async function serve(handle: (url: string, response: import("node:http").ServerResponse) => void): Promise<string> {
    const { createServer } = await import("node:http");
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () => handle(request.url ?? "", response));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push({
      close: () => {
        server.closeAllConnections();
        server.close();
      },
    });
    return `http://127.0.0.1:${(server.address() as import("node:net").AddressInfo).port}`;
  }
  const timeouts = { idleMs: 800, requestMs: 800, loadMs: 800, apiMs: 800 };

  it("a non-streamed answer that stalls after its headers ends at the request's deadline", async () => {
    const url = await serve((_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"id":');
    });
    const started = Date.now();
    const observation = await ollamaClient(url, timeouts).chat(ask("oi"), false);
    expect(observation.error).toBe("no complete answer within 800 ms (not streamed)");
    // The 800 ms deadline, not the 30 s test timeout.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("no answer at all (a stall before the headers): streamed, the idle limit; not streamed, the request's", async () => {
    const url = await serve(() => {});
    const client = ollamaClient(url, { ...timeouts, idleMs: 400 });
    expect((await client.chat(ask("oi"), true)).error).toBe("stalled: no chunk for 400 ms after 0 token chunk(s)");
    expect((await client.chat(ask("oi"), false)).error).toBe("no complete answer within 800 ms (not streamed)");
  });

  it("a reply of more than a million characters is cut off there", async () => {
    const url = await serve((_, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (content: string) =>
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      const piece = chunk("x".repeat(64 * 1024));
      let sent = 0;
      const next = () => {
        if (sent++ < 40 && !response.destroyed) response.write(piece, next);
      };
      next();
    });
    const observation = await ollamaClient(url, { ...timeouts, requestMs: 10_000, idleMs: 5000 }).chat(ask("oi"), true);
    expect(observation.error).toBe("the reply passed 1048576 characters");
  });

  it("a 5 MB error body is clipped in the message", async () => {
    const url = await serve((_, response) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "x".repeat(5_000_000) }));
    });
    const client = ollamaClient(url, timeouts);
    const chat = await client.chat(ask("oi"), true);
    expect(chat.error?.length).toBeLessThan(1000);
    const load = await client.load("agente").catch((e: Error) => e.message);
    expect(load).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/api\/chat: HTTP 500: \{"error":"x+… \(more than 64 KiB\)$/);
  });

  it.each([
    [
      "/api/tags whose models are not a list",
      '{"models": 5}',
      (c: OllamaClient) => c.models(),
      /\/api\/tags: an unexpected answer: models: /,
    ],
    [
      "/api/ps with a size that is not a number",
      '{"models":[{"name":"a","size":"x","size_vram":0}]}',
      (c: OllamaClient) => c.loaded(),
      /\/api\/ps: an unexpected answer: models\.0\.size: /,
    ],
    ["/api/version that is not JSON", "<html>", (c: OllamaClient) => c.version(), /\/api\/version: not JSON: "<html>"/],
  ])("%s is one clear error", async (_, body, call, message) => {
    const url = await serve((_, response) => response.end(body));
    await expect(call(ollamaClient(url, timeouts))).rejects.toThrow(message);
  });

  it("a refused connection names the URL and the cause; a stalled answer names the limit", async () => {
    // A port nothing listens on any more (9, the discard port, fetch refuses outright).
    const closed = await serve(() => {});
    servers.pop()?.close();
    await expect(ollamaClient(closed, timeouts).version()).rejects.toThrow(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/version: fetch failed: .*ECONNREFUSED/,
    );
    const url = await serve((_, response) =>
      response.writeHead(200, { "content-type": "application/json" }).flushHeaders(),
    );
    await expect(ollamaClient(url, timeouts).version()).rejects.toThrow(
      /\/api\/version: no complete answer within 800 ms$/,
    );
  });
});

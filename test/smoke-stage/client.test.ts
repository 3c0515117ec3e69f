/**
 * The smoke's client and runner against the stand-in Ollama server in its own process: what each fault
 * the server can show ends as (a clear error, no hang), and how runs become case results.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BUDGETS } from "../../src/smoke/budgets.js";
import { loadCaseSuite } from "../../src/smoke/cases.js";
import { type ChatRequest, ollamaClient } from "../../src/smoke/client.js";
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
  const client = () => ollamaClient(server.url, { idleMs: 800, requestMs: 5000, loadMs: 5000 });

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
    const observation = await ollamaClient(server.url, { idleMs: 800, requestMs: 600, loadMs: 5000 }).chat(
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

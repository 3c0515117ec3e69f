/** runCases against the stand-in Ollama server: how timed runs become case results, metrics and budget verdicts. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/render.js";
import { DEFAULT_BUDGETS } from "../../src/smoke/budgets.js";
import { loadCaseSuite } from "../../src/smoke/cases.js";
import { ollamaClient } from "../../src/smoke/client.js";
import { runCases } from "../../src/smoke/session.js";
import type { Standin } from "../standin/spawn.js";
import { startScriptedStandin } from "./servers.js";

let server: Standin;
beforeAll(async () => {
  server = await startScriptedStandin();
}, 30_000);
afterAll(() => server?.stop());

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

describe("runCases", () => {
  it("times every run, calls a case that flips flaky, and judges accuracy against the budget", async () => {
    const suite = loadCaseSuite([{ file: "casos.yaml", text: CASES }]);
    const lines: string[] = [];
    const report = await runCases(ollamaClient(server.url), suite, {
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
    const report = await runCases(ollamaClient(server.url), suite, {
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

  it("a model /api/ps does not list has no size in the report, only the host's GPU reading", async () => {
    const suite = loadCaseSuite([{ file: "casos.yaml", text: CASES }]);
    const client = { ...ollamaClient(server.url), loaded: async () => [] };
    const report = await runCases(client, suite, {
      environment: { gpu: true, runner: { os: "t", arch: "x", cpus: 1, memory_mib: 1, node: "v" }, started_at: "" },
      defaultBudgets: { gpu: {}, cpu: {} },
      repeat: 1,
      gpuMemory: async () => 1234,
    });
    expect(report.models.agente?.memory).toEqual({ gpu_used_mib: 1234 });
    expect(renderReport({ marker: "m", head: report })).not.toContain("| VRAM |");
  });
});

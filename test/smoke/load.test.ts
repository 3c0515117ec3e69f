/**
 * The smoke under load against the stand-in Ollama (its own process): conversations overlap, a tool call's result
 * goes back as a `tool` message and the answer to it is judged, a resident model's eviction is dated, and budgets
 * bound the p95. Timings are only ever bounded from below, by the deadlines the stand-in's script sets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCaseSuite } from "../../src/smoke/cases.js";
import { type ChatRequest, type OllamaClient, ollamaClient } from "../../src/smoke/client.js";
import { formatSmokeText } from "../../src/smoke/format.js";
import { attachLoadReport, runLoadProfile } from "../../src/smoke/load.js";
import { parseSmokeReport } from "../../src/smoke/report-schema.js";
import { smokeReport } from "../report/fixtures.js";
import { type Standin, startStandin } from "../standin/spawn.js";

/** The stand-in's first token comes this long after a request gets its slot. */
const TTFT_MS = 150;

const SCRIPT = {
  rules: [
    // A reply that holds the model's one slot for TTFT_MS + 6 × 100 ms.
    { user_contains: "fila", reply: { content: "um dois três quatro cinco" }, ttft_ms: TTFT_MS, token_ms: 100 },
    {
      user_contains: "suporte",
      reply: { tool_calls: [{ name: "transfer_call", arguments: { department: "suporte" } }] },
      ttft_ms: TTFT_MS,
    },
    { user_contains: "confirmada", reply: { content: "Pronto, você já está com o suporte." }, ttft_ms: TTFT_MS },
    { model: "classificador", reply: { content: "NENHUMA" }, ttft_ms: TTFT_MS },
  ],
};

const HEADER = `defaults:
  model: agente
  request: { temperature: 0, max_tokens: 50, reasoning_effort: none }
tools:
  - type: function
    function:
      name: transfer_call
      parameters: { type: object, properties: { department: { type: string } }, required: [department] }
cases:
  - id: hello
    messages: [{ role: user, content: Bom dia }]
    expect: { no_tool_call: true }
`;

const TRANSFER = `    - id: transfer
      turns:
        - user: Quero o suporte
          expect: { tool_calls: [{ name: transfer_call, arguments: { department: suporte } }] }
          tool_result: transferência confirmada
        - expect: { no_tool_call: true, content: { contains: [suporte] } }
`;
const CLASSIFY = `    - id: classify
      model: classificador
      turns: [{ user: Vocês abrem no sábado, expect: { content: { equals: NENHUMA } } }]
`;

const QUEUE = `    - id: queue
      turns: [{ user: Entrando na fila, expect: { content: { contains: [um] } } }]
`;

const suiteWith = (load: string) => loadCaseSuite([{ file: "load.yaml", text: `${HEADER}load:\n${load}` }]);

/** The client, recording what each streamed request sent and when requests started and ended, in order. */
function recording(client: OllamaClient) {
  const requests: ChatRequest[] = [];
  const events: ("start" | "end")[] = [];
  const chat: OllamaClient["chat"] = async (request, stream) => {
    requests.push(request);
    events.push("start");
    const observation = await client.chat(request, stream);
    events.push("end");
    return observation;
  };
  const mostAtOnce = () => {
    let inFlight = 0;
    let most = 0;
    for (const event of events) {
      inFlight += event === "start" ? 1 : -1;
      most = Math.max(most, inFlight);
    }
    return most;
  };
  return { client: { ...client, chat }, requests, mostAtOnce };
}

describe("runLoadProfile against the stand-in (one request per model at a time)", () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin({ models: ["agente", "classificador"], script: SCRIPT });
  });
  afterAll(() => standin?.stop());

  it("returns nothing when the case files have no load section", async () => {
    const suite = loadCaseSuite([{ file: "c.yaml", text: HEADER }]);
    expect(await runLoadProfile(ollamaClient(standin.url), suite)).toBeUndefined();
  });

  it("sends the tool call and its result back, judges the answer, and keeps both models resident", async () => {
    const { client, requests } = recording(ollamaClient(standin.url));
    const suite = suiteWith(`  conversations: 4\n  scripts:\n${TRANSFER}${CLASSIFY}`);
    const load = await runLoadProfile(client, suite, { concurrency: 2, sampleEveryMs: 20 });
    expect(load?.failures).toEqual([]);
    expect(load).toMatchObject({ passed: true, concurrency: 2, concurrency_from: "image", conversations: 4 });
    expect(load?.models.agente).toMatchObject({ conversations: 2, conversations_passed: 2, requests: 4 });
    expect(load?.models.classificador).toMatchObject({ conversations: 2, conversations_passed: 2, requests: 2 });
    // The second turn of a transfer: the caller's words, the model's call with an id, the tool's answer to it.
    const answer = requests.find((r) => r.messages.some((m) => m.role === "tool"));
    expect(answer?.messages).toEqual([
      { role: "user", content: "Quero o suporte" },
      {
        role: "assistant",
        tool_calls: [
          {
            id: "call_1_0",
            type: "function",
            function: { name: "transfer_call", arguments: '{"department":"suporte"}' },
          },
        ],
      },
      { role: "tool", content: "transferência confirmada", tool_call_id: "call_1_0" },
    ]);
    expect(load?.evictions).toEqual([]);
    expect(load?.resident).toEqual(["agente", "classificador"]);
    // Both listed in every sample, so their memory together is known (the stand-in's models take none).
    expect(load?.resident_memory).toEqual({ size_bytes: 0, size_vram_bytes: 0 });
    // Every figure is at least what the script's deadlines make it: the first word TTFT_MS after the slot.
    expect(load?.models.agente?.metrics.t_tool_ms?.p5).toBeGreaterThanOrEqual(TTFT_MS);
    expect(load?.models.agente?.metrics.ttft_ms).toMatchObject({ n: 2 });
    expect(load?.models.agente?.metrics.queue_wait_ms?.n).toBe(4);
    expect(load?.models.classificador?.metrics.decode_tps?.n).toBe(2);
  });

  it("fails a conversation whose answer to the tool result is wrong, naming the turn", async () => {
    const wrong = TRANSFER.replace("contains: [suporte]", "contains: [vendas]");
    const load = await runLoadProfile(
      ollamaClient(standin.url),
      suiteWith(`  conversations: 2\n  scripts:\n${wrong}`),
      {
        concurrency: 2,
      },
    );
    expect(load?.passed).toBe(false);
    expect(load?.failures).toEqual([
      'conversation transfer (agente) failed 2 of 2 times: turn 2: content does not contain "vendas"',
    ]);
    expect(load?.models.agente).toMatchObject({ conversations: 2, conversations_passed: 0, requests: 4 });
  });

  it("overlaps the conversations: with 2 at once on one slot, one request waits for the other's whole reply", async () => {
    const suite = suiteWith(`  conversations: 2\n  scripts:\n${QUEUE}`);
    const together = recording(ollamaClient(standin.url));
    const load = await runLoadProfile(together.client, suite, { concurrency: 2 });
    // Both were in flight at once (sent in the same tick), and the server served them one after the other: the
    // later one's first token came its own TTFT_MS after the earlier one's reply ended (TTFT_MS + 600 ms in).
    expect(together.mostAtOnce()).toBe(2);
    expect(load?.models.agente?.metrics.ttft_ms?.p95).toBeGreaterThanOrEqual(2 * TTFT_MS);

    const alone = recording(ollamaClient(standin.url));
    await runLoadProfile(alone.client, suiteWith(`  conversations: 2\n  scripts:\n${CLASSIFY}`), { concurrency: 1 });
    expect(alone.mostAtOnce()).toBe(1);
  });

  it("judges budgets against the p95 under load, and runs for a duration", async () => {
    const suite = suiteWith(`  duration_s: 0.2
  concurrency: 2
  budgets:
    agente: { t_tool_ms: 1, queue_wait_ms: 600000 }
    classificador: { ttft_ms: 600000, decode_tps: 0.001 }
  scripts:
${TRANSFER}${CLASSIFY}`);
    const load = await runLoadProfile(ollamaClient(standin.url), suite, { concurrency: 7 });
    expect(load).toMatchObject({ concurrency: 2, concurrency_from: "case files" });
    expect(load?.conversations).toBeGreaterThanOrEqual(2);
    expect(load?.failures).toEqual([
      expect.stringMatching(/^agente: t_tool_ms p95 \d+(\.\d)? ms > budget 1 ms under load \(\+\d+(\.\d)? ms\)$/),
    ]);
    expect(load?.models.classificador?.budget_failures).toEqual([]);

    const smoke = smokeReport();
    attachLoadReport(smoke, load);
    expect(smoke.passed).toBe(false);
    expect(smoke.failures.at(-1)).toMatch(/^under load: agente: t_tool_ms p95 /);
    // The report with its load section reads back through its schema, and prints.
    expect(parseSmokeReport(JSON.stringify(smoke), "r.json").load).toEqual(load);
    expect(formatSmokeText(smoke)).toMatch(/under load: \d+\/\d+ conversations passed, 2 at a time \(case files\)/);
  });
});

describe("runLoadProfile against a stand-in that keeps one model loaded (OLLAMA_MAX_LOADED_MODELS=1)", () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin({
      models: ["agente", "classificador"],
      script: SCRIPT,
      env: { OLLAMA_MAX_LOADED_MODELS: "1" },
    });
  });
  afterAll(() => standin?.stop());

  it("fails the run with the eviction of a resident model, naming it and when it happened", async () => {
    const suite = suiteWith(`  conversations: 2\n  scripts:\n${TRANSFER}${CLASSIFY}`);
    const load = await runLoadProfile(ollamaClient(standin.url), suite, { sampleEveryMs: 20 });
    expect(load?.passed).toBe(false);
    // Loading the classifier (after the agent) unloaded the agent before the first conversation started.
    const agent = load?.evictions.find((eviction) => eviction.model === "agente");
    expect(agent).toMatchObject({ loaded_then: ["classificador:latest"] });
    expect(load?.failures).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^agente must stay resident but was not loaded ${agent?.at_ms} ms into the load ` +
            `\\(/api/ps listed: classificador:latest; missing in \\d+ of ${load?.samples} samples\\)$`,
        ),
      ),
    );
    // They were never loaded together, so there is no memory of both to report; the conversations still passed.
    expect(load?.resident_memory).toBeUndefined();
    expect(load?.conversations_passed).toBe(2);
  });
});

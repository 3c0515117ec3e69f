/** Two images' sessions taking turns: the order that cancels drift, and one side's failure left to that side. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCaseSuite } from "../../src/smoke/cases.js";
import { type OllamaClient, ollamaClient } from "../../src/smoke/client.js";
import { choosePairedMode, runInterleaved } from "../../src/smoke/paired.js";
import { CaseSession } from "../../src/smoke/session.js";
import { type Standin, startStandin } from "../standin/spawn.js";

const CASES = `
defaults: { model: agente, repeat: 4, request: { temperature: 0, seed: 1, max_tokens: 20 } }
warmups: 0
cases:
  - id: um
    messages: [{ role: user, content: "Bom dia" }]
    expect: { content: { max_words: 20 } }
  - id: dois
    messages: [{ role: user, content: "Boa tarde" }]
    expect: { content: { max_words: 20 } }
`;

let servers: Standin[] = [];
beforeAll(async () => {
  servers = await Promise.all([startStandin({ models: ["agente"] }), startStandin({ models: ["outro"] })]);
}, 60_000);
afterAll(() => {
  for (const server of servers) server.stop();
});

const environment = { gpu: false, runner: { os: "t", arch: "x", cpus: 1, memory_mib: 1, node: "v" }, started_at: "" };

/** A client that notes which side sent each timed chat request, in order. */
function recording(client: OllamaClient, side: string, calls: string[]): OllamaClient {
  return {
    ...client,
    chat: (request, stream) => {
      const last = request.messages.at(-1);
      if (last?.role === "user" && last.content !== "Olá! Só testando a linha, tudo bem?")
        calls.push(`${side}:${last.content}`);
      return client.chat(request, stream);
    },
  };
}

describe("a paired smoke with both servers up", () => {
  it("sends each request to both sides back to back, alternating A B, B A, and reports each side on its own", async () => {
    const suite = loadCaseSuite([{ file: "c.yaml", text: CASES }]);
    const calls: string[] = [];
    const [base, head] = [
      new CaseSession(suite, { environment, defaultBudgets: { gpu: {}, cpu: {} } }),
      new CaseSession(suite, { environment, defaultBudgets: { gpu: {}, cpu: {} } }),
    ];
    const url = servers[0]?.url as string;
    await runInterleaved([
      { label: "base", image: "b", session: base, environment, client: recording(ollamaClient(url), "A", calls) },
      { label: "head", image: "h", session: head, environment, client: recording(ollamaClient(url), "B", calls) },
    ]);
    // Streamed runs: the same case on both sides in a row; the native timings (not recorded here) pair up alike.
    expect(calls.slice(0, 8)).toEqual([
      "A:Bom dia",
      "B:Bom dia",
      "B:Boa tarde",
      "A:Boa tarde",
      "A:Bom dia",
      "B:Bom dia",
      "B:Boa tarde",
      "A:Boa tarde",
    ]);
    expect(calls).toHaveLength(16);
    for (const session of [base, head]) {
      const report = session.report();
      expect(report.cases.map((c) => [c.id, c.runs])).toEqual([
        ["um", 4],
        ["dois", 4],
      ]);
      expect(session.samples().agente?.ttft_ms).toHaveLength(8);
    }
  });

  it("a side whose server lacks the model fails its cases; the other side is smoked all the same", async () => {
    const suite = loadCaseSuite([{ file: "c.yaml", text: CASES }]);
    const [base, head] = [
      new CaseSession(suite, { environment, defaultBudgets: { gpu: {}, cpu: {} } }),
      new CaseSession(suite, { environment, defaultBudgets: { gpu: {}, cpu: {} } }),
    ];
    await runInterleaved([
      { label: "base", image: "b", session: base, environment, client: ollamaClient(servers[1]?.url as string) },
      { label: "head", image: "h", session: head, environment, client: ollamaClient(servers[0]?.url as string) },
    ]);
    expect(base.report().failures).toEqual([expect.stringMatching(/^model agente is not on the server/)]);
    expect(head.report().passed).toBe(true);
    expect(head.report().cases.every((c) => c.runs === 4)).toBe(true);
  });
});

describe("a session's samples", () => {
  it("have one slot per case and round, so two images' samples line up; rounds not run are empty slots", async () => {
    const suite = loadCaseSuite([{ file: "c.yaml", text: CASES }]);
    const session = new CaseSession(suite, { environment, defaultBudgets: { gpu: {}, cpu: {} } });
    // The base's first block in a paired smoke: half of each case's rounds.
    await session.run(ollamaClient(servers[0]?.url as string), [0, 0.5]);
    const slots = session.samples().agente?.ttft_ms?.map((value) => (value === null ? "empty" : "measured"));
    expect(slots).toEqual(["measured", "measured", "empty", "empty", "measured", "measured", "empty", "empty"]);
  });
});

describe("choosePairedMode", () => {
  it.each([
    [4_000, 10_000, "interleaved"],
    [8_000, 10_000, "interleaved"],
    [8_001, 10_000, "blocks"],
    [20_000, 10_000, "blocks"],
  ])("%i bytes needed, %i free → %s", (needed, free, mode) => {
    expect(choosePairedMode(needed, free)).toBe(mode);
  });
});

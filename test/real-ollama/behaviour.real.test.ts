/**
 * The generator as a reusable tool: behaviour files it has never seen (made here from a seeded random source)
 * become models through make-model.ts and the real `ollama create`, and `ollama-build smoke --endpoint` against
 * the real server reports exactly what each file implies: every reply word for word, every tool call with its
 * arguments, the default reply, the tied pair, and the failures of expectations made wrong on purpose.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { SmokeReport } from "../../src/smoke/types.js";
import { makeProject, spawnCli } from "../helpers.js";
import type { Behaviour, Reply } from "./behaviour.js";
import { replyText } from "./behaviour.js";
import { type OllamaServer, startOllama } from "./server.js";
import { recordSummary } from "./summary.js";
import { OLLAMA_VERSIONS } from "./versions.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

/** mulberry32: a small seeded generator, so a failing seed can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[int(0, items.length - 1)] as T;
  const word = (letters = "abcdefghijlmnopqrstuvxzáéíóúãõç") =>
    Array.from({ length: int(3, 9) }, () => pick([...letters])).join("");
  return { int, pick, word };
}

const TOOLS = ["transfer_call", "end_call", "agendar_visita"];

interface Generated {
  behaviour: Behaviour;
  /** The case file, and what each case must come out as. */
  cases: object;
  expected: Record<string, { passed: boolean; failure?: RegExp }>;
}

/** A behaviour file and the cases that check it, some of them wrong on purpose. */
function generate(seed: number): Generated {
  const r = random(seed);
  const name = `gerado-${seed}`;
  const keywords = [...new Set(Array.from({ length: r.int(4, 7) }, () => r.word()))];
  const sentence = (min: number, max: number) =>
    Array.from({ length: r.int(min, max) }, () => r.word("abcdefghilmnoprstuv")).join(" ");
  const text = (): Reply => ({ text: `${sentence(1, 6)}${r.pick(["", ".", "!", "?"])}` });
  const toolCall = (): Reply => ({
    tool_call: {
      name: r.pick(TOOLS),
      arguments: r.pick([
        { department: r.word() },
        { reason: sentence(1, 3) },
        { dia: r.int(1, 31), turno: r.pick(["manhã", "tarde"]) },
      ]),
    },
  });
  const replies: Behaviour["replies"] = {};
  const tied = keywords[0] as string;
  replies[tied] = [text(), text()];
  for (const keyword of keywords.slice(1)) replies[keyword] = r.int(0, 1) === 0 ? text() : toolCall();
  const behaviour: Behaviour = { name, default: text(), replies };

  const argumentSchema = (value: unknown) => ({ type: typeof value === "number" ? "integer" : "string" });
  const tools = TOOLS.map((tool) => {
    const calls = Object.values(replies).flatMap((reply) =>
      !Array.isArray(reply) && "tool_call" in reply && reply.tool_call.name === tool ? [reply.tool_call] : [],
    );
    const properties = Object.fromEntries(
      calls.flatMap((call) => Object.entries(call.arguments).map(([k, v]) => [k, argumentSchema(v)])),
    );
    return { type: "function", function: { name: tool, parameters: { type: "object", properties } } };
  });
  const expected: Generated["expected"] = {};
  const caseList: object[] = [];
  const ask = (last: string) => [{ role: "user", content: `${sentence(2, 5)} ${last}` }];
  for (const [index, [keyword, reply]] of Object.entries(replies).entries()) {
    if (Array.isArray(reply)) {
      caseList.push({
        id: `empate-${index}`,
        messages: ask(keyword),
        expect: { no_tool_call: true, content: { one_of: reply.map(replyText) } },
      });
      expected[`empate-${index}`] = { passed: true };
    } else if ("text" in reply) {
      caseList.push({
        id: `texto-${index}`,
        messages: ask(keyword),
        expect: { no_tool_call: true, content: { equals: reply.text } },
      });
      expected[`texto-${index}`] = { passed: true };
    } else {
      const { name: tool, arguments: args } = reply.tool_call;
      caseList.push({
        id: `ferramenta-${index}`,
        messages: ask(keyword),
        expect: { tool_calls: [{ name: tool, arguments: args }], extra_args: "forbid" },
      });
      expected[`ferramenta-${index}`] = { passed: true };
      // The same call with one argument off: it must fail, naming that argument.
      const [argument, value] = Object.entries(args)[0] as [string, unknown];
      const wrong = typeof value === "number" ? value + 1 : `${value} errado`;
      caseList.push({
        id: `errado-${index}`,
        messages: ask(keyword),
        expect: { tool_calls: [{ name: tool, arguments: { ...args, [argument]: wrong } }] },
      });
      expected[`errado-${index}`] = { passed: false, failure: new RegExp(`^${tool}\\.${argument}: `) };
    }
  }
  caseList.push({
    id: "padrao",
    messages: ask("palavraqualquer"),
    expect: { no_tool_call: true, content: { equals: replyText(behaviour.default) } },
  });
  expected.padrao = { passed: true };
  const cases = {
    defaults: { model: name, request: { temperature: 0.2, top_p: 0.9, max_tokens: 100 }, repeat: 2 },
    tools,
    // Judged on what the file implies, not on this machine's speed.
    budgets: { [name]: { ttft_ms: 600_000, e2e_ms: 600_000, decode_tps: 0.001, tool_accuracy_pct: 0 } },
    cases: caseList.map((c) => JSON.parse(JSON.stringify(c))),
  };
  return { behaviour, cases, expected };
}

const SEEDS = [7, 1234, 99_991];

describe.each(OLLAMA_VERSIONS)("Ollama %s: behaviour files the generator has never seen", (version) => {
  let server: OllamaServer;
  beforeAll(async () => {
    server = await startOllama(version);
  });
  afterAll(() => server?.stop());

  it.each(SEEDS)("seed %i: the smoke reports exactly what the file implies", async (seed) => {
    const { behaviour, cases, expected } = generate(seed);
    const dir = makeProject({ "behaviour.yaml": stringify(behaviour), "cases.yaml": stringify(cases) });
    // The documented command writes the GGUF and the Modelfile; the real `ollama create` makes the model.
    await execa(
      process.execPath,
      [
        path.join(repositoryRoot, "node_modules/.bin/tsx"),
        path.join(repositoryRoot, "test/real-ollama/make-model.ts"),
        path.join(dir, "behaviour.yaml"),
        path.join(dir, "model"),
      ],
      { cwd: repositoryRoot },
    );
    const created = await server.cli(["create", behaviour.name, "-f", path.join(dir, "model/Modelfile")]);
    expect(created.exitCode, created.stderr).toBe(0);

    const result = await spawnCli(
      dir,
      "smoke",
      "--endpoint",
      server.url,
      "--cases",
      "cases.yaml",
      "--report",
      "r.json",
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, "r.json"), "utf8")) as SmokeReport;
    expect(report.environment.ollama_version).toBe(version);
    expect(Object.fromEntries(report.cases.map((c) => [c.id, c.passed]))).toEqual(
      Object.fromEntries(Object.entries(expected).map(([id, e]) => [id, e.passed])),
    );
    for (const testCase of report.cases) {
      const failure = expected[testCase.id]?.failure;
      if (failure !== undefined)
        expect(
          testCase.failures.every((f) => failure.test(f)),
          testCase.failures.join("\n"),
        ).toBe(true);
      else expect(testCase.failures).toEqual([]);
    }
    const kinds = Object.groupBy(report.cases, (c) => c.id.replace(/-\d+$/, ""));
    const counts = Object.fromEntries(Object.entries(kinds).map(([kind, list]) => [kind, list?.length ?? 0]));
    expect(counts.ferramenta, "a tool call in every generated file").toBeGreaterThan(0);
    recordSummary(`behaviour-${version}-${seed}`, { generated_behaviours: { [`${version}/seed-${seed}`]: counts } });
  });
});

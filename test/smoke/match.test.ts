import { describe, expect, it } from "vitest";
import { checkRun } from "../../src/smoke/match.js";
import type { Expectation, Observation, ObservedToolCall, SmokeCase } from "../../src/smoke/types.js";
import { call, TOOLS } from "./calls.js";

function smokeCase(expectation: Expectation): SmokeCase {
  return {
    id: "case",
    file: "test/smoke/case.yaml",
    model: "theo-voice-agent",
    messages: [{ role: "user", content: "Oi" }],
    tools: TOOLS,
    request: {},
    repeat: 1,
    pass: "all",
    critical: false,
    expect: expectation,
    budgets: {},
  };
}

/** What a run that passes every check gives: no failure of either kind. */
const PASSED = { tools: [], content: [] };

function observation(toolCalls: ObservedToolCall[], content = "", extra: Partial<Observation> = {}): Observation {
  return { stream: true, content, reasoning: "", toolCalls, ...extra };
}

describe("content", () => {
  const long = `${"palavra ".repeat(40)}fim`;
  const rows: { name: string; expect: Expectation["content"]; content: string; failures: string[] }[] = [
    { name: "equals after trim", expect: { equals: "NENHUMA" }, content: "  NENHUMA\n", failures: [] },
    {
      name: "equals is exact otherwise",
      expect: { equals: "NENHUMA" },
      content: "nenhuma",
      failures: ['content is "nenhuma", expected "NENHUMA"'],
    },
    {
      name: "regex on the trimmed content",
      expect: { regex: '^transfer_call\\("suporte"\\)$' },
      content: 'transfer_call("suporte")\n',
      failures: [],
    },
    {
      name: "regex fails",
      expect: { regex: '^transfer_call\\("suporte"\\)$' },
      content: 'transfer_call("vendas")',
      failures: ['content "transfer_call(\\"vendas\\")" does not match /^transfer_call\\("suporte"\\)$/'],
    },
    {
      name: "regex fails on a long answer: it is cut",
      expect: { regex: "^NENHUMA$" },
      content: long,
      failures: [`content ${JSON.stringify(`${long.slice(0, 200)}…`)} does not match /^NENHUMA$/`],
    },
    { name: "one_of, normalised", expect: { one_of: ["NENHUMA", "nada"] }, content: "Nenhuma.", failures: [] },
    {
      name: "one_of, none",
      expect: { one_of: ["NENHUMA", "nada"] },
      content: "sim",
      failures: ['content "sim" is not one of [NENHUMA, nada]'],
    },
    {
      name: "contains, any case",
      expect: { contains: ["Suporte"] },
      content: "Vou te passar pro SUPORTE",
      failures: [],
    },
    {
      name: "contains, each missing one",
      expect: { contains: ["suporte", "tá", "vendas"] },
      content: "Vou te passar pro financeiro, tá?",
      failures: ['content does not contain "suporte"', 'content does not contain "vendas"'],
    },
    {
      name: "not_contains, any case",
      expect: { not_contains: ["<think>", "como uma IA"] },
      content: "<THINK>hmm</THINK> Como uma ia, eu não sei",
      failures: ['content contains "<think>"', 'content contains "como uma IA"'],
    },
    {
      name: "max_words exceeded, words split on any whitespace",
      expect: { max_words: 4 },
      content: " Oi,  tudo\nbem com  você? ",
      failures: ["content has 5 words (max 4)"],
    },
    { name: "max_words at the limit", expect: { max_words: 5 }, content: "Oi, tudo bem com você?", failures: [] },
    { name: "max_words, empty answer", expect: { max_words: 1 }, content: "  ", failures: [] },
  ];

  it.each(rows)("$name", ({ expect: content, content: text, failures }) => {
    expect(checkRun(smokeCase({ content }), observation([], text))).toEqual({ tools: [], content: failures });
  });

  it("never looks at the reasoning", () => {
    const testCase = smokeCase({ content: { not_contains: ["<think>", "modelo de linguagem"], max_words: 3 } });
    const run = observation([], "Oi, tudo bem?", {
      reasoning: "<think> como modelo de linguagem eu devo pensar bastante",
    });
    expect(checkRun(testCase, run)).toEqual(PASSED);
  });
});

describe("streamed and non-streamed runs", () => {
  const streamed = observation([call("transfer_call", { department: "suporte" })]);
  const nonStreamed = (calls: ObservedToolCall[], extra: Partial<Observation> = {}) =>
    observation(calls, "", { stream: false, ...extra });
  const checked = smokeCase({ tool_calls: [{ name: "transfer_call" }], stream_matches_nonstream: true });
  const rows: { name: string; testCase: SmokeCase; nonStream?: Observation; failures: string[] }[] = [
    {
      name: "same call, arguments written differently",
      testCase: checked,
      nonStream: nonStreamed([call("transfer_call", '{ "department" : "suporte" }')]),
      failures: [],
    },
    {
      name: "different arguments",
      testCase: checked,
      nonStream: nonStreamed([call("transfer_call", { department: "vendas" })]),
      failures: [
        'non-streamed run made different tool calls: transfer_call({"department":"vendas"}) ' +
          '(streamed: transfer_call({"department":"suporte"}))',
      ],
    },
    {
      name: "compared exactly, not normalised",
      testCase: checked,
      nonStream: nonStreamed([call("transfer_call", { department: "Suporte" })]),
      failures: [
        'non-streamed run made different tool calls: transfer_call({"department":"Suporte"}) ' +
          '(streamed: transfer_call({"department":"suporte"}))',
      ],
    },
    {
      name: "no call without streaming",
      testCase: checked,
      nonStream: nonStreamed([]),
      failures: [
        'non-streamed run made different tool calls: none (streamed: transfer_call({"department":"suporte"}))',
      ],
    },
    {
      name: "the non-streamed request failed",
      testCase: checked,
      nonStream: nonStreamed([], { error: "HTTP 500" }),
      failures: ["non-streamed run failed: HTTP 500"],
    },
    { name: "no non-streamed run given", testCase: checked, failures: [] },
    {
      name: "not asked for",
      testCase: smokeCase({ tool_calls: [{ name: "transfer_call" }] }),
      nonStream: nonStreamed([]),
      failures: [],
    },
  ];

  it.each(rows)("$name", ({ testCase, nonStream, failures }) => {
    expect(checkRun(testCase, streamed, nonStream)).toEqual({ tools: failures, content: [] });
  });
});

it("a failed request fails with its error only", () => {
  const testCase = smokeCase({ tool_calls: [{ name: "transfer_call" }], content: { contains: ["suporte"] } });
  expect(checkRun(testCase, observation([], "", { error: "stalled: no chunk for 30 s" }))).toEqual({
    tools: ["request failed: stalled: no chunk for 30 s"],
    content: [],
  });
});

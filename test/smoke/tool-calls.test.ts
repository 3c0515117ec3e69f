import { describe, expect, it } from "vitest";
import { normalizeForComparison, toolArgumentsValidator, toolCallFailures } from "../../src/smoke/tool-calls.js";
import type { ArgumentMatcher, Expectation, ObservedToolCall } from "../../src/smoke/types.js";
import { call, TOOLS, transferCall } from "./calls.js";

/** What the tool-call check finds wrong with `calls` made where `expectation` holds. */
const failuresOf = (expectation: Expectation, calls: ObservedToolCall[]) => toolCallFailures(TOOLS, expectation, calls);

describe("normalizeForComparison", () => {
  it.each([
    ["New York, NY", "newyorkny"],
    ["a/b.c-d_e*f^g", "abcdefg"],
    ["SUPORTE Técnico", "suportetécnico"],
    ["transfer_call", "transfercall"],
  ])("%j → %j", (input, normalized) => {
    expect(normalizeForComparison(input)).toBe(normalized);
  });
});

describe("argument matchers", () => {
  const NOT_PRESENT = Symbol("not present");
  const rows: { name: string; matcher: ArgumentMatcher; value: unknown; failure?: string }[] = [
    { name: "string equal after normalisation", matcher: "Suporte Técnico", value: "suporte-técnico" },
    { name: "string differs", matcher: "vendas", value: "suporte", failure: '"suporte" does not equal "vendas"' },
    { name: "a string never equals a number", matcher: 3, value: "3", failure: '"3" does not equal 3' },
    { name: "a number never equals a string", matcher: "3", value: 3, failure: '3 does not equal "3"' },
    { name: "numbers compare numerically", matcher: 3, value: 3.0 },
    { name: "number differs", matcher: 3, value: 4, failure: "4 does not equal 3" },
    { name: "boolean", matcher: true, value: true },
    { name: "a boolean never equals its text", matcher: true, value: "true", failure: '"true" does not equal true' },
    { name: "null", matcher: null, value: null },
    { name: "arrays element by element, strings normalised", matcher: ["São Paulo", 2], value: ["são_paulo", 2] },
    { name: "array order matters", matcher: [1, 2], value: [2, 1], failure: "[2,1] does not equal [1,2]" },
    { name: "one_of: any option, normalised", matcher: { one_of: ["suporte", "support"] }, value: "Support" },
    {
      name: "one_of: none",
      matcher: { one_of: ["suporte", "support"] },
      value: "vendas",
      failure: '"vendas" does not match one_of [suporte, support]',
    },
    {
      name: "one_of: no type coercion",
      matcher: { one_of: [1, 2] },
      value: "1",
      failure: '"1" does not match one_of [1, 2]',
    },
    { name: "regex matches the raw string", matcher: { regex: "^\\d{5}-\\d{3}$" }, value: "01310-100" },
    {
      name: "regex is not normalised",
      matcher: { regex: "^Sim$" },
      value: "sim",
      failure: '"sim" does not match /^Sim$/',
    },
    {
      name: "regex on a non-string",
      matcher: { regex: "^\\d+$" },
      value: 123,
      failure: "123 is not a string (expected a match for /^\\d+$/)",
    },
    { name: "type string", matcher: { type: "string" }, value: "x" },
    { name: "type string, got number", matcher: { type: "string" }, value: 1, failure: "1 is not of type string" },
    { name: "type integer", matcher: { type: "integer" }, value: 2 },
    {
      name: "type integer, got a fraction",
      matcher: { type: "integer" },
      value: 2.5,
      failure: "2.5 is not of type integer",
    },
    { name: "type number takes integers", matcher: { type: "number" }, value: 2 },
    {
      name: "type number, got a numeric string",
      matcher: { type: "number" },
      value: "2",
      failure: '"2" is not of type number',
    },
    { name: "type boolean", matcher: { type: "boolean" }, value: false },
    { name: "type object", matcher: { type: "object" }, value: { a: 1 } },
    { name: "type object, got array", matcher: { type: "object" }, value: [], failure: "[] is not of type object" },
    { name: "type array", matcher: { type: "array" }, value: [] },
    { name: "type null", matcher: { type: "null" }, value: null },
    { name: "type null, got object", matcher: { type: "null" }, value: {}, failure: "{} is not of type null" },
    { name: "absent and not given", matcher: { absent: true }, value: NOT_PRESENT },
    { name: "absent but given", matcher: { absent: true }, value: 1, failure: "expected absent, got 1" },
    { name: "a plain value, not given", matcher: "x", value: NOT_PRESENT, failure: "missing" },
    { name: "an operator, not given", matcher: { type: "string" }, value: NOT_PRESENT, failure: "missing" },
  ];

  it.each(rows)("$name", ({ matcher, value, failure }) => {
    const calls = [call("probe", value === NOT_PRESENT ? {} : { x: value })];
    expect(failuresOf({ tool_calls: [{ name: "probe", arguments: { x: matcher } }] }, calls)).toEqual(
      failure === undefined ? [] : [`probe.x: ${failure}`],
    );
  });

  it("numbers written differently in JSON are equal", () => {
    expect(
      failuresOf({ tool_calls: [{ name: "probe", arguments: { x: 30 } }] }, [call("probe", '{"x": 3.0e1}')]),
    ).toEqual([]);
  });
});

describe("each observed call on its own", () => {
  const contentOnly: Expectation = { content: { max_words: 100 } };
  const rows: { name: string; calls: ObservedToolCall[]; failures: (string | RegExp)[] }[] = [
    { name: "a valid call", calls: [call("transfer_call", { department: "suporte" })], failures: [] },
    {
      name: "a tool the case does not have",
      calls: [call("hang_up", {})],
      failures: ["called hang_up, which is not among the tools"],
    },
    {
      name: "arguments that are not JSON",
      calls: [call("transfer_call", '{"department": ')],
      failures: [/^transfer_call: arguments are not valid JSON: \S/],
    },
    {
      name: "arguments that are not an object",
      calls: [call("transfer_call", "[1]")],
      failures: ["transfer_call: arguments are not a JSON object: [1]"],
    },
    {
      name: "a missing required argument",
      calls: [call("transfer_call", {})],
      failures: ["transfer_call: arguments do not satisfy the tool's schema: must have required property 'department'"],
    },
    {
      name: "a wrongly typed argument",
      calls: [call("transfer_call", { department: 3 })],
      failures: [
        "transfer_call: arguments do not satisfy the tool's schema: /department must be string, " +
          "/department must be equal to one of the allowed values [suporte, vendas, financeiro]",
      ],
    },
    {
      name: "an invented argument",
      calls: [call("transfer_call", { department: "suporte", urgency: "alta" })],
      failures: [
        "transfer_call: arguments do not satisfy the tool's schema: must NOT have additional properties: urgency",
      ],
    },
    {
      name: "every call is checked",
      calls: [call("end_call", { reason: 1 }), call("transfer_call", { department: "suporte" }), call("x", {})],
      failures: [
        "end_call: arguments do not satisfy the tool's schema: /reason must be string",
        "called x, which is not among the tools",
      ],
    },
  ];

  it.each(rows)("$name", ({ calls, failures }) => {
    const expected = failures.map((f) => (typeof f === "string" ? f : expect.stringMatching(f)));
    expect(failuresOf(contentOnly, calls)).toEqual(expected);
  });

  it("an unreadable call that is also compared is reported once", () => {
    const expectation = { tool_calls: [{ name: "transfer_call", arguments: { department: "suporte" } }] };
    expect(failuresOf(expectation, [call("transfer_call", "{")])).toEqual([
      expect.stringMatching(/^transfer_call: arguments are not valid JSON: /),
    ]);
  });

  it("compiles each tool's schema once", () => {
    expect(toolArgumentsValidator(transferCall)).toBe(toolArgumentsValidator(transferCall));
  });
});

describe("expected tool calls", () => {
  const transfer = (department: string) => call("transfer_call", { department });
  const hangUp = call("end_call", { reason: "tchau" });
  const expectTransfer = (department: string) => ({ name: "transfer_call", arguments: { department } });
  const rows: { name: string; expect: Expectation; calls: ObservedToolCall[]; failures: string[] }[] = [
    { name: "no_tool_call, none made", expect: { no_tool_call: true }, calls: [], failures: [] },
    {
      name: "no_tool_call, one made",
      expect: { no_tool_call: true },
      calls: [transfer("suporte")],
      failures: ['expected no tool call, got transfer_call({"department":"suporte"})'],
    },
    {
      name: "one call matches",
      expect: { tool_calls: [expectTransfer("suporte")] },
      calls: [transfer("suporte")],
      failures: [],
    },
    {
      name: "no call made",
      expect: { tool_calls: [expectTransfer("suporte")] },
      calls: [],
      failures: ["expected 1 tool call(s), got 0"],
    },
    {
      name: "one call too many",
      expect: { tool_calls: [expectTransfer("suporte")] },
      calls: [transfer("suporte"), hangUp],
      failures: [
        'expected 1 tool call(s), got 2: transfer_call({"department":"suporte"}), end_call({"reason":"tchau"})',
      ],
    },
    {
      name: "another tool called",
      expect: { tool_calls: [expectTransfer("suporte")] },
      calls: [hangUp],
      failures: ['expected a call to transfer_call, got end_call({"reason":"tchau"})'],
    },
    {
      name: "wrong argument",
      expect: { tool_calls: [expectTransfer("suporte")] },
      calls: [transfer("vendas")],
      failures: ['transfer_call.department: "vendas" does not equal "suporte"'],
    },
    {
      name: "an argument not named is allowed by default",
      expect: { tool_calls: [{ name: "probe", arguments: { x: 1 } }] },
      calls: [call("probe", { x: 1, y: 2 })],
      failures: [],
    },
    {
      name: "extra_args: forbid",
      expect: { tool_calls: [{ name: "probe", arguments: { x: 1 } }], extra_args: "forbid" },
      calls: [call("probe", { x: 1, y: 2 })],
      failures: ["probe.y: not expected (extra_args: forbid), got 2"],
    },
    {
      name: "extra_args: forbid, with no arguments named",
      expect: { tool_calls: [{ name: "probe" }], extra_args: "forbid" },
      calls: [call("probe", { y: 2 })],
      failures: ["probe.y: not expected (extra_args: forbid), got 2"],
    },
    {
      name: "extra_args: forbid, an absent one given",
      expect: { tool_calls: [{ name: "probe", arguments: { x: 1, y: { absent: true } } }], extra_args: "forbid" },
      calls: [call("probe", { x: 1, y: 2 })],
      failures: ["probe.y: expected absent, got 2"],
    },
    {
      name: "order: any, other order",
      expect: { tool_calls: [expectTransfer("suporte"), { name: "end_call" }] },
      calls: [hangUp, transfer("suporte")],
      failures: [],
    },
    {
      name: "order: exact, other order",
      expect: { tool_calls: [expectTransfer("suporte"), { name: "end_call" }], order: "exact" },
      calls: [hangUp, transfer("suporte")],
      failures: [
        'expected a call to transfer_call, got end_call({"reason":"tchau"})',
        'expected a call to end_call, got transfer_call({"department":"suporte"})',
      ],
    },
    {
      name: "order: exact, same order",
      expect: { tool_calls: [expectTransfer("suporte"), { name: "end_call" }], order: "exact" },
      calls: [transfer("suporte"), hangUp],
      failures: [],
    },
    {
      name: "order: any, a call with the right name but wrong arguments",
      expect: { tool_calls: [expectTransfer("suporte"), { name: "end_call" }] },
      calls: [hangUp, transfer("vendas")],
      failures: ['transfer_call.department: "vendas" does not equal "suporte"'],
    },
    {
      name: "order: any, a tool never called",
      expect: { tool_calls: [expectTransfer("suporte"), { name: "end_call" }] },
      calls: [transfer("suporte"), transfer("vendas")],
      failures: [
        'expected a call to end_call, got transfer_call({"department":"suporte"}), transfer_call({"department":"vendas"})',
      ],
    },
    {
      name: "order: any, the first fit is not the pairing that works",
      expect: {
        tool_calls: [
          { name: "probe", arguments: { x: { type: "number" } } },
          { name: "probe", arguments: { x: 1 } },
        ],
      },
      calls: [call("probe", { x: 1 }), call("probe", { x: 2.5 })],
      failures: [],
    },
    {
      name: "order: any, every expected call fits one observed call, but the same one",
      expect: {
        tool_calls: [
          { name: "probe", arguments: { x: { type: "integer" } } },
          { name: "probe", arguments: { x: 1 } },
        ],
      },
      calls: [call("probe", { x: 1 }), call("probe", { x: 2.5 })],
      failures: [
        'the observed calls cannot be paired one-to-one with the expected calls: got probe({"x":1}), probe({"x":2.5})',
      ],
    },
    {
      name: "content-only case: calls are not counted",
      expect: { content: { max_words: 10 } },
      calls: [transfer("suporte")],
      failures: [],
    },
  ];

  it.each(rows)("$name", ({ expect: expectation, calls, failures }) => {
    expect(failuresOf(expectation, calls)).toEqual(failures);
  });
});

import { describe, expect, it } from "vitest";
import { CaseFileError, loadCaseSuite, parseCaseFile } from "../../src/smoke/cases.js";
import type { SmokeCase } from "../../src/smoke/types.js";

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CaseFileError);
    return (error as Error).message;
  }
  throw new Error("expected a CaseFileError, nothing was thrown");
}

/** Nine lines: a case starts on line 10. */
const HEADER = `defaults: { model: theo-voice-agent }
tools:
  - type: function
    function:
      name: transfer_call
      parameters: { type: object, properties: { department: { type: string } }, additionalProperties: false }
  - type: function
    function: { name: end_call, parameters: { type: object, properties: { reason: { type: string } } } }
cases:
`;

/** A case (from line 10) whose lines `extra` adds to; its `expect` is on line 12. */
const withCase = (extra = "", expectation = "{ no_tool_call: true }") => `${HEADER}  - id: x
    messages: [{ role: user, content: Oi }]
    expect: ${expectation}
${extra}`;

describe("parseCaseFile: errors name the file, the line and the case", () => {
  const rows: { name: string; text: string; error: string | RegExp }[] = [
    { name: "YAML syntax", text: "cases: [\n", error: /^f\.yaml:\d+: \S/ },
    { name: "an empty file", text: "", error: "f.yaml: cases: a case file needs at least one case" },
    { name: "no cases", text: "cases: []\n", error: "f.yaml:1: cases: a case file needs at least one case" },
    {
      name: "an unknown top-level key",
      text: `${withCase()}defualts: {}\n`,
      error: 'f.yaml:13: (top level): Unrecognized key: "defualts"',
    },
    {
      name: "an unknown key in a case",
      text: withCase("    critcal: true\n"),
      error: 'f.yaml:13: case "x": Unrecognized key: "critcal"',
    },
    {
      name: "an unknown key in expect",
      text: withCase("", "{ no_tool_call: true, extra: forbid }"),
      error: 'f.yaml:12: case "x": expect: Unrecognized key: "extra"',
    },
    {
      name: "repeat 0",
      text: withCase("    repeat: 0\n"),
      error: 'f.yaml:13: case "x": repeat: Too small: expected number to be >0',
    },
    {
      name: "a pass rule that is neither",
      text: withCase("    pass: most\n"),
      error: 'f.yaml:13: case "x": pass: expected all or {at_least: N}',
    },
    {
      name: "an argument matcher that is no operator",
      text: withCase("", "{ tool_calls: [{ name: transfer_call, arguments: { department: { equals: x } } }] }"),
      error:
        'f.yaml:12: case "x": expect.tool_calls.0.arguments.department: ' +
        "expected a value, or one of {one_of: [...]}, {regex: ...}, {type: ...}, {absent: true}",
    },
    {
      name: "an id with a space",
      text: `${HEADER}  - id: "x y"\n    messages: [{ role: user, content: Oi }]\n    expect: { no_tool_call: true }\n`,
      error: `f.yaml:10: case "x y": id: letters, digits, '.', '_' and '-' only`,
    },
    {
      name: "no messages",
      text: `${HEADER}  - id: x\n    messages: []\n    expect: { no_tool_call: true }\n`,
      error: 'f.yaml:11: case "x": messages: a case needs at least one message',
    },
    {
      name: "an unknown role",
      text: `${HEADER}  - id: x\n    messages: [{ role: caller, content: Oi }]\n    expect: { no_tool_call: true }\n`,
      error: `f.yaml:11: case "x": messages.0.role: Invalid discriminator value. Expected 'system' | 'user' | 'assistant' | 'tool'`,
    },
    {
      name: "the last message from the assistant",
      text: `${HEADER}  - id: x
    messages:
      - { role: user, content: Oi }
      - { role: assistant, content: Oi! }
    expect: { no_tool_call: true }
`,
      error: 'f.yaml:13: case "x": messages.1.role: the last message must be from the user or a tool, got assistant',
    },
    {
      name: "an expected tool the file does not have",
      text: withCase("", "{ tool_calls: [{ name: transfer }] }"),
      error:
        'f.yaml:12: case "x": expect.tool_calls.0.name: "transfer" is not a tool in this file (tools: transfer_call, end_call)',
    },
    {
      name: "an expected tool the case's own tools do not have",
      text: withCase(
        "    tools: [{ type: function, function: { name: end_call } }]\n",
        "{ tool_calls: [{ name: transfer_call }] }",
      ),
      error:
        'f.yaml:12: case "x": expect.tool_calls.0.name: "transfer_call" is not a tool in this case (tools: end_call)',
    },
    {
      name: "an expected argument the tool does not declare",
      text: withCase("", "{ tool_calls: [{ name: transfer_call, arguments: { departmnt: suporte } }] }"),
      error:
        'f.yaml:12: case "x": expect.tool_calls.0.arguments.departmnt: ' +
        'transfer_call has no parameter "departmnt" (parameters: department)',
    },
    {
      name: "an argument regex that does not compile",
      text: withCase("", '{ tool_calls: [{ name: end_call, arguments: { reason: { regex: "[a-" } } }] }'),
      error:
        'f.yaml:12: case "x": expect.tool_calls.0.arguments.reason.regex: ' +
        "Invalid regular expression: /[a-/: Unterminated character class",
    },
    {
      name: "a content regex that does not compile",
      text: withCase("", '{ content: { regex: "(" } }'),
      error: 'f.yaml:12: case "x": expect.content.regex: Invalid regular expression: /(/: Unterminated group',
    },
    {
      name: "tool parameters that are not a JSON Schema",
      text: withCase(
        "    tools: [{ type: function, function: { name: t, parameters: { type: object, requried: [a] } } }]\n",
      ),
      error:
        'f.yaml:13: case "x": tools.0.function.parameters: tool t: not a valid JSON Schema: ' +
        'strict mode: unknown keyword: "requried"',
    },
    {
      name: "tool parameters that are not an object schema",
      text: withCase("    tools: [{ type: function, function: { name: t, parameters: { type: string } } }]\n"),
      error:
        'f.yaml:13: case "x": tools.0.function.parameters: tool t: parameters must be an object schema (type: object)',
    },
    {
      name: "a tool defined twice",
      text: withCase(
        "    tools: [{ type: function, function: { name: t } }, { type: function, function: { name: t } }]\n",
      ),
      error: 'f.yaml:13: case "x": tools.1.function.name: tool t is defined twice',
    },
    {
      name: "no_tool_call with tool_calls",
      text: withCase("", "{ no_tool_call: true, tool_calls: [{ name: end_call }] }"),
      error: 'f.yaml:12: case "x": expect.no_tool_call: cannot be combined with tool_calls',
    },
    {
      name: "no_tool_call without tools",
      text: withCase("    tools: []\n"),
      error: 'f.yaml:12: case "x": expect.no_tool_call: the case has no tools, so no call can be made: give it tools',
    },
    {
      name: "an expectation with nothing to check",
      text: withCase("", "{ order: exact }"),
      error: 'f.yaml:12: case "x": expect: nothing to check: give tool_calls, no_tool_call: true or content',
    },
    {
      name: "at_least more than repeat",
      text: withCase("    repeat: 2\n    pass: { at_least: 3 }\n"),
      error: 'f.yaml:14: case "x": pass: at_least 3 is more than repeat 2',
    },
    {
      name: "at_least from the defaults more than repeat",
      text: withCase().replace(
        "defaults: { model: theo-voice-agent }",
        "defaults: { model: m, pass: { at_least: 2 } }",
      ),
      error: 'f.yaml:10: case "x": pass: at_least 2 (from defaults) is more than repeat 1',
    },
    {
      name: "a critical case that may fail some runs",
      text: withCase("    critical: true\n    repeat: 3\n    pass: { at_least: 2 }\n"),
      error: 'f.yaml:15: case "x": pass: a critical case must pass every run (pass: all), got at_least 2',
    },
    {
      name: "no model",
      text: withCase().replace("defaults: { model: theo-voice-agent }", "defaults: { repeat: 1 }"),
      error: 'f.yaml:10: case "x": model: no model: set model here or defaults.model',
    },
    {
      name: "the same id twice",
      text: `${withCase()}  - id: x\n    messages: [{ role: user, content: Oi }]\n    expect: { no_tool_call: true }\n`,
      error: 'f.yaml:13: case "x": id: also defined in f.yaml:10',
    },
    {
      name: "a budget that is not positive",
      text: `${withCase()}budgets: { theo-voice-agent: { ttft_ms: -1 } }\n`,
      error: "f.yaml:13: budgets.theo-voice-agent.ttft_ms: Too small: expected number to be >0",
    },
    {
      name: "an unknown budget metric",
      text: `${withCase()}budgets: { theo-voice-agent: { ttft: 300 } }\n`,
      error: 'f.yaml:13: budgets.theo-voice-agent: Unrecognized key: "ttft"',
    },
  ];

  it.each(rows)("$name", ({ text, error }) => {
    const message = errorOf(() => parseCaseFile(text, "f.yaml"));
    if (typeof error === "string") expect(message).toBe(error);
    else expect(message).toMatch(error);
  });

  it("reports every problem of a file, one per line", () => {
    const text = withCase("    repeat: 2\n    pass: { at_least: 3 }\n", "{ tool_calls: [{ name: transfer }] }");
    expect(errorOf(() => parseCaseFile(text, "f.yaml")).split("\n")).toEqual([
      'f.yaml:14: case "x": pass: at_least 3 is more than repeat 2',
      'f.yaml:12: case "x": expect.tool_calls.0.name: "transfer" is not a tool in this file (tools: transfer_call, end_call)',
    ]);
  });
});

describe("parseCaseFile: defaults", () => {
  const tool = { type: "function" as const, function: { name: "end_call" } };

  it("applies the file's defaults; a case's request is merged over them, its tools replace them", () => {
    const parsed = parseCaseFile(
      `defaults:
  model: theo-voice-agent
  request: { temperature: 0, seed: 42, reasoning_effort: none }
  repeat: 3
  pass: { at_least: 2 }
tools: [{ type: function, function: { name: transfer_call } }]
cases:
  - id: inherits
    messages: [{ role: user, content: Oi }]
    expect: { no_tool_call: true }
  - id: overrides
    critical: true
    model: theo-classifier
    request: { temperature: 0.1 }
    repeat: 1
    pass: all
    tools: [{ type: function, function: { name: end_call } }]
    messages: [{ role: user, content: Tchau }]
    expect: { tool_calls: [{ name: end_call }] }
    budgets: { ttft_ms: { p90: 500 } }
`,
      "test/smoke/a.yaml",
    );
    const common = { file: "test/smoke/a.yaml" };
    expect(parsed.cases).toEqual<SmokeCase[]>([
      {
        ...common,
        id: "inherits",
        model: "theo-voice-agent",
        messages: [{ role: "user", content: "Oi" }],
        tools: [{ type: "function", function: { name: "transfer_call" } }],
        request: { temperature: 0, seed: 42, reasoning_effort: "none" },
        repeat: 3,
        pass: { at_least: 2 },
        critical: false,
        expect: { no_tool_call: true },
        budgets: {},
      },
      {
        ...common,
        id: "overrides",
        model: "theo-classifier",
        messages: [{ role: "user", content: "Tchau" }],
        tools: [tool],
        request: { temperature: 0.1, seed: 42, reasoning_effort: "none" },
        repeat: 1,
        pass: "all",
        critical: true,
        expect: { tool_calls: [{ name: "end_call" }] },
        budgets: { ttft_ms: { p90: 500 } },
      },
    ]);
  });

  it("without defaults: one run that must pass, no request settings, no tools", () => {
    const parsed = parseCaseFile(
      "cases:\n  - { id: x, model: m, messages: [{ role: user, content: Oi }], expect: { content: { max_words: 3 } } }\n",
      "f.yaml",
    );
    expect(parsed.cases[0]).toMatchObject({ repeat: 1, pass: "all", request: {}, tools: [], critical: false });
  });
});

describe("loadCaseSuite", () => {
  const file = (name: string, ids: string[], top = "") => ({
    file: name,
    text: `${top}defaults: { model: m }
cases:
${ids.map((id) => `  - { id: ${id}, messages: [{ role: user, content: Oi }], expect: { content: { max_words: 3 } } }\n`).join("")}`,
  });

  it("joins the files' cases in order, merges budgets per model and defaults warm-ups to 1", () => {
    const suite = loadCaseSuite([
      file("a.yaml", ["a1", "a2"], "budgets: { m: { ttft_ms: 300, t_tool_ms: { p50: 400 } } }\n"),
      file("b.yaml", ["b1"], "budgets: { m: { ttft_ms: 300, decode_tps: 15 } }\n"),
    ]);
    expect(suite.cases.map((c) => `${c.file} ${c.id}`)).toEqual(["a.yaml a1", "a.yaml a2", "b.yaml b1"]);
    expect(suite.modelBudgets).toEqual({ m: { ttft_ms: 300, t_tool_ms: { p50: 400 }, decode_tps: 15 } });
    expect(suite.warmups).toBe(1);
  });

  it("takes warm-ups from the file that gives them; files that agree are fine", () => {
    const suite = loadCaseSuite([
      file("a.yaml", ["a"]),
      file("b.yaml", ["b"], "warmups: 0\n"),
      file("c.yaml", ["c"], "warmups: 0\n"),
    ]);
    expect(suite.warmups).toBe(0);
  });

  const rows: { name: string; files: { file: string; text: string }[]; error: string }[] = [
    { name: "no files", files: [], error: "no case files" },
    {
      name: "the same id in two files",
      files: [file("a.yaml", ["one", "two"]), file("b.yaml", ["three", "two"])],
      error: 'b.yaml:4: case "two": id: also defined in a.yaml:4',
    },
    {
      name: "two files that give a model different budgets",
      files: [
        file("a.yaml", ["a"], "budgets:\n  m: { ttft_ms: 300 }\n"),
        file("b.yaml", ["b"], "budgets:\n  m:\n    ttft_ms: { p50: 300 }\n"),
      ],
      error: 'b.yaml:3: budgets.m.ttft_ms: {"p50":300} conflicts with 300 in a.yaml:2',
    },
    {
      name: "a budget for a model no case uses",
      files: [file("a.yaml", ["a"], "budgets: { n: { ttft_ms: 300 } }\n")],
      error: "a.yaml:1: budgets.n: no case uses this model (models: m)",
    },
    {
      name: "two files that give different warm-ups",
      files: [file("a.yaml", ["a"], "warmups: 1\n"), file("b.yaml", ["b"], "warmups: 2\n")],
      error: "b.yaml:1: warmups: 2 conflicts with 1 in a.yaml:1",
    },
    {
      name: "errors in several files, all reported",
      files: [file("a.yaml", ["a"], "repeat: 2\n"), file("b.yaml", ["b"]), file("c.yaml", [], "")],
      error: 'a.yaml:1: (top level): Unrecognized key: "repeat"\nc.yaml:2: cases: a case file needs at least one case',
    },
  ];

  it.each(rows)("$name", ({ files, error }) => {
    expect(errorOf(() => loadCaseSuite(files))).toBe(error);
  });
});

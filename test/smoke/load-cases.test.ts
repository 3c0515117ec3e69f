import { describe, expect, it } from "vitest";
import { CaseFileError, loadCaseSuite } from "../../src/smoke/cases.js";
import { DEFAULT_CONVERSATIONS } from "../../src/smoke/load-cases.js";

function errorOf(files: { file: string; text: string }[]): string {
  try {
    loadCaseSuite(files);
  } catch (error) {
    expect(error).toBeInstanceOf(CaseFileError);
    return (error as Error).message;
  }
  throw new Error("expected a CaseFileError, nothing was thrown");
}

/** A case file with one case; its `load:` key is on line 11, what `load` adds starts on line 12. */
const withLoad = (load: string, defaults = "defaults: { model: agent, request: { temperature: 0.2 } }") => `${defaults}
tools:
  - type: function
    function:
      name: transfer_call
      parameters: { type: object, properties: { department: { type: string } }, additionalProperties: false }
cases:
  - id: hello
    messages: [{ role: user, content: Oi }]
    expect: { no_tool_call: true }
load:
${load}`;

/** A conversation as a call goes: a tool call, its result, the answer. */
const TRANSFER = `    - id: transfer
      messages: [{ role: system, content: Você é a Theo. }]
      turns:
        - user: Quero o suporte
          expect: { tool_calls: [{ name: transfer_call, arguments: { department: suporte } }] }
          tool_result: transferência confirmada
        - expect: { content: { contains: [suporte] } }
`;

describe("the load: section of case files", () => {
  it("becomes the suite's load profile: scripts with their turns as cases, the defaults applied", () => {
    const suite = loadCaseSuite([
      {
        file: "a.yaml",
        text: withLoad(`  concurrency: 3
  duration_s: 1.5
  resident: [agent, classifier]
  budgets: { agent: { ttft_ms: 800, decode_tps: 10 } }
  scripts:
${TRANSFER}`),
      },
    ]);
    const load = suite.load;
    expect(load).toMatchObject({
      concurrency: 3,
      extent: { durationMs: 1500 },
      resident: ["agent", "classifier"],
      budgets: { agent: { ttft_ms: 800, decode_tps: 10 } },
    });
    const [script] = load?.scripts ?? [];
    expect(script).toMatchObject({
      id: "transfer",
      file: "a.yaml",
      model: "agent",
      request: { temperature: 0.2 },
      messages: [{ role: "system", content: "Você é a Theo." }],
    });
    expect(script?.tools.map((tool) => tool.function.name)).toEqual(["transfer_call"]);
    expect(script?.turns.map((turn) => [turn.user, turn.toolResult, turn.check.id])).toEqual([
      ["Quero o suporte", "transferência confirmada", "transfer#1"],
      [undefined, undefined, "transfer#2"],
    ]);
    expect(script?.turns[1]?.check.expect).toEqual({ content: { contains: ["suporte"] } });
  });

  it("runs the default number of conversations, keeping every model the scripts use resident", () => {
    const classify = `    - id: classify
      model: classifier
      turns: [{ user: Vocês abrem no sábado, expect: { content: { equals: NENHUMA } } }]
`;
    const suite = loadCaseSuite([{ file: "a.yaml", text: withLoad(`  scripts:\n${TRANSFER}${classify}`) }]);
    expect(suite.load).toMatchObject({
      extent: { conversations: DEFAULT_CONVERSATIONS },
      resident: ["agent", "classifier"],
    });
    expect(suite.load?.concurrency).toBeUndefined();
    expect(
      loadCaseSuite([{ file: "a.yaml", text: withLoad("  scripts: []\n").replace("load:\n  scripts: []\n", "") }]).load,
    ).toBeUndefined();
  });

  it("merges the sections of several files: scripts together, settings given once", () => {
    const other = withLoad(
      `  concurrency: 2
  budgets: { agent: { queue_wait_ms: 50 } }
  scripts:
    - id: again
      turns: [{ user: Oi, expect: { no_tool_call: true } }]
`,
    ).replace("id: hello", "id: hello-2");
    const suite = loadCaseSuite([
      { file: "a.yaml", text: withLoad(`  budgets: { agent: { ttft_ms: 800 } }\n  scripts:\n${TRANSFER}`) },
      { file: "b.yaml", text: other },
    ]);
    expect(suite.load?.scripts.map((s) => s.id)).toEqual(["transfer", "again"]);
    expect(suite.load?.concurrency).toBe(2);
    expect(suite.load?.budgets).toEqual({ agent: { ttft_ms: 800, queue_wait_ms: 50 } });
  });

  const rows: { name: string; load: string; error: string }[] = [
    {
      name: "a tool result on the last turn",
      load: `  scripts:
    - id: t
      turns:
        - { user: Quero o suporte, expect: { tool_calls: [{ name: transfer_call }] }, tool_result: ok }
`,
      error: "a.yaml:15: load.scripts.0.turns.0.tool_result: no turn follows to answer the tool result: add one",
    },
    {
      name: "a tool result for a reply that is not a tool call",
      load: `  scripts:
    - id: t
      turns:
        - { user: Oi, expect: { no_tool_call: true }, tool_result: ok }
        - expect: { no_tool_call: true }
`,
      error:
        "a.yaml:15: load.scripts.0.turns.0.tool_result: a tool result answers a tool call: expect tool_calls in this turn",
    },
    {
      name: "a turn the model would answer itself",
      load: `  scripts:
    - id: t
      turns:
        - { user: Oi, expect: { no_tool_call: true } }
        - expect: { no_tool_call: true }
`,
      error:
        "a.yaml:16: load.scripts.0.turns.1: the model would answer its own reply: give `user` (what the caller says next), or `tool_result` on the turn before",
    },
    {
      name: "a first turn without anything to answer",
      load: `  scripts:
    - id: t
      turns: [{ expect: { no_tool_call: true } }]
`,
      error:
        "a.yaml:14: load.scripts.0.turns.0: the first turn needs `user` (what the caller says), or `messages` ending with a user or tool message",
    },
    {
      name: "an expected tool the script does not have (the case checks)",
      load: `  scripts:
    - id: t
      turns: [{ user: Tchau, expect: { tool_calls: [{ name: end_call }] } }]
`,
      error:
        'a.yaml:14: load.scripts.0.turns.0.expect.tool_calls.0.name: "end_call" is not a tool in this file (tools: transfer_call)',
    },
    {
      name: "both a count and a duration",
      load: `  conversations: 10
  duration_s: 30
  scripts:
    - id: t
      turns: [{ user: Oi, expect: { no_tool_call: true } }]
`,
      error: "a.yaml:13: load.duration_s: give conversations or duration_s, not both",
    },
    {
      name: "a budget name that is not a metric under load",
      load: `  budgets: { agent: { ttft: 800 } }
  scripts:
    - id: t
      turns: [{ user: Oi, expect: { no_tool_call: true } }]
`,
      error: 'a.yaml:12: load.budgets.agent: Unrecognized key: "ttft"',
    },
    {
      name: "a budget for a model no script uses",
      load: `  budgets: { agnet: { ttft_ms: 800 } }
  scripts:
    - id: t
      turns: [{ user: Oi, expect: { no_tool_call: true } }]
`,
      error: "a.yaml:12: load.budgets.agnet: no script uses this model (models: agent)",
    },
    {
      name: "a check a load cannot make",
      load: `  scripts:
    - id: t
      turns: [{ user: Oi, expect: { no_tool_call: true, stream_matches_nonstream: true } }]
`,
      error: "a.yaml:14: load.scripts.0.turns.0.expect.stream_matches_nonstream: not under load: a case checks it",
    },
  ];
  it.each(rows)("refuses $name, saying where", ({ load, error }) => {
    expect(errorOf([{ file: "a.yaml", text: withLoad(load) }])).toBe(error);
  });

  it("refuses a script without a model, and files that disagree, naming both places", () => {
    const noModel = withLoad(
      "  scripts:\n    - id: t\n      turns: [{ user: Oi, expect: { no_tool_call: true } }]\n",
      "",
    );
    expect(
      errorOf([
        {
          file: "a.yaml",
          text: noModel.replace("cases:\n  - id: hello\n", "cases:\n  - id: hello\n    model: agent\n"),
        },
      ]),
    ).toBe("a.yaml:14: load.scripts.0.model: no model: set model here or defaults.model");
    const first = withLoad(`  concurrency: 2\n  scripts:\n${TRANSFER}`);
    const second = withLoad(`  concurrency: 4\n  conversations: 8\n  scripts:\n${TRANSFER}`).replace(
      "id: hello",
      "id: hi",
    );
    const third = withLoad(
      `  duration_s: 60\n  scripts:\n    - id: other\n      turns: [{ user: Oi, expect: { no_tool_call: true } }]\n`,
    ).replace("id: hello", "id: hey");
    expect(
      errorOf([
        { file: "a.yaml", text: first },
        { file: "b.yaml", text: second },
        { file: "c.yaml", text: third },
      ]).split("\n"),
    ).toEqual([
      "b.yaml:15: load.scripts.0.id: script transfer is also defined in a.yaml:14",
      "b.yaml:12: load.concurrency: concurrency 4 conflicts with concurrency 2 in a.yaml:12",
      "c.yaml:12: load.duration_s: duration_s 60 conflicts with conversations 8 in b.yaml:13",
    ]);
  });
});

/**
 * The shipped case files (test/smoke/*.yaml) and the stand-in server's script (standin-script.json) kept in step:
 * every shipped case must pass against the reply the script gives it, and every rule must answer some case.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCaseSuite } from "../../src/smoke/cases.js";
import { checkRun } from "../../src/smoke/match.js";
import type { Observation, SmokeCase } from "../../src/smoke/types.js";
import { DEFAULT_REPLY_CONTENT, loadScript, tokensOf } from "../standin/ollama-script.js";

describe("the shipped cases and the stand-in server's script", () => {
  const pathOf = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  const shipped = ["theo-voice-agent.yaml", "theo-classifier.yaml"].map((name) => ({
    file: `test/smoke/${name}`,
    text: readFileSync(pathOf(name), "utf8"),
  }));
  const suite = loadCaseSuite(shipped);
  // The stand-in's own loader and matching, so the script is checked against the contract it is read with.
  const scriptFile = pathOf("standin-script.json");
  const script = loadScript({ OLLAMA_STANDIN_SCRIPT: scriptFile });
  const plans = new Map(
    suite.cases.map((testCase) => {
      const lastUser = testCase.messages.findLast((m) => m.role === "user")?.content ?? "";
      return [testCase.id, script.plan(testCase.model, lastUser)];
    }),
  );

  /** What the stand-in streams, put together: reasoning only when thinking is not turned off. */
  function replyTo(testCase: SmokeCase, stream: boolean): Observation {
    const reply = plans.get(testCase.id)?.reply ?? {};
    const tokens = tokensOf(reply, {
      think: testCase.request.reasoning_effort !== "none",
      tools: testCase.tools.length > 0,
    });
    const text = (kind: "reasoning" | "content") => tokens.flatMap((t) => (t.kind === kind ? [t.text] : [])).join("");
    return {
      stream,
      content: text("content"),
      reasoning: text("reasoning"),
      toolCalls: tokens.flatMap((t) =>
        t.kind === "tool_call" ? [{ name: t.call.name, arguments: JSON.stringify(t.call.arguments) }] : [],
      ),
    };
  }

  it("load, with the models and sizes the seed implies", () => {
    const count = (model: string) => suite.cases.filter((c) => c.model === model).length;
    expect([count("theo-voice-agent"), count("theo-classifier")]).toEqual([12, 8]);
    expect(suite.modelBudgets).toEqual({});
    expect(suite.cases.filter((c) => c.expect.stream_matches_nonstream).length).toBeGreaterThan(0);
  });

  it.each(suite.cases.map((c) => [c.id, c] as const))("%s passes with the script's reply", (_, testCase) => {
    expect(checkRun(testCase, replyTo(testCase, true), replyTo(testCase, false))).toEqual({ tools: [], content: [] });
  });

  const { rules }: { rules: { model: string; reply: { content?: string; reasoning?: string } }[] } = JSON.parse(
    readFileSync(scriptFile, "utf8"),
  );

  it("every rule answers some case first (none is dead), and no case gets the default reply", () => {
    const replies = [...plans.values()].map((plan) => plan.reply);
    expect(replies.filter((reply) => reply.content === DEFAULT_REPLY_CONTENT)).toEqual([]);
    expect(new Set(replies).size).toBe(rules.length);
  });

  it("the voice agent's replies carry reasoning, kept out of the content", () => {
    const voiceRules = rules.filter((r) => r.model === "theo-voice-agent");
    expect(voiceRules.length).toBeGreaterThan(0);
    for (const { reply } of voiceRules) {
      expect(reply.reasoning, reply.content).toMatch(/\S/);
      expect(reply.content).not.toContain(reply.reasoning);
    }
  });

  it("a run with thinking left on shows the reasoning and still passes", () => {
    const [testCase] = suite.cases;
    if (testCase === undefined) throw new Error("no shipped case");
    const thinking = { ...testCase, request: { ...testCase.request, reasoning_effort: "low" as const } };
    const run = replyTo(thinking, true);
    expect(run.reasoning).toMatch(/\S/);
    expect(checkRun(thinking, run)).toEqual({ tools: [], content: [] });
  });
});

/**
 * Checks one run of a smoke case against its expectation: pure, no I/O. The tool calls are checked as the
 * Berkeley Function-Calling Leaderboard does (tool-calls.ts); the spoken content here.
 */
import { listValues, normalizeForComparison, sameCallsFailures, toolCallFailures } from "./tool-calls.js";
import type { ContentExpectation, Observation, SmokeCase } from "./types.js";

/** A run's failures by what they are about: the tool calls, or the spoken content. */
export interface RunFailures {
  /** A failed request, wrong or missing calls, arguments, stream/non-stream disagreement. */
  tools: string[];
  content: string[];
}

/**
 * Why one run failed (both lists empty: it passed). `nonStreamRun` is the same request without streaming, for a
 * case that compares the two.
 */
export function checkRun(testCase: SmokeCase, run: Observation, nonStreamRun?: Observation): RunFailures {
  if (run.error !== undefined) return { tools: [`request failed: ${run.error}`], content: [] };
  const { expect } = testCase;
  const compared = expect.stream_matches_nonstream && nonStreamRun !== undefined;
  return {
    tools: [
      ...toolCallFailures(testCase.tools, expect, run.toolCalls),
      ...(compared ? sameCallsFailures(run.toolCalls, nonStreamRun) : []),
    ],
    content: expect.content === undefined ? [] : checkContent(expect.content, run.content),
  };
}

/** Long answers are cut in messages: the report shows the reason, not the whole answer. */
function quote(text: string): string {
  const limit = 200;
  return JSON.stringify(text.length > limit ? `${text.slice(0, limit)}…` : text);
}

function checkContent(expected: ContentExpectation, content: string): string[] {
  // Answers often end in a newline; trimming keeps `equals` and an anchored `regex` about the words.
  const text = content.trim();
  const lowered = text.toLowerCase();
  const failures: string[] = [];
  if (expected.equals !== undefined && text !== expected.equals.trim()) {
    failures.push(`content is ${quote(text)}, expected ${quote(expected.equals)}`);
  }
  if (expected.regex !== undefined && !new RegExp(expected.regex).test(text)) {
    failures.push(`content ${quote(text)} does not match /${expected.regex}/`);
  }
  if (expected.one_of !== undefined) {
    const normalized = normalizeForComparison(text);
    if (!expected.one_of.some((option) => normalizeForComparison(option) === normalized)) {
      failures.push(`content ${quote(text)} is not one of ${listValues(expected.one_of)}`);
    }
  }
  for (const needle of expected.contains ?? []) {
    if (!lowered.includes(needle.toLowerCase())) failures.push(`content does not contain ${JSON.stringify(needle)}`);
  }
  for (const needle of expected.not_contains ?? []) {
    if (lowered.includes(needle.toLowerCase())) failures.push(`content contains ${JSON.stringify(needle)}`);
  }
  if (expected.max_words !== undefined) {
    const words = text === "" ? 0 : text.split(/\s+/).length;
    if (words > expected.max_words) failures.push(`content has ${words} words (max ${expected.max_words})`);
  }
  return failures;
}

/**
 * Checks the tool calls of one run: pure, no I/O. It follows the Berkeley Function-Calling Leaderboard's AST
 * checker: strings compare after a light normalisation, the model's arguments must satisfy the tool's own JSON
 * Schema, and "irrelevance" (no call) is a check of its own.
 */
import { isDeepStrictEqual } from "node:util";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type {
  ArgumentMatcher,
  Expectation,
  ExpectedToolCall,
  JsonType,
  Observation,
  ObservedToolCall,
  ToolDefinition,
} from "./types.js";

// strictSchema stays on so a typo such as `requried` is reported when the case file loads instead of silently
// loosening the schema. Formats are not checked (Ajv knows none without ajv-formats, and strict mode would reject
// them); the type/tuple strictness checks only log, so they are off to keep the output clean.
const ajv = new Ajv({ allErrors: true, validateFormats: false, strictTypes: false, strictTuples: false });
const validators = new WeakMap<ToolDefinition, ValidateFunction>();

/** The compiled validator of a tool's `parameters` (once per tool object); throws when the schema is invalid. */
export function toolArgumentsValidator(tool: ToolDefinition): ValidateFunction {
  let validate = validators.get(tool);
  if (validate === undefined) {
    // OpenAI treats an omitted `parameters` as a function without parameters: an empty argument object.
    validate = ajv.compile(tool.function.parameters ?? { type: "object" });
    validators.set(tool, validate);
  }
  return validate;
}

/** BFCL's string normalisation: lower-case, without spaces and the characters `,./-_*^`. */
export function normalizeForComparison(s: string): string {
  return s.toLowerCase().replace(/[ ,./\-_*^]/g, "");
}

/**
 * What is wrong with the calls a run made: each call on its own (a tool the case does not have, arguments its
 * schema refuses), then against what the case expects.
 */
export function toolCallFailures(tools: ToolDefinition[], expect: Expectation, observed: ObservedToolCall[]): string[] {
  const calls = observed.map(readCall);
  const failures = [...calls.flatMap((call) => callProblem(tools, call) ?? []), ...checkToolCalls(expect, calls)];
  // A call whose arguments cannot be read fails both its own check and every comparison: say it once.
  return [...new Set(failures)];
}

/** An observed call with its arguments parsed, or why they could not be. */
type ReadCall = { name: string; raw: string } & (
  | { args: Record<string, unknown>; unreadable?: undefined }
  | { args?: undefined; unreadable: string }
);

function readCall(call: ObservedToolCall): ReadCall {
  const read = { name: call.name, raw: call.arguments };
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch (error) {
    return { ...read, unreadable: `${call.name}: arguments are not valid JSON: ${(error as Error).message}` };
  }
  return isPlainObject(parsed)
    ? { ...read, args: parsed }
    : { ...read, unreadable: `${call.name}: arguments are not a JSON object: ${call.arguments}` };
}

/** What is wrong with a call on its own, whatever the case expects. */
function callProblem(tools: ToolDefinition[], call: ReadCall): string | undefined {
  const tool = tools.find((t) => t.function.name === call.name);
  if (tool === undefined) return `called ${call.name}, which is not among the tools`;
  if (call.args === undefined) return call.unreadable;
  const validate = toolArgumentsValidator(tool);
  if (validate(call.args)) return undefined;
  const errors = (validate.errors ?? []).map(describeSchemaError);
  return `${call.name}: arguments do not satisfy the tool's schema: ${errors.join(", ")}`;
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath ? `${error.instancePath} ` : "";
  // Ajv's message leaves out what a model most often gets wrong: the invented argument, the allowed values.
  let detail = "";
  if (error.keyword === "additionalProperties") detail = `: ${error.params.additionalProperty}`;
  if (error.keyword === "enum") detail = ` ${listValues(error.params.allowedValues)}`;
  return `${where}${error.message}${detail}`;
}

const describeCall = (call: ReadCall) =>
  `${call.name}(${call.args === undefined ? call.raw : JSON.stringify(call.args)})`;
const describeCalls = (calls: ReadCall[]) => (calls.length === 0 ? "none" : calls.map(describeCall).join(", "));

function checkToolCalls(expect: Expectation, calls: ReadCall[]): string[] {
  if (expect.no_tool_call) return calls.length === 0 ? [] : [`expected no tool call, got ${describeCalls(calls)}`];
  const expected = expect.tool_calls;
  if (expected === undefined) return [];
  if (expected.length !== calls.length) {
    const got = calls.length === 0 ? "" : `: ${describeCalls(calls)}`;
    return [`expected ${expected.length} tool call(s), got ${calls.length}${got}`];
  }
  const forbidExtra = expect.extra_args === "forbid";
  const mismatches = expected.map((e) => calls.map((call) => compareCall(e, call, forbidExtra)));
  if (expect.order === "exact") return mismatches.flatMap((row, i) => row[i] ?? []);
  if (hasOneToOneMatch(mismatches)) return [];
  const unmatched = expected.flatMap((e, i) => {
    const row = mismatches[i] ?? [];
    if (row.some((reasons) => reasons.length === 0)) return [];
    const sameName = row.filter((_, j) => calls[j]?.name === e.name);
    if (sameName.length === 0) return [`expected a call to ${e.name}, got ${describeCalls(calls)}`];
    return sameName.reduce((fewest, reasons) => (reasons.length < fewest.length ? reasons : fewest));
  });
  // Every expected call matches some observed call, but two expected calls need the same one.
  return unmatched.length > 0
    ? unmatched
    : [`the observed calls cannot be paired one-to-one with the expected calls: got ${describeCalls(calls)}`];
}

/** Whether each expected call (row) can take a distinct observed call (column) it matches. */
function hasOneToOneMatch(mismatches: string[][][], row = 0, taken = new Set<number>()): boolean {
  if (row === mismatches.length) return true;
  return (mismatches[row] ?? []).some((reasons, column) => {
    if (reasons.length > 0 || taken.has(column)) return false;
    return hasOneToOneMatch(mismatches, row + 1, new Set(taken).add(column));
  });
}

function compareCall(expected: ExpectedToolCall, call: ReadCall, forbidExtra: boolean): string[] {
  if (call.name !== expected.name) return [`expected a call to ${expected.name}, got ${describeCall(call)}`];
  const { args } = call;
  if (args === undefined) return [call.unreadable];
  const matchers = expected.arguments ?? {};
  const reasons = Object.entries(matchers).flatMap(([name, matcher]) => {
    const reason = checkArgument(matcher, Object.hasOwn(args, name), args[name]);
    return reason === undefined ? [] : [`${call.name}.${name}: ${reason}`];
  });
  if (forbidExtra) {
    for (const name of Object.keys(args)) {
      if (!Object.hasOwn(matchers, name)) {
        reasons.push(`${call.name}.${name}: not expected (extra_args: forbid), got ${JSON.stringify(args[name])}`);
      }
    }
  }
  return reasons;
}

/** `[a, b, 3]`: a list of allowed values in a message. */
export const listValues = (values: unknown[]) =>
  `[${values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}]`;

/** Why an argument fails its matcher, or undefined when it matches. */
function checkArgument(matcher: ArgumentMatcher, present: boolean, value: unknown): string | undefined {
  const isOperator = typeof matcher === "object" && matcher !== null && !Array.isArray(matcher);
  if (isOperator && "absent" in matcher) return present ? `expected absent, got ${JSON.stringify(value)}` : undefined;
  if (!present) return "missing";
  const got = JSON.stringify(value);
  if (!isOperator) return valuesMatch(matcher, value) ? undefined : `${got} does not equal ${JSON.stringify(matcher)}`;
  if ("one_of" in matcher) {
    return matcher.one_of.some((option) => valuesMatch(option, value))
      ? undefined
      : `${got} does not match one_of ${listValues(matcher.one_of)}`;
  }
  if ("regex" in matcher) {
    if (typeof value !== "string") return `${got} is not a string (expected a match for /${matcher.regex}/)`;
    return new RegExp(matcher.regex).test(value) ? undefined : `${got} does not match /${matcher.regex}/`;
  }
  return hasJsonType(value, matcher.type) ? undefined : `${got} is not of type ${matcher.type}`;
}

function hasJsonType(value: unknown, type: JsonType) {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Strings after normalisation, numbers numerically, containers element by element; types never coerce. */
function valuesMatch(expected: unknown, actual: unknown): boolean {
  if (typeof expected === "string") {
    return typeof actual === "string" && normalizeForComparison(expected) === normalizeForComparison(actual);
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => valuesMatch(e, actual[i]))
    );
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((key) => Object.hasOwn(actual, key) && valuesMatch(expected[key], actual[key]))
    );
  }
  return expected === actual;
}

/** Whether the same request without streaming made the same calls (arguments compared as values, not text). */
export function sameCallsFailures(observed: ObservedToolCall[], nonStreamRun: Observation): string[] {
  if (nonStreamRun.error !== undefined) return [`non-streamed run failed: ${nonStreamRun.error}`];
  const streamed = observed.map(readCall);
  const other = nonStreamRun.toolCalls.map(readCall);
  const same =
    other.length === streamed.length &&
    other.every((call, i) => {
      const counterpart = streamed[i];
      if (counterpart === undefined || counterpart.name !== call.name) return false;
      // Unreadable arguments can still be compared as text.
      return call.args === undefined || counterpart.args === undefined
        ? call.raw === counterpart.raw
        : isDeepStrictEqual(call.args, counterpart.args);
    });
  return same
    ? []
    : [`non-streamed run made different tool calls: ${describeCalls(other)} (streamed: ${describeCalls(streamed)})`];
}

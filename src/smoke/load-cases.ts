/**
 * The `load:` sections of case files (load-case-schema.ts says what one may say), resolved and checked: a
 * script's turns become cases the ordinary checks judge (match.ts), their order is checked against how a call
 * goes (user → reply, tool call → tool result → answer), and the sections of several files merge into one
 * profile. Problems go to the caller (cases.ts), which reports them as `file:line: path: message`.
 */
import { isDeepStrictEqual } from "node:util";
import type { ParsedCaseFile } from "./case-schema.js";
import type { LoadBudgets, LoadMetricKey } from "./load-report.js";
import type { SmokeCase, ToolDefinition } from "./types.js";

type Path = (string | number)[];

/** One reply of the model in a scripted conversation. */
export interface LoadTurn {
  /** What the caller says first, appended as a user message. */
  user?: string;
  /** The expectation as a case (its tools and model are the script's), judged by checkRun. */
  check: SmokeCase;
  /** Sent back as a `tool` message for each call the reply made. */
  toolResult?: string;
}

/** A scripted conversation: a case's request (its `messages` are the opening: a system prompt, earlier turns). */
export interface LoadScript extends Pick<SmokeCase, "id" | "file" | "model" | "messages" | "tools" | "request"> {
  turns: LoadTurn[];
}

/** How long the load runs: a number of conversations, or until a time is up (conversations under way finish). */
export type LoadExtent = { conversations: number } | { durationMs: number };

export interface LoadProfile {
  /** Conversations at once; when absent, the caller's (the image's OLLAMA_NUM_PARALLEL), else 2. */
  concurrency?: number;
  extent: LoadExtent;
  /** Models that must stay loaded together throughout. */
  resident: string[];
  budgets: Record<string, LoadBudgets>;
  scripts: LoadScript[];
}

/** Enough requests that the p95 of a model with one script is not just its slowest request. */
export const DEFAULT_CONVERSATIONS = 20;

/** What cases.ts lends a load section: where problems go, and its checks of tools and expectations. */
export interface LoadChecks {
  report(path: Path, message: string): void;
  tools(tools: ToolDefinition[], path: Path): void;
  expectation(testCase: SmokeCase, usesFileTools: boolean, path: Path): void;
}

type ParsedLoad = NonNullable<ParsedCaseFile["load"]>;
type ParsedScript = ParsedLoad["scripts"][number];

/** One file's section: its scripts resolved, its settings as written (merged across files later). */
export interface FileLoadSection {
  settings: Omit<ParsedLoad, "scripts" | "budgets">;
  budgets: Record<string, LoadBudgets>;
  scripts: LoadScript[];
}

/** Checks that the turns go as a call does: every request ends with what the caller or a tool said. */
function checkTurnOrder(script: ParsedScript, path: Path, checks: LoadChecks): void {
  const opening = script.messages?.at(-1)?.role;
  script.turns.forEach((turn, index) => {
    const turnPath = [...path, "turns", index];
    const previous = script.turns[index - 1];
    const endsWithCaller = index === 0 ? opening === "user" || opening === "tool" : previous?.tool_result !== undefined;
    if (turn.user === undefined && !endsWithCaller) {
      checks.report(
        turnPath,
        index === 0
          ? "the first turn needs `user` (what the caller says), or `messages` ending with a user or tool message"
          : "the model would answer its own reply: give `user` (what the caller says next), or `tool_result` on the turn before",
      );
    }
    if (turn.tool_result === undefined) return;
    if (turn.expect.tool_calls === undefined) {
      checks.report([...turnPath, "tool_result"], "a tool result answers a tool call: expect tool_calls in this turn");
    }
    if (index === script.turns.length - 1) {
      checks.report([...turnPath, "tool_result"], "no turn follows to answer the tool result: add one");
    }
  });
}

function resolveScript(
  file: string,
  parsed: ParsedCaseFile,
  script: ParsedScript,
  path: Path,
  checks: LoadChecks,
): LoadScript | undefined {
  if (script.tools !== undefined) checks.tools(script.tools, [...path, "tools"]);
  checkTurnOrder(script, path, checks);
  const model = script.model ?? parsed.defaults?.model;
  if (model === undefined) {
    checks.report([...path, "model"], "no model: set model here or defaults.model");
    return undefined;
  }
  const tools = script.tools ?? parsed.tools ?? [];
  const request = { ...parsed.defaults?.request, ...script.request };
  const messages = script.messages ?? [];
  const turns = script.turns.map((turn, index): LoadTurn => {
    const expectPath = [...path, "turns", index, "expect"];
    if (turn.expect.stream_matches_nonstream) {
      checks.report([...expectPath, "stream_matches_nonstream"], "not under load: a case checks it");
    }
    const check: SmokeCase = {
      id: `${script.id}#${index + 1}`,
      file,
      model,
      messages,
      tools,
      request,
      repeat: 1,
      pass: "all",
      critical: true,
      expect: turn.expect,
      budgets: {},
    };
    checks.expectation(check, script.tools === undefined, expectPath);
    return {
      check,
      ...(turn.user === undefined ? {} : { user: turn.user }),
      ...(turn.tool_result === undefined ? {} : { toolResult: turn.tool_result }),
    };
  });
  return { id: script.id, file, model, messages, tools, request, turns };
}

/** Resolves one file's `load:` section; undefined when it has none. */
export function resolveLoadSection(
  file: string,
  parsed: ParsedCaseFile,
  checks: LoadChecks,
): FileLoadSection | undefined {
  const load = parsed.load;
  if (load === undefined) return undefined;
  const seen = new Map<string, number>();
  const scripts = load.scripts.flatMap((script, index) => {
    const path = ["load", "scripts", index];
    if (seen.has(script.id)) checks.report([...path, "id"], `script ${script.id} is defined twice in this file`);
    seen.set(script.id, index);
    return resolveScript(file, parsed, script, path, checks) ?? [];
  });
  const { scripts: _, budgets, ...settings } = load;
  return { settings, budgets: budgets ?? {}, scripts };
}

/** A file's section with where to report its problems and how to point at its lines. */
export interface LoadSectionSource {
  section: FileLoadSection;
  report(path: Path, message: string): void;
  locate(path: Path): string;
}

type SettingKey = keyof FileLoadSection["settings"];

/**
 * The first file's value of a setting (written as one of `keys`); a later file that says otherwise is reported
 * there, naming where the first said it.
 */
function firstSetting(sources: readonly LoadSectionSource[], keys: readonly SettingKey[]) {
  let first: { source: LoadSectionSource; key: SettingKey; value: unknown } | undefined;
  for (const source of sources) {
    for (const key of keys) {
      const value = source.section.settings[key];
      if (value === undefined) continue;
      if (first === undefined) first = { source, key, value };
      else if (first.key !== key || !isDeepStrictEqual(first.value, value)) {
        const earlier = `${first.key} ${JSON.stringify(first.value)} in ${first.source.locate(["load", first.key])}`;
        source.report(["load", key], `${key} ${JSON.stringify(value)} conflicts with ${earlier}`);
      }
    }
  }
  return first;
}

function extentOf(sources: readonly LoadSectionSource[]): LoadExtent {
  const given = firstSetting(sources, ["conversations", "duration_s"]);
  if (given?.key === "duration_s") return { durationMs: (given.value as number) * 1000 };
  return { conversations: (given?.value as number | undefined) ?? DEFAULT_CONVERSATIONS };
}

function mergeBudgets(sources: readonly LoadSectionSource[], models: readonly string[]) {
  const budgets: Record<string, LoadBudgets> = {};
  const owners = new Map<string, LoadSectionSource>();
  for (const source of sources) {
    for (const [model, given] of Object.entries(source.section.budgets)) {
      if (!models.includes(model)) {
        source.report(["load", "budgets", model], `no script uses this model (models: ${models.join(", ")})`);
      }
      const merged = budgets[model] ?? {};
      budgets[model] = merged;
      for (const [metric, limit] of Object.entries(given) as [LoadMetricKey, number][]) {
        const key = JSON.stringify([model, metric]);
        const owner = owners.get(key);
        if (owner === undefined) {
          owners.set(key, source);
          merged[metric] = limit;
        } else if (merged[metric] !== limit) {
          const where = owner.locate(["load", "budgets", model, metric]);
          source.report(["load", "budgets", model, metric], `${limit} conflicts with ${merged[metric]} in ${where}`);
        }
      }
    }
  }
  return budgets;
}

/** The files' sections as one profile (undefined when no file has one); conflicts go to the files' reports. */
export function mergeLoadSections(sources: readonly LoadSectionSource[]): LoadProfile | undefined {
  if (sources.length === 0) return undefined;
  const scriptOwners = new Map<string, { source: LoadSectionSource; index: number }>();
  for (const source of sources) {
    source.section.scripts.forEach((script, index) => {
      const owner = scriptOwners.get(script.id);
      if (owner === undefined) scriptOwners.set(script.id, { source, index });
      else if (owner.source !== source) {
        const where = owner.source.locate(["load", "scripts", owner.index, "id"]);
        source.report(["load", "scripts", index, "id"], `script ${script.id} is also defined in ${where}`);
      }
    });
  }
  const scripts = sources.flatMap((source) => source.section.scripts);
  const models = [...new Set(scripts.map((script) => script.model))];
  const concurrency = firstSetting(sources, ["concurrency"])?.value as number | undefined;
  return {
    ...(concurrency === undefined ? {} : { concurrency }),
    extent: extentOf(sources),
    resident: (firstSetting(sources, ["resident"])?.value as string[] | undefined) ?? models,
    budgets: mergeBudgets(sources, models),
    scripts,
  };
}

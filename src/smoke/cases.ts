/**
 * Smoke case files (YAML): parsed with zod, then checked for what a schema cannot see (tool names, regexes,
 * JSON Schemas, pass rules), and merged into one suite. Every error names the file, the line and the case, so a
 * typo costs a second instead of a container boot.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { describeIssues } from "../text/issues.js";
import { issueKeyPath, locate, readYaml, type YamlSource, YamlSyntaxError } from "../text/yaml-source.js";
import { CaseFileSchema, type ParsedCase, type ParsedCaseFile } from "./case-schema.js";
import { type FileLoadSection, mergeLoadSections, resolveLoadSection } from "./load-cases.js";
import { toolArgumentsValidator } from "./tool-calls.js";
import type { Budgets, CaseSuite, SmokeCase, ToolDefinition } from "./types.js";

export class CaseFileError extends Error {}

type Path = (string | number)[];
type Issue = z.core.$ZodIssue;

const issue = (path: Path, message: string): Issue => ({ code: "custom", path, message, input: undefined });

/** One case file after its defaults are applied. */
export interface CaseFile {
  file: string;
  warmups?: number;
  budgets: Record<string, Budgets>;
  cases: SmokeCase[];
  /** The file's `load:` section, when it has one (load-cases.ts). */
  load?: FileLoadSection;
  source: YamlSource;
}

/** `file:line: case "id": path: message`, the path relative to the case it is in. */
function describeIssue(source: YamlSource, found: Issue): string {
  let prefix = `${locate(source, issueKeyPath(found))}: `;
  let path = found.path;
  const [top, index] = found.path;
  const id = top === "cases" && typeof index === "number" ? source.doc.getIn(["cases", index, "id"]) : undefined;
  if (typeof id === "string") {
    prefix += `case ${JSON.stringify(id)}: `;
    path = found.path.slice(2);
  }
  // A problem with the case as a whole has no path of its own inside it.
  if (path.length === 0 && typeof id === "string") return `${prefix}${found.message}`;
  return describeIssues(new z.ZodError([{ ...found, path }]), prefix);
}

const describeAll = (source: YamlSource, issues: Issue[]) => issues.map((i) => describeIssue(source, i)).join("\n");

function compileRegex(source: string, path: Path, issues: Issue[]): void {
  try {
    new RegExp(source);
  } catch (error) {
    issues.push(issue(path, (error as Error).message));
  }
}

function checkTools(tools: ToolDefinition[], path: Path, issues: Issue[]): void {
  const seen = new Set<string>();
  tools.forEach((tool, index) => {
    const { name, parameters } = tool.function;
    if (seen.has(name)) issues.push(issue([...path, index, "function", "name"], `tool ${name} is defined twice`));
    seen.add(name);
    const parametersPath = [...path, index, "function", "parameters"];
    if (parameters !== undefined && parameters.type !== "object") {
      issues.push(issue(parametersPath, `tool ${name}: parameters must be an object schema (type: object)`));
      return;
    }
    try {
      toolArgumentsValidator(tool);
    } catch (error) {
      issues.push(issue(parametersPath, `tool ${name}: not a valid JSON Schema: ${(error as Error).message}`));
    }
  });
}

/** The parameter names a tool declares, when its schema closes the list (`additionalProperties: false`). */
function declaredParameters(tool: ToolDefinition): string[] | undefined {
  const { parameters } = tool.function;
  if (parameters?.additionalProperties !== false) return undefined;
  const properties = parameters.properties;
  return typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
}

function checkExpectation(testCase: SmokeCase, usesFileTools: boolean, path: Path, issues: Issue[]): void {
  const { expect, tools } = testCase;
  const toolNames = tools.map((t) => t.function.name);
  if (expect.tool_calls === undefined && !expect.no_tool_call && expect.content === undefined) {
    issues.push(issue(path, "nothing to check: give tool_calls, no_tool_call: true or content"));
  }
  if (expect.no_tool_call && expect.tool_calls !== undefined) {
    issues.push(issue([...path, "no_tool_call"], "cannot be combined with tool_calls"));
  }
  if (expect.no_tool_call && tools.length === 0) {
    issues.push(issue([...path, "no_tool_call"], "the case has no tools, so no call can be made: give it tools"));
  }
  expect.tool_calls?.forEach((call, index) => {
    const callPath = [...path, "tool_calls", index];
    const tool = tools.find((t) => t.function.name === call.name);
    if (tool === undefined) {
      const where = usesFileTools ? "this file" : "this case";
      const listed = toolNames.length === 0 ? "none" : toolNames.join(", ");
      issues.push(issue([...callPath, "name"], `"${call.name}" is not a tool in ${where} (tools: ${listed})`));
      return;
    }
    const parameters = declaredParameters(tool);
    for (const [name, matcher] of Object.entries(call.arguments ?? {})) {
      const argumentPath = [...callPath, "arguments", name];
      if (parameters !== undefined && !parameters.includes(name)) {
        issues.push(
          issue(argumentPath, `${call.name} has no parameter "${name}" (parameters: ${parameters.join(", ")})`),
        );
      }
      if (typeof matcher === "object" && matcher !== null && "regex" in matcher) {
        compileRegex(matcher.regex, [...argumentPath, "regex"], issues);
      }
    }
  });
  if (expect.content?.regex !== undefined) compileRegex(expect.content.regex, [...path, "content", "regex"], issues);
}

/** Applies the file's defaults to a case and checks it; undefined when it has no model. */
function resolveCase(
  file: string,
  parsed: ParsedCaseFile,
  entry: ParsedCase,
  path: Path,
  issues: Issue[],
): SmokeCase | undefined {
  const defaults = parsed.defaults ?? {};
  const repeat = entry.repeat ?? defaults.repeat ?? 1;
  const pass = entry.pass ?? defaults.pass ?? "all";
  const inherited = entry.pass === undefined ? " (from defaults)" : "";
  if (pass !== "all" && entry.critical) {
    issues.push(
      issue(
        [...path, "pass"],
        `a critical case must pass every run (pass: all), got at_least ${pass.at_least}${inherited}`,
      ),
    );
  } else if (pass !== "all" && pass.at_least > repeat) {
    issues.push(issue([...path, "pass"], `at_least ${pass.at_least}${inherited} is more than repeat ${repeat}`));
  }
  const last = entry.messages.at(-1);
  if (last !== undefined && last.role !== "user" && last.role !== "tool") {
    issues.push(
      issue(
        [...path, "messages", entry.messages.length - 1, "role"],
        `the last message must be from the user or a tool, got ${last.role}`,
      ),
    );
  }
  if (entry.tools !== undefined) checkTools(entry.tools, [...path, "tools"], issues);
  const model = entry.model ?? defaults.model;
  if (model === undefined) {
    issues.push(issue([...path, "model"], "no model: set model here or defaults.model"));
    return undefined;
  }
  const testCase: SmokeCase = {
    id: entry.id,
    file,
    model,
    messages: entry.messages,
    tools: entry.tools ?? parsed.tools ?? [],
    request: { ...defaults.request, ...entry.request },
    repeat,
    pass,
    critical: entry.critical,
    expect: entry.expect,
    budgets: entry.budgets ?? {},
  };
  checkExpectation(testCase, entry.tools === undefined, [...path, "expect"], issues);
  return testCase;
}

/** Parses and checks one case file; `file` is how messages name it. */
export function parseCaseFile(text: string, file: string): CaseFile {
  let read: ReturnType<typeof readYaml>;
  try {
    read = readYaml(text, file);
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new CaseFileError(error.message);
    throw error;
  }
  const { source } = read;
  const result = CaseFileSchema.safeParse(read.value ?? {});
  if (!result.success) throw new CaseFileError(describeAll(source, result.error.issues));
  const parsed = result.data;
  const issues: Issue[] = [];
  if (parsed.tools !== undefined) checkTools(parsed.tools, ["tools"], issues);
  const firstIndexOf = new Map<string, number>();
  const cases = parsed.cases.flatMap((entry, index) => {
    const earlier = firstIndexOf.get(entry.id);
    if (earlier === undefined) firstIndexOf.set(entry.id, index);
    else issues.push(issue(["cases", index, "id"], `also defined in ${locate(source, ["cases", earlier, "id"])}`));
    return resolveCase(file, parsed, entry, ["cases", index], issues) ?? [];
  });
  const load = resolveLoadSection(file, parsed, {
    report: (path, message) => issues.push(issue(path, message)),
    tools: (tools, path) => checkTools(tools, path, issues),
    expectation: (testCase, usesFileTools, path) => checkExpectation(testCase, usesFileTools, path, issues),
  });
  if (issues.length > 0) throw new CaseFileError(describeAll(source, issues));
  return {
    file,
    ...(parsed.warmups === undefined ? {} : { warmups: parsed.warmups }),
    budgets: parsed.budgets ?? {},
    cases,
    ...(load === undefined ? {} : { load }),
    source,
  };
}

const DEFAULT_WARMUPS = 1;

/**
 * Loads every case file into one suite: ids must be unique across files, and files that give the same budget or
 * warm-up count must agree. All files' errors are reported together.
 */
export function loadCaseSuite(files: { file: string; text: string }[]): CaseSuite {
  if (files.length === 0) throw new CaseFileError("no case files");
  const errors: string[] = [];
  const caseFiles = files.flatMap(({ file, text }) => {
    try {
      return [parseCaseFile(text, file)];
    } catch (error) {
      if (!(error instanceof CaseFileError)) throw error;
      errors.push(error.message);
      return [];
    }
  });
  if (errors.length > 0) throw new CaseFileError(errors.join("\n"));

  const issues = new Map<CaseFile, Issue[]>(caseFiles.map((f) => [f, []]));
  const report = (caseFile: CaseFile, path: Path, message: string) => issues.get(caseFile)?.push(issue(path, message));

  const caseOwners = new Map<string, { caseFile: CaseFile; index: number }>();
  for (const caseFile of caseFiles) {
    caseFile.cases.forEach((testCase, index) => {
      const owner = caseOwners.get(testCase.id);
      if (owner === undefined) caseOwners.set(testCase.id, { caseFile, index });
      else
        report(
          caseFile,
          ["cases", index, "id"],
          `also defined in ${locate(owner.caseFile.source, ["cases", owner.index, "id"])}`,
        );
    });
  }

  const modelBudgets: Record<string, Budgets> = {};
  const budgetOwners = new Map<string, CaseFile>();
  for (const caseFile of caseFiles) {
    for (const [model, budgets] of Object.entries(caseFile.budgets)) {
      const earlier = modelBudgets[model] ?? {};
      for (const metric of Object.keys(budgets) as (keyof Budgets)[]) {
        const key = JSON.stringify([model, metric]);
        const owner = budgetOwners.get(key);
        if (owner === undefined) budgetOwners.set(key, caseFile);
        else if (!isDeepStrictEqual(earlier[metric], budgets[metric])) {
          const elsewhere = `${JSON.stringify(earlier[metric])} in ${locate(owner.source, ["budgets", model, metric])}`;
          report(
            caseFile,
            ["budgets", model, metric],
            `${JSON.stringify(budgets[metric])} conflicts with ${elsewhere}`,
          );
        }
      }
      modelBudgets[model] = { ...budgets, ...earlier };
    }
  }

  const cases = caseFiles.flatMap((f) => f.cases);
  const models = [...new Set(cases.map((c) => c.model))];
  for (const caseFile of caseFiles) {
    // A budget for a model no case runs would never be checked: most likely a typo in the model name.
    for (const model of Object.keys(caseFile.budgets).filter((m) => !models.includes(m))) {
      report(caseFile, ["budgets", model], `no case uses this model (models: ${models.join(", ")})`);
    }
  }

  const warmupsOwner = caseFiles.find((f) => f.warmups !== undefined);
  for (const caseFile of caseFiles) {
    if (warmupsOwner === undefined || caseFile.warmups === undefined || caseFile.warmups === warmupsOwner.warmups)
      continue;
    report(
      caseFile,
      ["warmups"],
      `${caseFile.warmups} conflicts with ${warmupsOwner.warmups} in ${locate(warmupsOwner.source, ["warmups"])}`,
    );
  }

  const load = mergeLoadSections(loadSections(caseFiles, report));
  for (const [caseFile, found] of issues) if (found.length > 0) errors.push(describeAll(caseFile.source, found));
  if (errors.length > 0) throw new CaseFileError(errors.join("\n"));
  const suite: CaseSuite = { cases, modelBudgets, warmups: warmupsOwner?.warmups ?? DEFAULT_WARMUPS };
  return load === undefined ? suite : { ...suite, load };
}

/** The files' `load:` sections, each with where its problems go and how to point at its lines. */
const loadSections = (caseFiles: CaseFile[], report: (caseFile: CaseFile, path: Path, message: string) => void) =>
  caseFiles.flatMap((caseFile) =>
    caseFile.load === undefined
      ? []
      : [{ section: caseFile.load, report: report.bind(null, caseFile), locate: locate.bind(null, caseFile.source) }],
  );

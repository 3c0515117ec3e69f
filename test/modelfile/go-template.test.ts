/**
 * The Go template parser port against Go itself: every template in the fixtures was parsed by Go 1.26's
 * text/template (test/fixtures/go-template/oracle.go), exactly as Ollama parses a TEMPLATE, and the port must
 * give the same result: the same error text, or none.
 *
 * cases.json is written by hand (every construct and error path, real chat templates); random.json holds
 * token soups that fast-check generates from a fixed seed. The tests need no Go: set GO_TEMPLATE_ORACLE=1
 * (with Go installed) to regenerate random.json after changing the generators below.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import decimalDigits from "@unicode/unicode-15.0.0/General_Category/Decimal_Number/code-points.mjs";
import letters from "@unicode/unicode-15.0.0/General_Category/Letter/code-points.mjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkGoTemplate, GO_TEMPLATE_BUILTINS, type TemplateError } from "../../src/modelfile/go-template.js";
import { isAlphaNumeric } from "../../src/modelfile/go-template-literals.js";

/** The functions Ollama adds to Go's builtins (and the oracle's FuncMap). */
const OLLAMA_FUNCTIONS: ReadonlySet<string> = new Set(["json", "currentDate", "yesterdayDate", "toTypeScriptType"]);

interface OracleCase {
  name: string;
  template: string;
  /** Go's err.Error(), or null when Go parses the template. */
  error: string | null;
}

const fixture = (name: string) => new URL(`../fixtures/go-template/${name}`, import.meta.url);
const readCases = (name: string): OracleCase[] => JSON.parse(readFileSync(fixture(name), "utf8"));
const cases = readCases("cases.json");

function goResult(error: string | null): TemplateError | undefined {
  if (error === null) return undefined;
  const line = /^template: :(\d+): /.exec(error)?.[1];
  return { message: error, line: Number(line) };
}

const check = (template: string) => checkGoTemplate(template, OLLAMA_FUNCTIONS);

describe("checkGoTemplate: Go's own verdict on cases.json", () => {
  it("covers every construct and error path with hundreds of templates", () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
    expect(cases.filter((c) => c.error === null).length).toBeGreaterThan(100);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(check(c.template)).toEqual(goResult(c.error));
  });
});

describe("checkGoTemplate: the functions it knows", () => {
  it("knows Go's builtins and only the extra functions it is given", () => {
    for (const name of GO_TEMPLATE_BUILTINS) expect(checkGoTemplate(`{{${name}}}`, new Set())).toBeUndefined();
    expect(checkGoTemplate("{{json .}}", new Set())?.message).toBe('template: :1: function "json" not defined');
    expect(checkGoTemplate("{{mine .}}", new Set(["mine"]))).toBeUndefined();
  });

  it("treats break and continue as function names when functions are called so, as Go does", () => {
    expect(checkGoTemplate("{{break}}", new Set(["break"]))).toBeUndefined();
    expect(checkGoTemplate("{{range .}}{{continue 1}}{{end}}", new Set(["continue"]))).toBeUndefined();
    expect(checkGoTemplate("{{break}}", new Set())?.message).toBe("template: :1: {{break}} outside {{range}}");
  });

  it("reads letters and digits by Go's Unicode 15.0 tables, not this engine's newer ones", () => {
    const expected = new Set([...letters, ...decimalDigits, 0x5f]);
    const wrong: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) if (isAlphaNumeric(cp) !== expected.has(cp)) wrong.push(cp);
    expect(wrong).toEqual([]);
  });
});

/** Pieces of templates, glued together at random into soups. */
const FRAGMENTS = [
  ...["{{", "}}", "{{- ", " -}}", "{{-", "-}}", "{{/*", "*/}}", "*/", "/*", " ", "  ", "\n", "\t", "\r\n"],
  ...["if", "else", "end", "range", "with", "define", "block", "template", "break", "continue", "nil", "true"],
  ...[".", ".X", ".Messages", "..", "$", "$x", "$i", "$e", "$.X", ":=", "=", ",", "|", "(", ")", ":"],
  ...['"s"', '"\\n"', '"\\q"', '"', "`r`", "`", "'c'", "'\\n'", "'", "'ab'", "\\", "#", "-", "}", "{"],
  ...["1", "-1", "+2", "0x1F", "0b1", "0o7", "089", "1e3", "1e400", "1.5", ".5", "1i", "1+2i", "0x1p4", "1_0"],
  ...["printf", "len", "eq", "and", "json", "currentDate", "nosuch", "call", "index", "slice", "Eq"],
  ...["text", "<|im_start|>", "é", "日本", "😀", "\u0001", "9223372036854775808", "ɑ"],
];

/** The words of an action, to be joined by spaces (or not at all). */
const ACTION_WORDS = [
  ...["if", "else", "end", "range", "with", "define", "block", "template", "break", "continue", "nil", "false"],
  ...[".", ".X", ".Role", "$", "$x", "$i", "$e", "$.Tools", ":=", "=", ",", "|", "(", ")", "(.)", "(len .)"],
  ...['"user"', "`raw`", "'c'", "1", "-1", "1.5", "1+2i", "0x10", "'\\400'", '"\\x"', "print", "eq", "json"],
  ...["nosuch", "$x :=", "$i, $e :=", "$y", "/* c */", ".X.Y", "$x.Y", "(1).X", "\n", '"open', "`open"],
];

const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 }).map((parts) => parts.join(""));

const action = fc
  .tuple(
    fc.constantFrom("{{", "{{- ", "{{ "),
    fc.array(fc.constantFrom(...ACTION_WORDS), { maxLength: 6 }),
    fc.constantFrom(" ", " ", ""),
    fc.constantFrom("}}", " -}}", " }}", ""),
  )
  .map(([open, words, separator, close]) => open + words.join(separator) + close);
const text = fc.constantFrom("a", "\n", " ", "<|eot_id|>", "\n\n", "é");
const actions = fc.array(fc.oneof({ arbitrary: action, weight: 3 }, text), { maxLength: 12 }).map((p) => p.join(""));

/** A real chat template (the valid ones in cases.json) with a few random edits. */
const chatTemplates = cases.filter((c) => c.name.startsWith("chat ") && c.error === null).map((c) => c.template);
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 4 }),
  insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constant("")),
});
const mutated = fc
  .tuple(fc.constantFrom(...chatTemplates), fc.array(edit, { minLength: 1, maxLength: 3 }))
  .map(([template, edits]) =>
    edits.reduce((t, { at, remove, insert }) => {
      const i = Math.floor(at * t.length);
      return t.slice(0, i) + insert + t.slice(i + remove);
    }, template),
  );

const templates = fc.oneof({ arbitrary: soup, weight: 2 }, { arbitrary: actions, weight: 2 }, mutated);
const RANDOM_RUNS = { seed: 20_260_101, numRuns: 4000, endOnFailure: true };

describe("checkGoTemplate: Go's verdict on random token soups (random.json)", () => {
  const regenerate = process.env.GO_TEMPLATE_ORACLE === "1";

  it.runIf(regenerate)("regenerates random.json with Go", () => {
    const generated: string[] = [];
    fc.assert(
      fc.property(templates, (template) => {
        generated.push(template);
      }),
      RANDOM_RUNS,
    );
    const input = JSON.stringify(generated.map((template, i) => ({ name: `random ${i + 1}`, template })));
    const oracle = spawnSync("go", ["run", "oracle.go"], { cwd: fixture("."), input, encoding: "utf8" });
    expect(oracle.status, oracle.stderr).toBe(0);
    writeFileSync(fixture("random.json"), oracle.stdout);
  });

  it.skipIf(regenerate)("gives Go's result for every template the generators make", () => {
    const stored = new Map(readCases("random.json").map((c) => [c.template, c.error]));
    expect(stored.size).toBeGreaterThanOrEqual(3000);
    fc.assert(
      fc.property(templates, (template) => {
        const error = stored.get(template);
        if (error === undefined) throw new Error("not in random.json: regenerate it with GO_TEMPLATE_ORACLE=1");
        expect(check(template)).toEqual(goResult(error));
      }),
      RANDOM_RUNS,
    );
  });
});

describe("checkGoTemplate: properties that need no oracle", () => {
  const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), soup, actions, mutated);

  it("never throws, and reports a line the text has", () => {
    fc.assert(
      fc.property(anyText, (template) => {
        const result = check(template);
        if (result === undefined) return;
        expect(result.message).toMatch(new RegExp(`^template: :${result.line}: `));
        expect(result.line).toBeGreaterThanOrEqual(1);
        expect(result.line).toBeLessThanOrEqual(template.split("\n").length);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it("reports nesting beyond this engine's stack instead of overflowing it", () => {
    const deep = `{{ ${"(".repeat(50_000)}.${")".repeat(50_000)} }}`;
    expect(check(deep)?.message).toMatch(/^template: :1: /);
  });
});

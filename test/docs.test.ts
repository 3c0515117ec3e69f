/** The documentation and action.yml must describe the inputs, outputs and rules the code has. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { InputsSchema } from "../src/action/inputs.js";
import { RULES } from "../src/lint/rules.js";

const repositoryRoot = path.resolve(import.meta.dirname, "..");
const readme = readFileSync(path.join(repositoryRoot, "README.md"), "utf8");
const action = parseYaml(readFileSync(path.join(repositoryRoot, "action.yml"), "utf8")) as {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

/** The first-column codes of the README table that follows `heading`. */
function tableKeys(heading: string): string[] {
  const section = readme.slice(readme.indexOf(heading));
  const table = section.slice(section.indexOf("\n|"), section.indexOf("\n\n", section.indexOf("\n|")));
  return [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] as string);
}

describe("action.yml and README agree with the code", () => {
  it("action.yml declares exactly the inputs the action validates, each described", () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(InputsSchema.shape).sort());
    for (const input of Object.values(action.inputs)) expect(input.description.length).toBeGreaterThan(20);
    expect(action.runs).toEqual({ using: "node24", main: "dist/action/index.js" });
  });

  it("every input except command has a default", () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      if (name === "command") expect(input.required).toBe(true);
      else expect(input.default).toBeTypeOf("string");
    }
  });

  it("the README's inputs and outputs tables list exactly action.yml's", () => {
    expect(tableKeys("### Inputs").sort()).toEqual(Object.keys(action.inputs).sort());
    expect(tableKeys("### Outputs").sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it("the README's rules table lists every lint rule with its severity", () => {
    expect(tableKeys("### Lint rules").sort()).toEqual(Object.keys(RULES).sort());
    for (const [code, rule] of Object.entries(RULES)) expect(readme).toContain(`| \`${code}\` | ${rule.severity} |`);
  });

  it("every row of the README's fault table names a test that exists", () => {
    const section = readme.slice(readme.indexOf("## What happens when…"), readme.indexOf("## Troubleshooting"));
    const rows = [...section.matchAll(/^\| [^|]+ \| [^|]+ \| .* \| `(test\/[^`]+)` › (.+) \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(25);
    for (const [, file, title] of rows) {
      const text = readFileSync(path.join(repositoryRoot, file as string), "utf8");
      expect(text, `${file} › ${title}`).toContain(title as string);
    }
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runProcess } from "../../src/io/exec.js";
import { RULES } from "../../src/lint/rules.js";
import { runLint } from "../../src/lint/stage.js";
import { openWorkspace } from "../../src/project/workspace.js";

const lintFixtures = fileURLToPath(new URL("../fixtures/lint/", import.meta.url));
const expected: Record<string, Record<string, { severity: string; line: number; code: string }[]>> = JSON.parse(
  readFileSync(`${lintFixtures}expected.json`, "utf8"),
);

/** Each scenario folder is its own project root, so paths that leave it escape. */
async function lintScenario(scenario: string) {
  const root = `${lintFixtures}${scenario}`;
  const workspace = await openWorkspace(runProcess, { cwd: root, root, overrides: { modelfiles: "." } });
  return runLint(workspace);
}

const key = (d: { severity: string; line: number; code: string }) => `${d.line} ${d.severity} ${d.code}`;

describe("every lint rule on its fixture (test/fixtures/lint/expected.json)", () => {
  for (const [scenario, files] of Object.entries(expected)) {
    it(scenario, async () => {
      const result = await lintScenario(scenario);
      const actual = Object.fromEntries(result.files.map((f) => [f.path, f.diagnostics.map(key).sort()]));
      const wanted = Object.fromEntries(Object.entries(files).map(([file, ds]) => [file, ds.map(key).sort()]));
      expect(actual).toEqual(wanted);
      for (const file of result.files) {
        for (const d of file.diagnostics) expect(d.message.length).toBeGreaterThan(10);
      }
    });
  }

  it("covers every rule", () => {
    const covered = new Set(
      Object.values(expected).flatMap((files) =>
        Object.values(files)
          .flat()
          .map((d) => d.code),
      ),
    );
    expect([...covered].sort()).toEqual(Object.keys(RULES).sort());
  });
});

describe("the bundled project and the seed", () => {
  const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

  it("the bundled modelfiles/ lint clean: no errors, no warnings", async () => {
    const workspace = await openWorkspace(runProcess, { cwd: repositoryRoot, root: repositoryRoot });
    const result = await runLint(workspace);
    expect(result.files.map((f) => f.path)).toEqual([
      "modelfiles/theo-classifier.modelfile",
      "modelfiles/theo-transcribe.modelfile",
      "modelfiles/theo-voice-agent.modelfile",
    ]);
    expect(result.files.flatMap((f) => f.diagnostics)).toEqual([]);
  });

  it("the seed's own voice-agent Modelfile fails on its PARAMETER /no_think line", async () => {
    const workspace = await openWorkspace(runProcess, { cwd: repositoryRoot, root: repositoryRoot });
    const result = await runLint(workspace, ["test/fixtures/seed/theo-voice-agent.modelfile"]);
    const [file] = result.files;
    expect(file?.diagnostics).toHaveLength(1);
    expect(file?.diagnostics[0]).toMatchObject({ severity: "error", code: "syntax", line: 45 });
    expect(file?.diagnostics[0]?.message).toContain("PARAMETER /no_think");
    expect(file?.diagnostics[0]?.message).toContain('reasoning_effort: "none"');
    const seedLines = readFileSync(`${repositoryRoot}test/fixtures/seed/theo-voice-agent.modelfile`, "utf8").split(
      "\n",
    );
    expect(seedLines[44]).toBe("PARAMETER /no_think");
  });
});

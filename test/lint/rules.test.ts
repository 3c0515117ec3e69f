/** Rules whose outcome depends on more than one line, or on the pinned Ollama version. */
import { describe, expect, it } from "vitest";
import { lintProject } from "../../src/lint/rules.js";
import { loadProject } from "../../src/project/load.js";
import { WorkingTree } from "../../src/project/tree.js";
import { makeProject } from "../helpers.js";

async function errors(text: string, ollamaVersion?: string): Promise<string[]> {
  const root = makeProject({ "m.modelfile": text });
  const project = await loadProject(new WorkingTree(root), { paths: ["m.modelfile"] });
  const [file] = lintProject(project, {
    clientApi: "native",
    lock: { status: "absent" },
    checkUnusedLockEntries: false,
    ...(ollamaVersion === undefined ? {} : { ollamaVersion }),
  });
  return (file?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => `${d.line} ${d.code}`);
}

describe("lint, as ollama create decides", () => {
  it("a NaN or infinite float fails only as a parameter's last value (only that is encoded)", async () => {
    expect(await errors("FROM a:1\nPARAMETER temperature NaN\nPARAMETER temperature 0.5\n")).toEqual([]);
    expect(await errors("FROM a:1\nPARAMETER temperature 0.5\nPARAMETER temperature inf\n")).toEqual([
      "3 invalid-parameter-value",
    ]);
  });

  it("only the last TEMPLATE is parsed, with the functions of the pinned version", async () => {
    expect(await errors('FROM a:1\nTEMPLATE "{{ x"\nTEMPLATE "{{ .Prompt }}"\n')).toEqual([]);
    const yesterday = 'FROM a:1\nTEMPLATE """\n{{ yesterdayDate }}"""\n';
    expect(await errors(yesterday, "0.13.3")).toEqual([]);
    expect(await errors(yesterday, "0.11.4")).toEqual(["3 invalid-template"]);
  });

  it("a FROM name with spaces around it is trimmed from Ollama 0.18 on, and refused before", async () => {
    expect(await errors('FROM " qwen3:4b "\n', "0.24.0")).toEqual([]);
    expect(await errors('FROM " qwen3:4b "\n', "0.17.4")).toEqual(["1 invalid-model-name"]);
  });

  it("instructions the pinned version does not know are errors; an unknown version checks none", async () => {
    const text = "FROM a:1\nRENDERER x\nPARSER y\nREQUIRES 0.1.0\nDRAFT ./d.gguf\n";
    expect(await errors(text, "0.11.4")).toEqual([
      "2 unsupported-instruction",
      "3 unsupported-instruction",
      "4 unsupported-instruction",
      "5 path-not-found",
      "5 unsupported-instruction",
    ]);
    expect(await errors(text, "0.14.0")).toEqual(["5 path-not-found", "5 unsupported-instruction"]);
    expect(await errors(text)).toEqual(["5 path-not-found"]);
  });
});

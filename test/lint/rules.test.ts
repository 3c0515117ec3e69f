/** Rules whose outcome depends on more than one line, or on the pinned Ollama version. */
import { symlinkSync } from "node:fs";
import path from "node:path";
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

describe("lint, with hostile files", () => {
  async function lintRoot(root: string, paths = ["modelfiles"]) {
    const project = await loadProject(new WorkingTree(root), { paths });
    return lintProject(project, { clientApi: "native", lock: { status: "absent" }, checkUnusedLockEntries: false }).map(
      (f) => ({ path: f.path, errors: f.diagnostics.filter((d) => d.severity === "error").map((d) => d.code) }),
    );
  }

  it("a Modelfile of more than 32 MiB is an error naming it, not a crash", async () => {
    const root = makeProject({
      "modelfiles/big.modelfile": `FROM a:1\nSYSTEM """${"x".repeat(33 * 1024 * 1024)}"""\n`,
    });
    const project = await loadProject(new WorkingTree(root), { paths: ["modelfiles"] });
    const [file] = lintProject(project, {
      clientApi: "native",
      lock: { status: "absent" },
      checkUnusedLockEntries: false,
    });
    expect(file?.diagnostics).toEqual([
      expect.objectContaining({
        code: "syntax",
        line: 1,
        message: expect.stringMatching(
          /^modelfiles\/big\.modelfile has [\d,]+ bytes: ollama-build reads Modelfiles up to 32 MiB$/,
        ),
      }),
    ]);
  });

  it("a Modelfile that is a symbolic link out of the project is reported, not skipped, and not read", async () => {
    const outside = makeProject({ "secret.modelfile": "FROM a:1\n" });
    const root = makeProject({ "modelfiles/a.modelfile": "FROM a:1\n" });
    symlinkSync(path.join(outside, "secret.modelfile"), path.join(root, "modelfiles/linked.modelfile"));
    expect(await lintRoot(root)).toEqual([
      { path: "modelfiles/a.modelfile", errors: [] },
      { path: "modelfiles/linked.modelfile", errors: ["path-escapes-repository"] },
    ]);
  });

  it("a FROM directory holding a link out of the project escapes it", async () => {
    const outside = makeProject({ "weights.gguf": "GGUF" });
    const root = makeProject({ "modelfiles/a.modelfile": "FROM ../weights\n", "weights/model.gguf": "GGUF" });
    expect(await lintRoot(root)).toEqual([{ path: "modelfiles/a.modelfile", errors: [] }]);
    symlinkSync(path.join(outside, "weights.gguf"), path.join(root, "weights/extra.gguf"));
    expect(await lintRoot(root)).toEqual([{ path: "modelfiles/a.modelfile", errors: ["path-escapes-repository"] }]);
  });

  it.each([
    'FROM """qwen3:4b\nRUN echo pwned #"""\nFROM qwen3:4b\n',
    // (Ollama's parser drops what is not printable, ESC included, so the name is then `qwen3:4b[2J`.)
    "FROM qwen3:4b\u001b[2J\n",
  ])("a FROM name with a line break or a control character is an error: %j", async (text) => {
    expect(await errors(text)).toContainEqual(expect.stringMatching(/invalid-model-name/));
  });
});

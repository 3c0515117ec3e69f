/** The four ways lint results are written out: text, JSON, GitHub annotations, and a job-summary section. */
import { describe, expect, it } from "vitest";
import { formatLintGithub, formatLintJson, formatLintMarkdown, formatLintText } from "../../src/lint/format.js";
import type { FileDiagnostics } from "../../src/lint/rules.js";

const files: FileDiagnostics[] = [
  {
    path: "modelfiles/a.modelfile",
    diagnostics: [
      { severity: "error", line: 3, column: 1, code: "unknown-parameter", message: "unknown parameter 'tempxx'" },
      { severity: "warning", line: 7, column: 5, code: "untagged-base", message: "FROM qwen3 names no tag" },
    ],
  },
  { path: "modelfiles/clean.modelfile", diagnostics: [] },
  {
    path: "ollama.lock",
    diagnostics: [{ severity: "warning", line: 2, column: 1, code: "unused-lock-entry", message: "x is pinned" }],
  },
];
const counts = { error: 1, warning: 2 };

describe("formatLintGithub", () => {
  it("names files from the repository's root: the project's path, then the file's path in the project", () => {
    expect(formatLintGithub(files, "sub/dir")).toBe(
      "::error file=sub/dir/modelfiles/a.modelfile,line=3,col=1,title=unknown-parameter::unknown parameter 'tempxx'\n" +
        "::warning file=sub/dir/modelfiles/a.modelfile,line=7,col=5,title=untagged-base::FROM qwen3 names no tag\n" +
        "::warning file=sub/dir/ollama.lock,line=2,col=1,title=unused-lock-entry::x is pinned\n",
    );
  });

  it("a project at the repository's root: the paths as they are", () => {
    expect(formatLintGithub(files, "")).toContain("::error file=modelfiles/a.modelfile,line=3,");
    expect(formatLintGithub(files, "")).toContain("::warning file=ollama.lock,line=2,");
  });

  it("escapes what would end a property or the command: a message stays one annotation", () => {
    const tricky: FileDiagnostics[] = [
      {
        path: "m/a:b,c.modelfile",
        diagnostics: [{ severity: "error", line: 1, column: 1, code: "syntax", message: "50% done\r\n::error::fake" }],
      },
    ];
    expect(formatLintGithub(tricky, "p")).toBe(
      "::error file=p/m/a%3Ab%2Cc.modelfile,line=1,col=1,title=syntax::50%25 done%0D%0A::error::fake\n",
    );
  });

  it("nothing to annotate: no output at all", () => {
    expect(formatLintGithub([{ path: "m/a.modelfile", diagnostics: [] }], "sub")).toBe("");
  });
});

describe("formatLintText", () => {
  it("one line per diagnostic, then the counts", () => {
    expect(formatLintText(files, counts)).toBe(
      "modelfiles/a.modelfile:3:1: error unknown-parameter: unknown parameter 'tempxx'\n" +
        "modelfiles/a.modelfile:7:5: warning untagged-base: FROM qwen3 names no tag\n" +
        "ollama.lock:2:1: warning unused-lock-entry: x is pinned\n" +
        "1 error, 2 warnings in 3 Modelfiles\n",
    );
  });

  it("a line break in a name or a message is shown, not obeyed", () => {
    const text = formatLintText(
      [
        {
          path: "a\nb",
          diagnostics: [{ severity: "error", line: 1, column: 1, code: "syntax", message: "x\n::error::y" }],
        },
      ],
      { error: 1, warning: 0 },
    );
    expect(text).toBe("a\\nb:1:1: error syntax: x\\n::error::y\n1 error, 0 warnings in 1 Modelfile\n");
  });
});

describe("formatLintJson", () => {
  it("the files and their diagnostics, as they are", () => {
    expect(JSON.parse(formatLintJson(files))).toEqual({ files });
  });
});

describe("formatLintMarkdown", () => {
  it("a verdict, the counts, and a table row per diagnostic", () => {
    expect(formatLintMarkdown(files, counts)).toBe(
      [
        "### ollama-build lint",
        "",
        "❌ 3 Modelfiles: 1 errors, 2 warnings.",
        "",
        "| Severity | Where | Rule | Message |",
        "| --- | --- | --- | --- |",
        "| error | `modelfiles/a.modelfile:3` | `unknown-parameter` | unknown parameter 'tempxx' |",
        "| warning | `modelfiles/a.modelfile:7` | `untagged-base` | FROM qwen3 names no tag |",
        "| warning | `ollama.lock:2` | `unused-lock-entry` | x is pinned |",
        "",
      ].join("\n"),
    );
  });

  it("no diagnostics: the verdict alone, no empty table", () => {
    expect(formatLintMarkdown([{ path: "m/a.modelfile", diagnostics: [] }], { error: 0, warning: 0 })).toBe(
      "### ollama-build lint\n\n✅ 1 Modelfiles: 0 errors, 0 warnings.\n",
    );
  });
});

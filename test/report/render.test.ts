import { describe, expect, it } from "vitest";
import { commentMarker, markerLine, type ReportInput, renderReport } from "../../src/report/render.js";
import {
  buildReport,
  caseReport,
  columns,
  failedHead,
  marker,
  modelReport,
  plan,
  render,
  smokeReport,
  tableRows,
} from "./fixtures.js";

const flakyHead = smokeReport({
  cases: [caseReport({ id: "sometimes", passes: 4, flaky: true, failures: ["run 3: called no tool"] })],
});

describe("renderReport: what the comment says", () => {
  it.each<{ name: string; input: Omit<ReportInput, "marker">; has: string[]; hasNot: string[] }>([
    {
      name: "smoke passed, compared with the baseline",
      input: { head: smokeReport(), baseline: smokeReport(), build: buildReport() },
      has: [
        "**✅ Passed**: image built and pushed; smoke passed: 3/3 cases on 2 models.",
        "Not paired: compared with the smoke report of the base commit `abc1234`, measured on Linux 6.8.0-1021-azure, x64, 4 CPUs on 2025-06-01.",
        "| Metric | Head | Base | Δ |",
        "**`theo-voice`**: 2/2 cases passed",
        "|Δ| > max(10 % of base, 5 ms)",
      ],
      hasNot: ["No baseline", "#### Failing and flaky cases", "✂️"],
    },
    {
      name: "a critical case failed and a budget was missed",
      input: { head: failedHead, baseline: smokeReport() },
      has: [
        "**❌ Failed**: smoke failed: 2 problems, 1/3 cases passed.",
        "- `critical case weather-basic (theo-voice) failed: 2/5 runs passed`",
        "- `theo-voice: ttft_ms p50 412 ms > budget 400 ms (+12 ms)`",
        "| ❌ critical flaky | `weather-basic` | `theo-voice` | `test/smoke/theo-voice.yaml` | 2/5 | `no tool call`<br>`wrong city` |",
        "| ❌ | `no-tool-smalltalk` |",
        "| TTFT p50 | 412 ms | 200 ms | +212 ms (+106 %) ▲ worse |",
      ],
      hasNot: ["✅"],
    },
    {
      name: "a flaky case that passed",
      input: { head: flakyHead, baseline: smokeReport() },
      has: [
        "**✅ Passed**",
        "| ⚠️ flaky | `sometimes` | `theo-voice` | `test/smoke/theo-voice.yaml` | 4/5 | `run 3: called no tool` |",
        "| Flaky cases | 1 | 0 | +1 ▲ worse |",
      ],
      hasNot: ["❌"],
    },
    {
      name: "no baseline, with the reason",
      input: { head: smokeReport(), baselineNote: "no report was saved for the base commit abc1234." },
      has: ["ℹ️ No baseline to compare with: no report was saved for the base commit abc1234.", "| Metric | Head |"],
      hasNot: ["| Base |", "Δ", "line ["],
    },
    {
      name: "no baseline, no reason given",
      input: { head: smokeReport() },
      has: ["ℹ️ No baseline to compare with: no smoke report was given for the base commit."],
      hasNot: ["| Base |"],
    },
    {
      name: "build skipped because the image exists, no smoke run",
      input: { build: buildReport({ skipped: "ghcr.io/acme/voice:m-3f2a9c0d1e4b already exists", layers: [] }) },
      has: [
        "**✅ Passed**: build skipped (ghcr.io/acme/voice:m-3f2a9c0d1e4b already exists); no smoke run.",
        "| Model | File | Hash | Changed |\n",
        "| `theo-voice` | `models/theo-voice.Modelfile` | `a1b2c3d4e5f6` | yes |",
      ],
      hasNot: ["#### Smoke", "```mermaid", "No baseline", "Built in", "| Layer |"],
    },
    {
      name: "built: every model's layer size",
      input: { build: buildReport(), head: smokeReport() },
      has: [
        "Built in 1 min 45 s (fetch 1.2 s, create 8.4 s, build 1 min 35 s) and pushed as `sha256:4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce`.",
        "4 layers: 3.05 GiB of base models, 6500 B of custom models.",
        "| `theo-voice` | `models/theo-voice.Modelfile` | `a1b2c3d4e5f6` | yes | 4400 B |",
        "| `theo-classifier` | `models/theo-classifier.Modelfile` | `0f1e2d3c4b5a` | no | 2100 B |",
      ],
      hasNot: [],
    },
    {
      // BuildKit writes a digest for a load too: what was asked decides the words, not the metadata.
      name: "built into the local engine: loaded, never pushed, though a digest is known",
      input: { build: buildReport({ output: "load" }), head: smokeReport() },
      has: [
        "**✅ Passed**: image built and loaded into the local engine; smoke passed",
        "Built in 1 min 45 s (fetch 1.2 s, create 8.4 s, build 1 min 35 s) and loaded into the local engine.",
      ],
      hasNot: ["pushed"],
    },
    {
      name: "a plan without a build",
      input: { plan: plan({ base: undefined }), head: smokeReport() },
      has: [
        "**✅ Passed**: 1 of 2 models changed; smoke passed",
        "`ghcr.io/acme/voice:m-3f2a9c0d1e4b`: 1 of 2 models changed (no base, so all count as changed).",
      ],
      hasNot: ["Built in", "| Layer |"],
    },
    {
      name: "a dry run",
      input: { build: buildReport({ digest: undefined, fetched: undefined }) },
      has: ["**✅ Passed**: dry run: nothing built; no smoke run.", "Dry run: nothing built."],
      hasNot: ["Built in"],
    },
    {
      name: "the run failed before the smoke (a build error)",
      input: { plan: plan(), failure: "docker buildx build failed (exit 1):\nERROR: failed to solve\n<b>x</b>\n" },
      has: [
        "**❌ Failed**: docker buildx build failed (exit 1); 1 of 2 models changed; no smoke run.\n\n```text\nERROR: failed to solve\n<b>x</b>\n```",
      ],
      hasNot: ["✅"],
    },
    {
      name: "a one-line failure",
      input: { failure: "the Modelfiles have 2 error(s) <see annotations>" },
      has: ["**❌ Failed**: the Modelfiles have 2 error(s) &lt;see annotations&gt;; no smoke run.\n"],
      hasNot: ["```"],
    },
    {
      name: "nothing at all",
      input: {},
      has: ["**✅ Passed**: no smoke run."],
      hasNot: ["#### Image", "#### Smoke", "<details>", "<sub>"],
    },
    {
      name: "a model the baseline does not have, and reasoning left on",
      input: {
        head: smokeReport({ models: { fresh: modelReport({ reasoning_runs: 3 }) }, cases: [] }),
        baseline: smokeReport(),
      },
      has: [
        "**`fresh`**: 0/0 cases passed; new: not in the baseline; ⚠️ 3 runs reasoned before answering (thinking is on)",
        "| TTFT p50 | 200 ms | – | – |",
      ],
      hasNot: [],
    },
    {
      name: "a container log, fenced past its backticks",
      input: { head: smokeReport({ logs: ["starting", "a ```` fence", "<b>bold</b>"] }) },
      has: ["<details><summary>Container log (last 3 lines)</summary>\n\n`````text\nstarting\n"],
      hasNot: [],
    },
    {
      name: "a workflow run link",
      input: { runUrl: "https://github.com/acme/voice/actions/runs/1 (x)" },
      has: ["[Workflow run](https://github.com/acme/voice/actions/runs/1%20%28x%29)"],
      hasNot: [],
    },
    {
      name: "a workflow run link that is not http",
      input: { runUrl: "javascript:alert(1)" },
      has: [],
      hasNot: ["Workflow run"],
    },
  ])("$name", ({ input, has, hasNot }) => {
    const markdown = render(input);
    expect(markdown.startsWith(`${markerLine(marker)}\n`)).toBe(true);
    for (const text of has) expect(markdown).toContain(text);
    for (const text of hasNot) expect(markdown).not.toContain(text);
  });
});

describe("renderReport: report strings cannot break the markdown", () => {
  const hostile = 'x | y\nz\r<script>alert(1)</script> `tick` @octocat <img src=x onerror="1">';
  const markdown = render({
    head: smokeReport({
      passed: false,
      failures: [hostile],
      models: { [hostile]: modelReport() },
      cases: [caseReport({ id: hostile, model: hostile, file: hostile, passed: false, failures: [hostile, hostile] })],
      logs: [hostile],
    }),
    baseline: smokeReport(),
    baselineNote: hostile,
    build: buildReport({ skipped: hostile }),
  });

  it("keeps every table row's columns", () => {
    // CommonMark ends a line at a lone carriage return too.
    expect(markdown).not.toContain("\r");
    const rows = tableRows(markdown);
    expect(rows.length).toBeGreaterThan(10);
    const tables = markdown.split(/\n\n/).filter((block) => block.startsWith("|"));
    for (const table of tables) {
      const widths = tableRows(table).map(columns);
      expect(new Set(widths).size, table).toBe(1);
    }
  });

  it("lets no HTML or mention through outside code spans and the log's fence", () => {
    const outside = markdown
      .replace(/^(`{3,})text\n[\s\S]*?\n\1$/m, "")
      .replace(/```mermaid[\s\S]*?```/, "")
      .replace(/`[^`\n]*`/g, "");
    const tags = outside.match(/<\/?[a-z!][^>]*>/gi) ?? [];
    expect(new Set(tags)).toEqual(
      new Set([
        "<!-- ollama-build report: ollama-build -->",
        "<br>",
        "<details>",
        "<summary>",
        "</summary>",
        "</details>",
        "<sub>",
        "</sub>",
      ]),
    );
    expect(outside).not.toContain("@octocat");
  });

  it("keeps the marker line an HTML comment whatever the id", () => {
    expect(markerLine(commentMarker("a --> <b>"))).toBe("<!-- ollama-build report: ollama-build:a_--___b_ -->");
  });
});

describe("commentMarker", () => {
  it.each([
    [undefined, "ollama-build"],
    ["", "ollama-build"],
    ["voice", "ollama-build:voice"],
  ])("%j → %s", (id, expected) => {
    expect(commentMarker(id)).toBe(expected);
  });

  it("gives a plain marker and an id's marker lines that neither prefixes", () => {
    const plain = markerLine(commentMarker());
    const withId = markerLine(commentMarker("voice"));
    expect(withId.startsWith(plain)).toBe(false);
    expect(plain.startsWith(withId)).toBe(false);
  });

  it("titles the comment with the id", () => {
    expect(renderReport({ marker: commentMarker("voice") })).toContain("### ollama-build (voice)");
  });
});

describe("renderReport: a report written by someone else (a fork's run)", () => {
  it("puts no link, image, emphasis or bare address of its own into the comment", () => {
    const hostile = "[x](https://evil.example) ![i](http://e.example/i.png) www.evil.example *bold* `code`";
    const head = smokeReport({ environment: { ...smokeReport().environment, gpu: true, gpu_names: [hostile] } });
    const body = renderReport({ marker: "ollama-build", head });
    expect(body).not.toContain("](https://");
    expect(body).not.toContain("![i]");
    expect(body).not.toContain("www.evil");
    expect(body).not.toContain("http://e.example");
    expect(body).not.toContain(" *bold* ");
  });

  it.each([
    [7, "ℹ️ These figures come from the workflow run of pull request #7 (from a fork), as that run reported them."],
    [0, undefined],
    [1.5, undefined],
  ])(
    "the fork's pull request %s is linked as our own words (an integer from the event), nothing else",
    (number, line) => {
      const body = renderReport({ marker: "ollama-build", head: smokeReport(), forkPullRequest: number });
      if (line === undefined) expect(body).not.toContain("from a fork");
      else expect(body.split("\n")).toContain(line);
    },
  );

  it("a number inside free text is not a link", () => {
    const body = renderReport({ marker: "ollama-build", head: smokeReport(), provenance: "see #7 and GH-8" });
    expect(body).not.toMatch(/#7|GH-8/);
  });

  it("a model named like an object's own property does not break the comparison", () => {
    const head = smokeReport({ models: { constructor: modelReport(), toString: modelReport() } });
    const body = renderReport({ marker: "ollama-build", head, baseline: smokeReport() });
    expect(body).toContain("`constructor`");
  });
});

import { describe, expect, it } from "vitest";
import {
  commentMarker,
  GITHUB_COMMENT_LIMIT,
  markerLine,
  type ReportInput,
  renderReport,
  renderReportJson,
} from "../../src/report/render.js";
import type { ModelReport, SmokeReport } from "../../src/smoke/types.js";
import { buildReport, caseReport, distribution, modelReport, plan, smokeReport } from "./fixtures.js";

const MiB = 1024 * 1024;
const marker = commentMarker();
const render = (input: Omit<ReportInput, "marker">, maxChars?: number) =>
  renderReport({ ...input, marker }, maxChars === undefined ? {} : { maxChars });

const failedHead = smokeReport({
  passed: false,
  failures: [
    "critical case weather-basic (theo-voice) failed: 2/5 runs passed",
    "theo-voice: ttft_ms p50 412 ms > budget 400 ms (+12 ms)",
  ],
  models: {
    "theo-voice": modelReport({ metrics: { ttft_ms: distribution(412, 610) } }),
    "theo-classifier": modelReport(),
  },
  cases: [
    caseReport({ id: "no-tool-smalltalk", passed: false, passes: 0, failures: ["called get_weather"] }),
    caseReport({ critical: true, passed: false, passes: 2, flaky: true, failures: ["no tool call", "wrong city"] }),
    caseReport({ id: "label-greeting", model: "theo-classifier" }),
  ],
});

const flakyHead = smokeReport({
  cases: [caseReport({ id: "sometimes", passes: 4, flaky: true, failures: ["run 3: called no tool"] })],
});

/** The table rows (`| … |` lines) in a markdown text. */
const tableRows = (markdown: string) => markdown.split("\n").filter((line) => line.startsWith("|"));
/** Column separators: pipes not escaped with a backslash. */
const columns = (row: string) => row.split(/(?<!\\)\|/).length - 2;

describe("renderReport: what the comment says", () => {
  it.each<{ name: string; input: Omit<ReportInput, "marker">; has: string[]; hasNot: string[] }>([
    {
      name: "smoke passed, compared with the baseline",
      input: { head: smokeReport(), baseline: smokeReport(), build: buildReport() },
      has: [
        "**✅ Passed**: image built and pushed; smoke passed: 3/3 cases on 2 models.",
        "Compared with the smoke report of the base commit `abc1234`.",
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

  it("lists failing critical cases first, then other failing ones, then flaky passes", () => {
    const markdown = render({
      head: smokeReport({
        passed: false,
        cases: [
          caseReport({ id: "flaky-pass", passes: 4, flaky: true }),
          caseReport({ id: "plain-fail", passed: false }),
          caseReport({ id: "critical-fail", passed: false, critical: true }),
          caseReport({ id: "fine" }),
        ],
      }),
    });
    const order = ["critical-fail", "plain-fail", "flaky-pass"].map((id) => markdown.indexOf(`| \`${id}\``));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(markdown).not.toContain("`fine`");
  });
});

describe("renderReport: deltas against the baseline", () => {
  /** One model's row `label`, head against base, where only `change` differs between them. */
  function deltaOf(label: string, base: Partial<ModelReport>, head: Partial<ModelReport>, cases = {}): string {
    const report = (results: Partial<ModelReport>, extra: Partial<SmokeReport>) =>
      smokeReport({ models: { m: modelReport(results) }, cases: [], ...extra });
    const markdown = render({
      baseline: report(base, {}),
      head: report(head, cases),
    });
    const row = tableRows(markdown).find((line) => line.startsWith(`| ${label} |`));
    if (row === undefined) throw new Error(`no row ${label} in\n${markdown}`);
    return row.split(" | ").at(-1)?.replace(/ \|$/, "") ?? "";
  }
  const ttft = (p50: number) => ({ metrics: { ttft_ms: distribution(p50, p50 * 2) } });
  const decode = (p50: number) => ({ metrics: { decode_tps: distribution(p50, p50) } });
  const vram = (mib: number) => ({ memory: { size_bytes: 8000 * MiB, size_vram_bytes: mib * MiB } });

  it.each<[string, string, Partial<ModelReport>, Partial<ModelReport>, string]>([
    ["latency within 10 %", "TTFT p50", ttft(200), ttft(215), "+15 ms (+8 %)"],
    ["latency at exactly 10 % is noise", "TTFT p50", ttft(200), ttft(220), "+20 ms (+10 %)"],
    ["latency past 10 %", "TTFT p50", ttft(200), ttft(221), "+21 ms (+11 %) ▲ worse"],
    ["latency better past 10 %", "TTFT p50", ttft(200), ttft(179), "-21 ms (-11 %) ▼ better"],
    ["p90 gets the same rule", "TTFT p90", ttft(200), ttft(230), "+60 ms (+15 %) ▲ worse"],
    ["a small latency: the 5 ms floor holds", "TTFT p50", ttft(20), ttft(24), "+4 ms (+20 %)"],
    ["a small latency past the floor", "TTFT p50", ttft(20), ttft(26), "+6 ms (+30 %) ▲ worse"],
    ["no change", "TTFT p50", ttft(200), ttft(200), "±0 ms"],
    ["decode faster is better", "Decode p50", decode(40), decode(45), "+5 tok/s (+13 %) ▲ better"],
    ["decode slower is worse", "Decode p50", decode(40), decode(35), "-5 tok/s (-13 %) ▼ worse"],
    ["decode within noise", "Decode p50", decode(40), decode(43), "+3 tok/s (+8 %)"],
    ["slow decode: the 0.5 tok/s floor", "Decode p50", decode(2), decode(2.4), "+0.4 tok/s (+20 %)"],
    ["load within 20 %", "Load", { load_ms: 1800 }, { load_ms: 2100 }, "+300 ms (+17 %)"],
    ["load past 20 %", "Load", { load_ms: 1800 }, { load_ms: 2200 }, "+400 ms (+22 %) ▲ worse"],
    ["VRAM within 2 %", "VRAM", vram(3200), vram(3250), "+50 MiB (+2 %)"],
    ["VRAM past 2 %", "VRAM", vram(3200), vram(3300), "+100 MiB (+3 %) ▲ worse"],
    [
      "tool accuracy: any drop",
      "Tool calls passed",
      { tool_accuracy_pct: 100 },
      { tool_accuracy_pct: 95 },
      "-5 pt ▼ worse",
    ],
    [
      "tool accuracy: any rise",
      "Tool calls passed",
      { tool_accuracy_pct: 80 },
      { tool_accuracy_pct: 90 },
      "+10 pt ▲ better",
    ],
    ["no baseline value", "Load", { load_ms: undefined }, { load_ms: 1800 }, "–"],
  ])("%s", (_, label, base, head, expected) => {
    expect(deltaOf(label, base, head)).toBe(expected);
  });

  it("shows VRAM that spilled to the CPU", () => {
    const markdown = render({ head: smokeReport({ models: { m: modelReport(vram(6000)) }, cases: [] }) });
    expect(tableRows(markdown)).toContain("| VRAM | 6,000 MiB (25 % on the CPU) |");
  });

  it("compares the server start of the environments", () => {
    const head = smokeReport();
    head.environment.server_ready_ms = 6000;
    expect(render({ head, baseline: smokeReport() })).toContain(
      "| Server ready | 6,000 ms | 4,100 ms | +1,900 ms (+46 %) ▲ worse |",
    );
  });
});

describe("renderReport: the TTFT chart", () => {
  const noTtft = smokeReport({ models: { m: modelReport({ metrics: { e2e_ms: distribution(900, 1200) } }) } });
  it.each<[string, Omit<ReportInput, "marker">, RegExp | undefined]>([
    [
      "head and base",
      { head: smokeReport(), baseline: smokeReport() },
      /bar \[200, 300, 200, 300\]\n {2}line \[200, 300, 200, 300\]\n```/,
    ],
    ["head only", { head: smokeReport() }, /bar \[200, 300, 200, 300\]\n```/],
    [
      "a model missing from the base: no base line",
      { head: smokeReport(), baseline: smokeReport({ models: { "theo-voice": modelReport() } }) },
      /some models have no baseline[^\n]*\n(.*\n){2} {2}bar \[200, 300, 200, 300\]\n```/,
    ],
    ["no smoke run", { build: buildReport() }, undefined],
    ["smoke without TTFT", { head: noTtft }, undefined],
  ])("%s", (_, input, chart) => {
    const markdown = render(input);
    if (chart === undefined) expect(markdown).not.toContain("```mermaid");
    else {
      expect(markdown).toContain("```mermaid\nxychart-beta\n");
      expect(markdown).toMatch(chart);
    }
  });

  it("keeps the axis labels valid mermaid whatever the model names", () => {
    const head = smokeReport({ models: { 'a"b]c, [d': modelReport(), "e\nf": modelReport() }, cases: [] });
    const axis = render({ head }).match(/^ {2}x-axis (.*)$/m)?.[1];
    expect(axis).toMatch(/^\[("[\w .:/+-]+"(, )?)+\]$/);
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

describe("renderReport: huge reports fit GitHub's limit", () => {
  const longText = (n: number) => "why ".repeat(n / 4);
  function huge(models: number, casesPerModel: number, failureLength: number): SmokeReport {
    // One string shared by every failure: thousands of 100 kB copies would not fit in memory.
    const why = longText(failureLength);
    const names = Array.from({ length: models }, (_, i) => `model-${i}-${"n".repeat(200)}`);
    return smokeReport({
      passed: false,
      failures: names.map((model) => `${model}: ${why}`),
      models: Object.fromEntries(names.map((model) => [model, modelReport()])),
      cases: names.flatMap((model) =>
        Array.from({ length: casesPerModel }, (_, i) =>
          caseReport({
            id: `case-${i}-${"c".repeat(500)}`,
            model,
            passed: false,
            critical: i % 2 === 0,
            failures: Array.from({ length: 8 }, () => why),
          }),
        ),
      ),
      logs: Array.from({ length: 5000 }, () => why),
    });
  }
  const bigPlan = plan({
    models: Array.from({ length: 5000 }, (_, i) => ({
      name: `m${i}`,
      file: `models/${"f".repeat(300)}${i}.Modelfile`,
      from: "qwen3:4b",
      hash: "a".repeat(64),
      changed: true,
      dependsOn: [],
    })),
  });

  it.each<[string, Omit<ReportInput, "marker">, string[]]>([
    [
      "thousands of models",
      { head: huge(3000, 1, 100), baseline: huge(50, 1, 10) },
      ["failing or flaky cases", "model smoke tables"],
    ],
    ["thousands of cases, very long failures", { head: huge(3, 5000, 100_000) }, ["failing or flaky cases"]],
    ["a plan of thousands of models", { plan: bigPlan, head: smokeReport() }, ["model rows"]],
  ])("%s", (_, input, cut) => {
    const markdown = render(input);
    expect(markdown.length).toBeLessThanOrEqual(65_000);
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const note = markdown.match(
      /^✂️ Cut to fit GitHub's 65,536-character limit: left out (.*)\. The full report is in the JSON artifact\.$/m,
    );
    expect(note).not.toBeNull();
    for (const part of cut) expect(note?.[1]).toContain(part);
    for (const table of markdown.split(/\n\n/).filter((block) => block.startsWith("|"))) {
      expect(new Set(tableRows(table).map(columns)).size).toBe(1);
    }
  });

  it("cuts the failing cases before the model tables", () => {
    const head = huge(3, 2000, 200);
    const markdown = render({ head });
    expect(markdown).toContain("**`model-2-");
    expect(markdown).toMatch(/_…[\d,]+ more failing or flaky cases cut to fit; see the JSON report\._/);
    expect(markdown).not.toMatch(/left out [^.]*model smoke tables/);
  });

  it.each([3_000, 8_000, 20_000])("honours maxChars %i", (maxChars) => {
    expect(render({ head: huge(100, 10, 1000), plan: bigPlan }, maxChars).length).toBeLessThanOrEqual(maxChars);
  });

  it("leaves a small report alone", () => {
    expect(render({ head: smokeReport() })).not.toContain("✂️");
  });

  it("refuses a maxChars its fixed parts cannot fit in", () => {
    expect(() => render({ head: huge(10, 10, 100) }, 200)).toThrow(RangeError);
  });
});

describe("renderReportJson", () => {
  it("gives the verdict and the comparisons as data", () => {
    const json = renderReportJson({ marker, head: failedHead, baseline: smokeReport() });
    expect(json).toMatchObject({
      marker,
      passed: false,
      failures: failedHead.failures,
      baseline: { compared: true },
      server: [{ metric: "Server ready", unit: "ms", head: 4100, base: 4100, delta: 0 }],
    });
    const voice = json.models.find((m) => m.name === "theo-voice");
    expect(voice).toMatchObject({ cases: 2, passed: 0, inBaseline: true });
    expect(voice?.metrics.find((m) => m.metric === "TTFT p50")).toEqual({
      metric: "TTFT p50",
      unit: "ms",
      head: 412,
      base: 200,
      delta: 212,
      change: "worse",
    });
    expect(voice?.metrics.find((m) => m.metric === "Flaky cases")).toEqual({
      metric: "Flaky cases",
      unit: "",
      head: 1,
      base: 0,
      delta: 1,
      change: "worse",
    });
    expect(json.cases.map((c) => c.id)).toEqual(["weather-basic", "no-tool-smalltalk"]);
  });

  it.each<[string, Omit<ReportInput, "marker">, Partial<ReturnType<typeof renderReportJson>>]>([
    [
      "no baseline",
      { head: smokeReport(), baselineNote: "no report for abc1234" },
      { passed: true, baseline: { compared: false, note: "no report for abc1234" } },
    ],
    [
      "a build error",
      { failure: "buildx failed" },
      { passed: false, failures: ["buildx failed"], models: [], cases: [] },
    ],
  ])("%s", (_, input, expected) => {
    expect(renderReportJson({ ...input, marker })).toMatchObject(expected);
  });
});

describe("renderReport: what the push cost", () => {
  it("says how much the push uploaded where the base commit's image was", () => {
    const body = renderReport({
      marker: "ollama-build",
      build: buildReport({
        pushedAgainstBase: { image: "ghcr.io/acme/voice:m-0123456789ab", bytes: 9875, blobs: 2 },
      }),
    });
    expect(body).toContain(
      "Pushed 9875 B where the base commit's image `ghcr.io/acme/voice:m-0123456789ab` was (2 new blobs; the registry had the rest).",
    );
    expect(renderReport({ marker: "ollama-build", build: buildReport() })).not.toContain("Pushed ");
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

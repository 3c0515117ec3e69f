/**
 * Hand-built reports for the renderer: a voice agent and a classifier, built, smoked, and smoked on the base; and
 * how the tests render them and read the markdown back.
 */
import type { BuildReport } from "../../src/build/report.js";
import type { Plan } from "../../src/plan/plan.js";
import { commentMarker, type ReportInput, renderReport } from "../../src/report/render.js";
import type { CaseReport, Distribution, ModelReport, SmokeReport } from "../../src/smoke/types.js";

const MiB = 1024 * 1024;

export const distribution = (p50: number, p90: number, n = 10): Distribution => ({
  n,
  p50,
  p90,
  min: p50 * 0.8,
  max: p90 * 1.1,
});

export function modelReport(overrides: Partial<ModelReport> = {}): ModelReport {
  return {
    metrics: {
      ttft_ms: distribution(200, 300),
      t_tool_ms: distribution(350, 480),
      e2e_ms: distribution(900, 1300),
      decode_tps: distribution(42, 38),
    },
    load_ms: 1800,
    memory: { size_bytes: 3200 * MiB, size_vram_bytes: 3200 * MiB, context_length: 8192, gpu_used_mib: 4100 },
    tool_accuracy_pct: 100,
    reasoning_runs: 0,
    budgets: { ttft_ms: 400 },
    budget_failures: [],
    ...overrides,
  };
}

export function caseReport(overrides: Partial<CaseReport> = {}): CaseReport {
  return {
    id: "weather-basic",
    model: "theo-voice",
    file: "test/smoke/theo-voice.yaml",
    critical: false,
    passed: true,
    runs: 5,
    passes: 5,
    flaky: false,
    failures: [],
    ...overrides,
  };
}

export function smokeReport(overrides: Partial<SmokeReport> = {}): SmokeReport {
  return {
    passed: true,
    failures: [],
    environment: {
      endpoint: "http://127.0.0.1:41434",
      image: "ghcr.io/acme/voice:m-3f2a9c0d1e4b",
      image_digest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      ollama_version: "0.12.6",
      gpu: true,
      gpu_names: ["NVIDIA L4"],
      server_ready_ms: 4100,
      runner: { os: "Linux 6.8.0-1021-azure", arch: "x64", cpus: 4, memory_mib: 16_384, node: "v24.11.0" },
      started_at: "2025-06-01T12:00:00.000Z",
    },
    models: { "theo-voice": modelReport(), "theo-classifier": modelReport({ tool_accuracy_pct: undefined }) },
    cases: [
      caseReport(),
      caseReport({ id: "no-tool-smalltalk" }),
      caseReport({ id: "label-greeting", model: "theo-classifier", file: "test/smoke/theo-classifier.yaml" }),
    ],
    ...overrides,
  };
}

export function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    image: "ghcr.io/acme/voice",
    imageHash: "3f2a9c0d1e4b5a6978877665544332211",
    imageTag: "ghcr.io/acme/voice:m-3f2a9c0d1e4b",
    tags: ["m-3f2a9c0d1e4b", "pr-42"],
    base: "abc1234def5678",
    models: [
      {
        name: "theo-voice",
        file: "models/theo-voice.Modelfile",
        from: "qwen3:4b",
        hash: "a1b2c3d4e5f60718293a4b5c",
        changed: true,
        dependsOn: [],
      },
      {
        name: "theo-classifier",
        file: "models/theo-classifier.Modelfile",
        from: "qwen3:0.6b",
        hash: "0f1e2d3c4b5a69788796a5b4",
        changed: false,
        dependsOn: [],
      },
    ],
    ...overrides,
  };
}

export function buildReport(overrides: Partial<BuildReport> = {}): BuildReport {
  const built = plan();
  return {
    plan: built,
    digest: "sha256:4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce",
    output: "push",
    references: built.tags.map((t) => `${built.image}:${t}`),
    layers: [
      { name: "registry.ollama.ai/library/qwen3:4b", kind: "base", files: 5, bytes: 2_600 * MiB },
      { name: "registry.ollama.ai/library/qwen3:0.6b", kind: "base", files: 5, bytes: 520 * MiB },
      { name: "theo-voice", kind: "custom", files: 3, bytes: 4_400 },
      { name: "theo-classifier", kind: "custom", files: 2, bytes: 2_100 },
    ],
    fetched: { blobs: 10, present: 10, bytesDownloaded: 0 },
    milliseconds: { fetch: 1_200, create: 8_400, build: 95_000, total: 104_600 },
    ...overrides,
  };
}

export const marker = commentMarker();

/** The comment for `input` under the default marker. */
export const render = (input: Omit<ReportInput, "marker">, maxChars?: number) =>
  renderReport({ ...input, marker }, maxChars === undefined ? {} : { maxChars });

/** The table rows (`| … |` lines) in a markdown text. */
export const tableRows = (markdown: string) => markdown.split("\n").filter((line) => line.startsWith("|"));
/** Column separators: pipes not escaped with a backslash. */
export const columns = (row: string) => row.split(/(?<!\\)\|/).length - 2;

/** A smoke that failed a critical case and a budget. */
export const failedHead = smokeReport({
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

/** Head against base in the comment's tables: the deltas, and when a change gets an arrow (the noise rules). */
import { describe, expect, it } from "vitest";
import type { ModelReport, SmokeReport } from "../../src/smoke/types.js";
import { distribution, modelReport, render, smokeReport, tableRows } from "./fixtures.js";

const MiB = 1024 * 1024;

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

import { describe, expect, it } from "vitest";
import { METRICS } from "../../src/smoke/metric-registry.js";
import {
  MODEL_METRICS,
  modelDetail,
  modelValue,
  modelViews,
  SERVER_METRICS,
  serverValue,
} from "../../src/smoke/metric-values.js";
import { caseReport, distribution, modelReport, smokeReport } from "../report/fixtures.js";

const MiB = 1024 * 1024;
const metric = (key: string) => {
  const found = METRICS.find((m) => m.key === key);
  if (found === undefined || found.stored === "environment") throw new Error(`no model metric ${key}`);
  return found;
};

describe("metric values", () => {
  it("lists a model's metrics pass counts first, then in the registry's order, and the server's apart", () => {
    expect(MODEL_METRICS.map((m) => m.key)).toEqual([
      "tool_accuracy_pct",
      "flaky_cases",
      ...METRICS.filter((m) => m.samples !== "runs-passed" && m.stored !== "environment").map((m) => m.key),
    ]);
    expect(SERVER_METRICS.map((m) => m.key)).toEqual(["server_ready_ms"]);
  });

  it("gives every model a view: its results and cases, or its cases alone when it never loaded", () => {
    const report = smokeReport({
      models: { a: modelReport() },
      cases: [caseReport({ id: "1", model: "a" }), caseReport({ id: "2", model: "b", flaky: true, passes: 4 })],
    });
    const views = modelViews(report);
    expect([...views.keys()]).toEqual(["a", "b"]);
    expect(views.get("a")?.results).toBe(report.models.a);
    expect(views.get("b")).toEqual({ cases: [report.cases[1]] });
    expect(modelValue(metric("flaky_cases"), views.get("b") ?? { cases: [] })).toBe(1);
    expect(modelValue(metric("load_ms"), views.get("b") ?? { cases: [] })).toBeUndefined();
  });

  it("reads each kind of figure from where the report keeps it", () => {
    const results = modelReport({
      metrics: { ttft_ms: distribution(200, 300) },
      load_ms: 1800,
      memory: { size_bytes: 4000 * MiB, size_vram_bytes: 3000 * MiB, gpu_used_mib: 3500 },
    });
    const view = { results, cases: [] };
    expect(modelValue(metric("ttft_ms"), view)).toBe(200);
    expect(modelValue(metric("ttft_ms"), view, "p90")).toBe(300);
    expect(modelValue(metric("load_ms"), view)).toBe(1800);
    expect(modelValue(metric("vram_mib"), view)).toBe(3000);
    expect(modelDetail(metric("vram_mib"), view)).toBe("(25 % on the CPU)");
    expect(modelDetail(metric("ttft_ms"), view)).toBeUndefined();
    expect(modelValue(metric("gpu_used_mib"), view)).toBe(3500);
    const [serverReady] = SERVER_METRICS;
    if (serverReady === undefined) throw new Error("no server metric");
    expect(serverValue(serverReady, smokeReport().environment)).toBe(4100);
  });
});

/** The smoke report for a terminal. */
import type { Distribution, SmokeReport } from "./types.js";

const MIB = 1024 * 1024;

const figure = (d: Distribution | undefined, unit: string) =>
  d === undefined ? "–" : `${d.p50}/${d.p90}${d.p95 === undefined ? "" : `/${d.p95}`} ${unit} (n=${d.n})`;

export function formatSmokeText(report: SmokeReport): string {
  const lines: string[] = [];
  const env = report.environment;
  lines.push(
    `smoke: ${env.image ?? env.endpoint} (Ollama ${env.ollama_version ?? "?"}, ${env.gpu ? `GPU: ${env.gpu_names?.join(", ")}` : "CPU"})${env.server_ready_ms === undefined ? "" : `, server ready in ${env.server_ready_ms} ms`}`,
  );
  for (const [model, m] of Object.entries(report.models)) {
    const cases = report.cases.filter((c) => c.model === model);
    const passed = cases.filter((c) => c.passed).length;
    lines.push(
      "",
      `${model}: ${passed}/${cases.length} cases passed${m.tool_accuracy_pct === undefined ? "" : `, tool calls ${m.tool_accuracy_pct} %`}${m.load_ms === undefined ? "" : `, loaded in ${m.load_ms} ms`}`,
      `  ttft    p50/p90  ${figure(m.metrics.ttft_ms, "ms")}`,
      `  t_tool  p50/p90  ${figure(m.metrics.t_tool_ms, "ms")}`,
      `  e2e     p50/p90  ${figure(m.metrics.e2e_ms, "ms")}`,
      `  decode  p50/p90  ${figure(m.metrics.decode_tps, "tok/s")}`,
      `  prefill p50/p90  ${figure(m.metrics.prefill_ms, "ms")}`,
    );
    if (m.memory !== undefined) {
      lines.push(
        `  memory  ${(m.memory.size_bytes / MIB).toFixed(0)} MiB, ${(m.memory.size_vram_bytes / MIB).toFixed(0)} MiB in VRAM${m.memory.context_length === undefined ? "" : `, context ${m.memory.context_length}`}${m.memory.gpu_used_mib === undefined ? "" : `, host GPU ${m.memory.gpu_used_mib} MiB used`}`,
      );
    }
    if (m.reasoning_runs > 0)
      lines.push(`  warning: ${m.reasoning_runs} run(s) reasoned before speaking (thinking on)`);
    for (const c of cases.filter((c) => !c.passed || c.flaky)) {
      lines.push(
        `  ${c.passed ? "flaky" : c.critical ? "FAIL (critical)" : "FAIL"} ${c.id}: ${c.passes}/${c.runs} runs passed`,
      );
      for (const failure of c.failures) lines.push(`    - ${failure}`);
    }
  }
  lines.push("");
  if (report.passed) lines.push("smoke passed");
  else {
    lines.push("smoke FAILED:");
    for (const failure of report.failures) lines.push(`  - ${failure}`);
  }
  if (report.logs !== undefined && report.logs.length > 0) {
    lines.push("", "last container log lines:", ...report.logs.map((l) => `  ${l}`));
  }
  return `${lines.join("\n")}\n`;
}

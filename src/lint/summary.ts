/** Lint results as a job-summary section. */

import { cell, code } from "../text/markdown.js";
import type { FileDiagnostics, Severity } from "./rules.js";

export function formatLintMarkdown(files: readonly FileDiagnostics[], counts: Record<Severity, number>): string {
  const verdict = counts.error > 0 ? "❌" : "✅";
  const lines = [
    "### ollama-build lint",
    "",
    `${verdict} ${files.length} Modelfiles: ${counts.error} errors, ${counts.warning} warnings.`,
  ];
  const rows = files.flatMap((file) =>
    file.diagnostics.map(
      (d) => `| ${d.severity} | ${code(`${file.path}:${d.line}`)} | ${code(d.code)} | ${cell(d.message)} |`,
    ),
  );
  if (rows.length > 0) lines.push("", "| Severity | Where | Rule | Message |", "| --- | --- | --- | --- |", ...rows);
  return `${lines.join("\n")}\n`;
}

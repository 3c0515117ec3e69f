/**
 * Lint results as text for people, JSON for tools, workflow commands for GitHub annotations, and a Markdown
 * section for a job summary.
 */
import path from "node:path";
import { cell, code } from "../text/markdown.js";
import { neutraliseControlCharacters as visible } from "../text/safe-text.js";
import type { FileDiagnostics, Severity } from "./rules.js";

export function formatLintJson(files: readonly FileDiagnostics[]): string {
  return `${JSON.stringify({ files }, null, 2)}\n`;
}

export function formatLintText(files: readonly FileDiagnostics[], counts: Record<Severity, number>): string {
  const lines: string[] = [];
  for (const file of files) {
    // One line per diagnostic whatever a name holds: a newline in it must not start a line of its own (in a
    // workflow's log, a line starting `::` is a command).
    for (const d of file.diagnostics)
      lines.push(`${visible(file.path)}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${visible(d.message)}`);
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    `${plural(counts.error, "error")}, ${plural(counts.warning, "warning")} in ${plural(files.length, "Modelfile")}`,
  );
  return `${lines.join("\n")}\n`;
}

/** Escaping as the runner's workflow-command parser expects (actions/toolkit `command.ts`). */
const escapeData = (s: string) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
const escapeProperty = (s: string) => escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");

/**
 * `projectRoot` is the project root's path relative to the repository root (POSIX, "" when they are the same):
 * GitHub places an annotation by its path in the repository, and diagnostics carry paths in the project.
 */
export function formatLintGithub(files: readonly FileDiagnostics[], projectRoot: string): string {
  const lines: string[] = [];
  for (const file of files) {
    const repositoryPath = path.posix.join(projectRoot, file.path);
    for (const d of file.diagnostics) {
      const properties = `file=${escapeProperty(repositoryPath)},line=${d.line},col=${d.column},title=${escapeProperty(d.code)}`;
      lines.push(`::${d.severity} ${properties}::${escapeData(d.message)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

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

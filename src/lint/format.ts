/** Lint results as text for people, JSON for tools, and workflow commands for GitHub annotations. */
import { neutraliseControlCharacters as visible } from "../text/safe-text.js";
import type { FileDiagnostics, Severity } from "./rules.js";

export type LintFormat = "text" | "json" | "github";

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

/** `pathPrefix` turns project-relative paths into repository-relative ones for annotations. */
export function formatLintGithub(files: readonly FileDiagnostics[], pathPrefix = ""): string {
  const lines: string[] = [];
  for (const file of files) {
    for (const d of file.diagnostics) {
      const properties = `file=${escapeProperty(pathPrefix + file.path)},line=${d.line},col=${d.column},title=${escapeProperty(d.code)}`;
      lines.push(`::${d.severity} ${properties}::${escapeData(d.message)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

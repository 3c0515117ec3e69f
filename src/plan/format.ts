/** The plan as a terminal table and as a job-summary table. */
import { cell, code } from "../text/markdown.js";
import type { Plan } from "./plan.js";

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatPlanText(plan: Plan): string {
  const header = [
    `image  ${plan.image}`,
    `tags   ${plan.tags.join(", ")}`,
    `base   ${plan.base ?? "none (every model counts as changed)"}`,
    "",
  ];
  const rows = [
    ["MODEL", "FILE", "FROM", "HASH", "CHANGED", "DEPENDS ON"],
    ...plan.models.map((m) => [
      m.name,
      m.file,
      m.from,
      m.hash.slice(0, 12),
      m.changed ? "yes" : "no",
      m.dependsOn.join(", "),
    ]),
  ];
  return `${header.join("\n")}\n${table(rows)}\n`;
}

export function formatPlanMarkdown(plan: Plan): string {
  const changed = plan.models.filter((m) => m.changed).length;
  const lines = [
    "### ollama-build plan",
    "",
    `${changed} of ${plan.models.length} models changed against ${plan.base === undefined ? "no base (all count as changed)" : code(plan.base.slice(0, 12))}.`,
    `Image ${code(plan.imageTag)}; tags ${plan.tags.map(code).join(", ")}.`,
    "",
    "| Model | File | From | Hash | Changed | Depends on |",
    "| --- | --- | --- | --- | --- | --- |",
    ...plan.models.map(
      (m) =>
        `| ${cell(m.name)} | ${code(m.file)} | ${code(m.from)} | ${code(m.hash.slice(0, 12))} | ${m.changed ? "yes" : "no"} | ${cell(m.dependsOn.join(", "))} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

/** The build report for people: what was built (or why not), the digest, the tags, and the layers. */

import { code } from "../text/markdown.js";
import { formatBytes } from "../text/units.js";
import type { BuildReport } from "./report.js";

export function formatBuildText(report: BuildReport): string {
  const lines: string[] = [];
  if (report.recipe !== undefined && report.digest === undefined && report.skipped === undefined) {
    lines.push(report.recipe.trimEnd(), "");
  }
  if (report.skipped !== undefined) lines.push(`skipped: ${report.skipped}`);
  if (report.digest !== undefined) lines.push(`digest  ${report.digest}`);
  if (report.output !== undefined && report.skipped === undefined && report.recipe !== undefined) {
    lines.push(`output  ${report.output === "push" ? "pushed to the registry" : "loaded into the local engine"}`);
  }
  lines.push(...report.references.map((reference) => `tag     ${reference}`));
  if (report.layers.length > 0) {
    lines.push("", "LAYER  KIND    MODEL  FILES  BYTES");
    report.layers.forEach((layer, i) => {
      lines.push(`${i + 1}  ${layer.kind}  ${layer.name}  ${layer.files}  ${formatBytes(layer.bytes)}`);
    });
  }
  if (report.milliseconds.total > 0) {
    const t = report.milliseconds;
    lines.push("", `time    ${t.total} ms (fetch ${t.fetch}, create ${t.create}, build ${t.build})`);
  }
  return `${lines.join("\n")}\n`;
}

/** "pushed as X" or "loaded into the local engine": what the build was asked to do, named with `show`. */
export function deliveredAs(report: BuildReport, show: (digest: string) => string): string {
  const digest = report.digest === undefined ? "" : ` as ${show(report.digest)}`;
  if (report.output === "push") return `pushed${digest}`;
  if (report.output === "load") return "loaded into the local engine";
  // A report from before `output` was recorded says neither.
  return `made${digest}`;
}

export function formatBuildMarkdown(report: BuildReport): string {
  const lines = ["### ollama-build build", ""];
  if (report.skipped !== undefined)
    lines.push(
      `⏭️ Nothing built: ${report.skipped}. Tags added: ${report.plan.tags.map((t) => `\`${t}\``).join(", ")}.`,
    );
  else lines.push(`✅ \`${report.plan.imageTag}\` built and ${deliveredAs(report, (digest) => `\`${digest}\``)}.`);
  if (report.layers.length > 0) {
    lines.push("", "| Layer | Kind | Model | Files | Size |", "| --- | --- | --- | --- | --- |");
    report.layers.forEach((layer, i) => {
      lines.push(`| ${i + 1} | ${layer.kind} | ${code(layer.name)} | ${layer.files} | ${formatBytes(layer.bytes)} |`);
    });
  }
  if (report.cache !== undefined) {
    const hit =
      report.cache.restored === undefined
        ? "miss"
        : report.cache.restored === report.cache.key
          ? "hit"
          : `partial (${report.cache.restored})`;
    lines.push("", `Model cache \`${report.cache.key}\`: ${hit}.`);
  }
  return `${lines.join("\n")}\n`;
}

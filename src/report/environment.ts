/** The comment's collapsed sections: where the smoke ran (head and base side by side), and the container's log. */
import type { SmokeEnvironment } from "../smoke/types.js";
import { clip, text } from "../text/markdown.js";
import { formatBytes } from "../text/units.js";
import { MAX_LOG_LINES, MAX_NAME, MAX_REASON, name } from "./inline.js";

const MiB = 1024 * 1024;

const ENVIRONMENT_ROWS: [label: string, read: (e: SmokeEnvironment) => string | undefined][] = [
  [
    "GPU",
    (e) => (e.gpu ? (e.gpu_names?.length ? text(clip(e.gpu_names.join(", "), MAX_NAME)) : "yes") : "none (CPU only)"),
  ],
  ["Ollama", (e) => (e.ollama_version === undefined ? undefined : name(e.ollama_version))],
  ["Image", (e) => (e.image === undefined ? undefined : name(e.image))],
  ["Image digest", (e) => (e.image_digest === undefined ? undefined : name(e.image_digest))],
  [
    "Runner",
    ({ runner }) =>
      text(
        clip(
          `${runner.os}, ${runner.arch}, ${runner.cpus} CPUs, ${formatBytes(runner.memory_mib * MiB)} memory`,
          MAX_NAME,
        ),
      ),
  ],
  ["Node", (e) => name(e.runner.node)],
  ["Endpoint", (e) => name(e.endpoint)],
  ["Started", (e) => name(e.started_at)],
];

export function environmentBlock(head: SmokeEnvironment, base: SmokeEnvironment | undefined): string {
  const rows = ENVIRONMENT_ROWS.map(([label, read]) => {
    const values = [head, ...(base === undefined ? [] : [base])].map((e) => read(e) ?? "–");
    return `| ${label} | ${values.join(" | ")} |`;
  });
  const header = base === undefined ? ["| | Head |", "| --- | --- |"] : ["| | Head | Base |", "| --- | --- | --- |"];
  return ["<details><summary>Environment</summary>", "", ...header, ...rows, "", "</details>"].join("\n");
}

/** The last lines of some output, verbatim in a code block. */
export function fenced(lines: readonly string[]): string {
  // One output line stays one line: a line break inside would count against the line cap unseen.
  const shown = lines.slice(-MAX_LOG_LINES).map((line) => clip(line.replace(/\r\n?|\n/g, " "), MAX_REASON));
  // A fence longer than any backtick run inside cannot be closed by the output.
  const longestRun = Math.max(0, ...shown.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [`${fence}text`, ...shown, fence].join("\n");
}

export function logBlock(logs: readonly string[]): string {
  const count = Math.min(logs.length, MAX_LOG_LINES);
  return [`<details><summary>Container log (last ${count} lines)</summary>`, "", fenced(logs), "", "</details>"].join(
    "\n",
  );
}

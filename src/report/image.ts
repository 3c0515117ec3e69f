/** What the build did, in the comment: a clause for the verdict, and the image section (time, layers, push). */
import { deliveredAs } from "../build/format.js";
import type { BuildReport } from "../build/report.js";
import type { Plan } from "../plan/plan.js";
import { clip, text } from "../text/markdown.js";
import { formatBytes } from "../text/units.js";
import { formatDuration, MAX_REASON, name, plural, shortSha } from "./inline.js";

/** Whether the build made an image: not skipped, and not a dry run (only a real build fetches). */
const madeImage = (build: BuildReport | undefined): build is BuildReport =>
  build !== undefined && build.skipped === undefined && build.fetched !== undefined;

/** `image built and pushed`, `build skipped (why)`, `dry run: nothing built`: the verdict names no digest. */
export function buildSummary(build: BuildReport): string {
  if (build.skipped !== undefined) return `build skipped (${text(clip(build.skipped, MAX_REASON))})`;
  if (!madeImage(build)) return "dry run: nothing built";
  return `image built and ${deliveredAs({ ...build, digest: undefined }, name)}`;
}

function layerLine(build: BuildReport): string {
  const bytes = (kind: "base" | "custom") =>
    build.layers.filter((l) => l.kind === kind).reduce((sum, l) => sum + l.bytes, 0);
  return `${build.layers.length} layers: ${formatBytes(bytes("base"))} of base models, ${formatBytes(bytes("custom"))} of custom models.`;
}

export function imageBlock(plan: Plan, build: BuildReport | undefined): string {
  const changed = plan.models.filter((m) => m.changed).length;
  const against = plan.base === undefined ? "no base, so all count as changed" : `against ${shortSha(plan.base)}`;
  const lines = [`${name(plan.imageTag)}: ${changed} of ${plan.models.length} models changed (${against}).`];
  if (madeImage(build)) {
    const t = build.milliseconds;
    lines.push(
      `Built in ${formatDuration(t.total)} (fetch ${formatDuration(t.fetch)}, create ${formatDuration(t.create)}, build ${formatDuration(t.build)}) and ${deliveredAs(build, name)}.`,
    );
  } else if (build !== undefined) {
    lines.push(`${buildSummary(build).replace(/^./, (first) => first.toUpperCase())}.`);
  }
  if (build !== undefined && build.layers.length > 0) lines.push(layerLine(build));
  const transfer = build?.pushedAgainstBase;
  if (transfer !== undefined) {
    lines.push(
      `Pushed ${formatBytes(transfer.bytes)} where the base commit's image ${name(transfer.image)} was (${plural(transfer.blobs, "new blob")}; the registry had the rest).`,
    );
  }
  // A trailing backslash is a hard line break, in comments and job summaries alike.
  return ["#### Image", "", lines.join("\\\n")].join("\n");
}

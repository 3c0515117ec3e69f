/**
 * `update-lock`: a lock that moves on purpose. Ollama's tags (`qwen3:4b`) move upstream and Ollama has no pull by
 * digest, so this re-resolves every locked base model and, when a digest moved, builds the image with the new
 * lock, smokes it beside the image the current lock made (the base branch's, built by its own workflow), and
 * renders a pull request's body: the lock's diff and the comparison. When nothing moved nothing is built and
 * ollama.lock keeps its bytes. Publishing is the front end's: the action opens or updates one pull request
 * (`publish/pull-request.ts`), the CLI writes the body to a file.
 *
 * The run is its own, not the checked-out commit's: its image is tagged `m-<hash>` and the update branch's name
 * only (never `main` or `sha-<commit>`: that commit does not build this image), and models count as changed
 * against the checked-out commit (HEAD), whose lock is the one being replaced.
 */
import path from "node:path";
import type { BuildReport } from "../build/report.js";
import type { LintResult } from "../lint/stage.js";
import type { LockResult } from "../lock/stage.js";
import type { Plan } from "../plan/plan.js";
import type { PlannedImage } from "../plan/stage.js";
import { blobsOf, LOCK_FILE, type Lock, type LockEntry, serializeLock } from "../project/lockfile.js";
import { DEFAULT_NAMESPACE, DEFAULT_REGISTRY_HOST } from "../project/model-ref.js";
import type { Workspace } from "../project/workspace.js";
import { commentMarker, type ReportInput, renderReport } from "../report/render.js";
import type { SmokeTarget } from "../smoke/stage.js";
import type { SmokeReport } from "../smoke/types.js";
import { describeError } from "../text/errors.js";
import { clip, code, text } from "../text/markdown.js";
import { formatBytes } from "../text/units.js";
import type { PipelineOptions } from "./options.js";
import { lintFailure, Pipeline, PipelineError, smokeFailure } from "./pipeline.js";

/** The one branch every update-lock pull request comes from, force-moved on each run that finds a move. */
export const UPDATE_LOCK_BRANCH = "ollama-build/update-lock";
/** GitHub refuses a pull request body over 65,536 characters. */
export const PULL_REQUEST_BODY_LIMIT = 65_536;
/** Rows of the lock table; the rest are counted (ollama.lock's diff in the pull request has them all). */
const MAX_LOCK_ROWS = 100;
/** Room kept under the limit for what a caller adds (a line, a marker). */
const BODY_MARGIN = 1_000;

export interface LockedManifest {
  digest: string;
  /** The manifest's config and layers: what pulling the model downloads. */
  bytes: number;
}

/** One entry of ollama.lock that differs: moved (both sides), newly pinned (no `before`), dropped (no `after`). */
export interface LockChange {
  ref: string;
  before?: LockedManifest;
  after?: LockedManifest;
}

export interface UpdateLockUnchanged {
  moved: false;
  lock: Lock;
}

export interface UpdateLockMoved {
  moved: true;
  changes: LockChange[];
  /** The image the current lock makes, `<image>:m-<hash>`, smoked beside the new one when it exists. */
  mainImage: string;
  /** The plan with the new lock (its `imageTag` is the new image). */
  plan: Plan;
  build?: BuildReport;
  smoke?: SmokeReport;
  /** Why the new image was smoked alone. */
  notPaired?: string;
  /** What stopped the run before it had a smoke report (a build error, a server that never came up). */
  failure?: string;
  /** Why the run fails, one line each; empty when it passes. The pull request is opened either way. */
  failures: string[];
  /** The new ollama.lock: its absolute path and the bytes written there. */
  lockFile: string;
  lockText: string;
  title: string;
  commitMessage: string;
  body: string;
}

export type UpdateLockResult = UpdateLockUnchanged | UpdateLockMoved;

export interface UpdateLockSettings {
  /** The update branch, whose (sanitised) name tags the new image; default `ollama-build/update-lock`. */
  branch?: string;
  /** The workflow run, linked from the body. */
  runUrl?: string;
}

/** What `update-lock` needs of the pipeline (a `Pipeline` is one; tests give it stages of their own). */
export interface UpdateLockStages {
  options: Pick<PipelineOptions, "stage" | "log" | "paired">;
  workspace(): Promise<Workspace>;
  lint(): Promise<LintResult>;
  plan(): Promise<PlannedImage>;
  lock(update: true, options: { keepUnchanged: true }): Promise<LockResult>;
  build(): Promise<BuildReport>;
  smoke(target: SmokeTarget, baseImage?: string): Promise<SmokeReport>;
  imageExists(imageTag: string): Promise<boolean>;
}

const manifestOf = (entry: LockEntry): LockedManifest => ({
  digest: entry.digest,
  bytes: blobsOf(entry).reduce((sum, blob) => sum + blob.size, 0),
});

/** The entries whose digest differs between two locks, by reference. */
export function lockChanges(before: Lock, after: Lock): LockChange[] {
  const refs = [...new Set([...Object.keys(before.models), ...Object.keys(after.models)])].sort();
  return refs.flatMap((ref) => {
    const [old, now] = [before.models[ref], after.models[ref]];
    if (old?.digest === now?.digest) return [];
    return [
      {
        ref,
        ...(old === undefined ? {} : { before: manifestOf(old) }),
        ...(now === undefined ? {} : { after: manifestOf(now) }),
      },
    ];
  });
}

/** `registry.ollama.ai/library/qwen3:4b` → `qwen3:4b`, as a Modelfile names it. */
export function shortRef(ref: string): string {
  const library = `${DEFAULT_REGISTRY_HOST}/${DEFAULT_NAMESPACE}/`;
  if (ref.startsWith(library)) return ref.slice(library.length);
  return ref.startsWith(`${DEFAULT_REGISTRY_HOST}/`) ? ref.slice(DEFAULT_REGISTRY_HOST.length + 1) : ref;
}

const verb = (change: LockChange) =>
  change.before === undefined ? "pinned" : change.after === undefined ? "dropped" : "moved upstream";
const shortDigest = (digest: string) => digest.slice(0, "sha256:".length + 12);

export function pullRequestTitle(changes: readonly LockChange[]): string {
  const [only] = changes;
  if (changes.length === 1 && only !== undefined) return `ollama.lock: ${clip(shortRef(only.ref), 120)} ${verb(only)}`;
  const moved = changes.filter((c) => c.before !== undefined && c.after !== undefined).length;
  return `ollama.lock: ${moved === changes.length ? `${changes.length} base models moved upstream` : `${changes.length} base models changed`}`;
}

export function commitMessage(changes: readonly LockChange[]): string {
  const lines = changes.map(
    (c) =>
      `${shortRef(c.ref)}: ${c.before === undefined ? "(not pinned)" : shortDigest(c.before.digest)} -> ${c.after === undefined ? "(dropped)" : shortDigest(c.after.digest)}`,
  );
  return `${pullRequestTitle(changes)}\n\nRe-resolved by ollama-build update-lock:\n${lines.join("\n")}\n`;
}

function sizeCell(change: LockChange): string {
  const [old, now] = [change.before?.bytes, change.after?.bytes];
  const shown = (bytes: number | undefined) => (bytes === undefined ? "—" : formatBytes(bytes));
  if (old === undefined || now === undefined) return `${shown(old)} → ${shown(now)}`;
  const delta = now - old;
  return `${shown(old)} → ${shown(now)} (${delta === 0 ? "±0 B" : `${delta > 0 ? "+" : "−"}${formatBytes(Math.abs(delta))}`})`;
}

/** The lock's part of the body: what moved, from which manifest to which, and what it weighs. */
export function lockSection(
  changes: readonly LockChange[],
  mainImage: string,
  image: string,
  branchOf: string,
): string {
  const rows = changes.slice(0, MAX_LOCK_ROWS).map((c) => {
    const digest = (m: LockedManifest | undefined) => (m === undefined ? "—" : code(shortDigest(m.digest)));
    return `| ${code(clip(shortRef(c.ref), 120))} | ${digest(c.before)} | ${digest(c.after)} | ${sizeCell(c)} |`;
  });
  if (changes.length > MAX_LOCK_ROWS)
    rows.push(`| …and ${changes.length - MAX_LOCK_ROWS} more (see ollama.lock's diff) | | | |`);
  const moved = changes.length === 1 ? "One base model resolves" : `${changes.length} base models resolve`;
  const images =
    image === mainImage
      ? `The image is the same (${code(clip(image, 200))}): no model of it is built on what changed.`
      : `${text(branchOf)}'s image ${code(clip(mainImage, 200))} was built with the current lock; ${code(clip(image, 200))} is built with this one.`;
  return [
    "### ollama.lock: base models moved upstream",
    `${moved} to a different manifest than ollama.lock pins. This pull request pins the new ${changes.length === 1 ? "one" : "ones"}. ${images}`,
    `| Base model | Pinned now | Upstream | Size |\n| --- | --- | --- | --- |\n${rows.join("\n")}`,
    "<sub>Ollama has no pull by digest: a tag such as `qwen3:4b` changes whenever its library pushes. The scheduled `update-lock` run re-resolves every locked base model and keeps this one pull request up to date; merging it makes the base branch build with these manifests.</sub>",
  ].join("\n\n");
}

/** The pull request's body: the lock section, then the report, fitted under GitHub's limit. */
export function updateLockBody(
  section: string,
  report: ReportInput,
  maxChars = PULL_REQUEST_BODY_LIMIT - BODY_MARGIN,
): string {
  return `${section}\n\n${renderReport(report, { maxChars: maxChars - section.length - 2 })}`;
}

/**
 * The pipeline of this run: the given one's options and workspace, but the update branch as its source (tags)
 * and HEAD as its base (what changed), and whether an image exists.
 */
async function updatePipeline(
  given: Pipeline,
  branch: string,
): Promise<{ stages: UpdateLockStages; branchOf: string }> {
  const workspace = await given.workspace();
  const context = await given.runContext();
  const baseRef = given.options.baseRef ?? (workspace.repository === undefined ? undefined : "HEAD");
  const pipeline = new Pipeline({
    ...given.options,
    openWorkspace: () => given.workspace(),
    runContext: async () => ({
      source: { branch },
      ...(context.repository === undefined ? {} : { repository: context.repository }),
    }),
    ...(baseRef === undefined ? {} : { baseRef }),
  });
  return { stages: pipeline, branchOf: context.source.branch ?? "the checked-out commit" };
}

export async function runUpdateLock(given: Pipeline, settings: UpdateLockSettings = {}): Promise<UpdateLockResult> {
  const { stages, branchOf } = await updatePipeline(given, settings.branch ?? UPDATE_LOCK_BRANCH);
  return updateLock(stages, { ...settings, branchOf });
}

/** Where the new image is compared with the current one, or why it is not. */
async function pairing(
  stages: UpdateLockStages,
  mainImage: string,
  image: string,
  branchOf: string,
): Promise<{ image: string } | { notPaired: string }> {
  if (stages.options.paired === "off") return { notPaired: "paired comparison is off" };
  if (image === mainImage) return { notPaired: `${branchOf}'s image is this image` };
  if (await stages.imageExists(mainImage)) return { image: mainImage };
  return { notPaired: `${branchOf}'s image ${mainImage} was not found (never built with the current lock?)` };
}

/** Builds the new image and smokes it (beside the current one when it exists); errors become the failure. */
async function buildAndSmoke(stages: UpdateLockStages, result: UpdateLockMoved, branchOf: string): Promise<void> {
  const { stage, log } = stages.options;
  try {
    const build = await stage("build", () => stages.build());
    result.build = build;
    const paired = await pairing(stages, result.mainImage, build.plan.imageTag, branchOf);
    if ("notPaired" in paired) {
      result.notPaired = paired.notPaired;
      log(`not paired: ${paired.notPaired}; the new image is smoked alone`);
    }
    const base = "image" in paired ? paired.image : undefined;
    const smoke = await stage("smoke", () => stages.smoke({ image: build.plan.imageTag }, base));
    // The digest the build pushed is the one a registry serves; the engine may not know it.
    if (build.digest !== undefined) smoke.environment.image_digest = build.digest;
    result.smoke = smoke;
  } catch (error) {
    result.failure = describeError(error);
  }
}

/** The decision and the order: lint → the current image → re-resolve → [nothing moved: stop] → build → smoke → body. */
export async function updateLock(
  stages: UpdateLockStages,
  settings: UpdateLockSettings & { branchOf?: string } = {},
): Promise<UpdateLockResult> {
  const { stage, log } = stages.options;
  const branchOf = settings.branchOf ?? "the checked-out commit";
  const lint = await stage("lint", () => stages.lint());
  const lintFailed = lintFailure(lint.counts, false);
  if (lintFailed !== undefined) throw new PipelineError(`${lintFailed}: fix them before updating ollama.lock`);
  if (lint.lock.status !== "ok") {
    throw new PipelineError(`there is no ${LOCK_FILE} to update: run \`ollama-build lock\` and commit it`);
  }
  const before = lint.lock;
  const mainImage = (await stages.plan()).plan.imageTag;
  const locked = await stage("lock", () => stages.lock(true, { keepUnchanged: true }));
  const changes = lockChanges(before.lock, locked.lock);
  const lockFile = path.join((await stages.workspace()).root, LOCK_FILE);
  const lockText = serializeLock(locked.lock);
  if (changes.length === 0) {
    // Nothing moved: runLock left the file's bytes as they were (keepUnchanged), canonical or not.
    log(`${LOCK_FILE}: no base model moved (${Object.keys(locked.lock.models).length} re-resolved)`);
    return { moved: false, lock: locked.lock };
  }
  for (const change of changes) {
    log(`${shortRef(change.ref)} ${verb(change)}: ${change.before?.digest ?? "—"} → ${change.after?.digest ?? "—"}`);
  }
  const result: UpdateLockMoved = {
    moved: true,
    changes,
    mainImage,
    plan: (await stages.plan()).plan,
    failures: [],
    lockFile,
    lockText,
    title: pullRequestTitle(changes),
    commitMessage: commitMessage(changes),
    body: "",
  };
  await buildAndSmoke(stages, result, branchOf);
  const { smoke, failure, notPaired } = result;
  result.failures = [
    ...(failure === undefined ? [] : [failure]),
    ...[smokeFailure(smoke)].filter((line) => line !== undefined),
  ];
  const report: ReportInput = {
    marker: commentMarker("update-lock"),
    plan: result.plan,
    ...(result.build === undefined ? {} : { build: result.build }),
    ...(smoke === undefined ? {} : { head: smoke }),
    ...(failure === undefined ? {} : { failure }),
    ...(notPaired === undefined ? {} : { notPaired, baselineNote: `not paired: ${notPaired}` }),
    ...(settings.runUrl === undefined ? {} : { runUrl: settings.runUrl }),
  };
  result.body = updateLockBody(lockSection(changes, mainImage, result.plan.imageTag, branchOf), report);
  return result;
}

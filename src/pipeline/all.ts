/**
 * `all`: lint → [pin] → build (nothing is built when this commit's image exists) → smoke (or an earlier smoke of
 * the same image) → the report's input (with the baseline). Lint errors stop before the build; a build or boot
 * error still gets its report. The run fails on lint errors, build errors and a failed smoke, never because of
 * the report: whatever goes wrong while reading or saving reports is a warning.
 */
import type { BuildReport } from "../build/report.js";
import type { LintResult } from "../lint/stage.js";
import type { LockResult } from "../lock/stage.js";
import type { Plan } from "../plan/plan.js";
import { commentMarker, type ReportInput } from "../report/render.js";
import type { SavedReport } from "../report/saved-reports.js";
import { smokeSettingsDigest } from "../smoke/stage.js";
import type { SmokeReport } from "../smoke/types.js";
import { describeError } from "../text/errors.js";
import { lintFailure, type Pipeline, smokeFailure } from "./pipeline.js";
import { baselineFor, reusableSmoke, saveSmoke } from "./reports.js";

export interface AllResult {
  lint: LintResult;
  /** Base models this run pinned (only with `pinMissingBaseModels`). */
  pinned?: LockResult;
  plan?: Plan;
  build?: BuildReport;
  smoke?: SmokeReport;
  /** The smoke report is an earlier run's, of the same image (this run built nothing). */
  smokeReused?: boolean;
  baseline?: SavedReport;
  /** Why the smoke was not paired with the base commit's image. */
  notPaired?: string;
  /** What stopped the run before it had a smoke report: lint errors, a build error, a server that never came up. */
  failure?: string;
  /** Why the run fails, one line each; empty when it passes. */
  failures: string[];
  /** What the report (the PR comment, the markdown file) shows. */
  report: ReportInput;
}

/** Whether some library base model is not pinned yet. */
const unpinned = (lint: LintResult) =>
  lint.lock.status === "absent" || lint.files.some((f) => f.diagnostics.some((d) => d.code === "unlocked-base"));

async function buildAndSmoke(pipeline: Pipeline, result: AllResult): Promise<string | undefined> {
  const { options } = pipeline;
  if (options.pinMissingBaseModels && unpinned(result.lint)) {
    result.pinned = await pipeline.lock();
    options.log(
      `pinned ${result.pinned.added.join(", ")} in ollama.lock: commit it, so every build uses these manifests`,
    );
  }
  const build = await options.stage("build", () => pipeline.build());
  result.build = build;
  result.plan = build.plan;
  const target = { image: build.plan.imageTag };
  const settings = await smokeSettingsDigest(await pipeline.smokeOptions(target));
  // An image built and smoked before, with these very cases and settings, is not booted again.
  const saved =
    build.skipped === undefined || options.reports === undefined
      ? undefined
      : await reusableSmoke(options.reports, build.plan.imageTag, settings);
  if (saved !== undefined) {
    result.smoke = saved;
    result.smokeReused = true;
    options.log(`smoke: skipped, ${build.skipped}; showing its report from ${saved.environment.started_at}`);
    return settings;
  }
  const pairing = await pipeline.pairedBase(build.plan);
  if ("notPaired" in pairing) result.notPaired = pairing.notPaired;
  const baseImage = "image" in pairing ? pairing.image : undefined;
  result.smoke = await options.stage("smoke", () => pipeline.smoke(target, baseImage));
  // The digest the build pushed is the one a registry serves; the engine may not know it.
  if (build.digest !== undefined) result.smoke.environment.image_digest = build.digest;
  return settings;
}

/** Looks the baseline up (before this run saves its own, which must never be its own baseline), then saves. */
async function compareAndSave(pipeline: Pipeline, result: AllResult, settings: string | undefined): Promise<void> {
  const { reports: store, givenBaseline } = pipeline.options;
  if (result.smoke === undefined) return;
  // A paired smoke compared itself with the base image, measured beside it: a saved report would only be worse.
  if (givenBaseline !== undefined && result.smoke.paired === undefined) result.baseline = givenBaseline;
  if (store === undefined) return;
  const context = await pipeline.runContext();
  try {
    if (result.smoke.paired === undefined) {
      result.baseline ??= await baselineFor(store, result.plan, pipeline.options.baseRef ?? context.baseRef);
    }
    await saveSmoke(store, {
      smoke: result.smoke,
      reused: result.smokeReused === true,
      ...(result.plan === undefined ? {} : { plan: result.plan }),
      ...(settings === undefined ? {} : { settings }),
      ...(context.source.sha === undefined ? {} : { sha: context.source.sha }),
      ...(context.source.pullRequest === undefined ? {} : { pullRequest: context.source.pullRequest }),
    });
  } catch (error) {
    pipeline.options.warn(`the saved reports could not be read or written: ${describeError(error)}`);
  }
}

function reportInput(pipeline: Pipeline, result: AllResult): ReportInput {
  const { baseline, smoke } = result;
  return {
    marker: commentMarker(pipeline.options.commentId),
    ...(smoke === undefined ? {} : { head: smoke }),
    ...(baseline === undefined
      ? {}
      : "report" in baseline
        ? { baseline: baseline.report }
        : { baselineNote: baseline.missing }),
    ...(result.plan === undefined ? {} : { plan: result.plan }),
    ...(result.build === undefined ? {} : { build: result.build }),
    ...(result.failure === undefined ? {} : { failure: result.failure }),
    ...(result.notPaired === undefined ? {} : { notPaired: result.notPaired }),
    ...(result.smokeReused && smoke !== undefined
      ? {
          provenance: `This image was built and smoked before, with the same cases and settings: the smoke figures are from that run (${smoke.environment.started_at}).`,
        }
      : {}),
  };
}

export async function runAll(pipeline: Pipeline): Promise<AllResult> {
  const { options } = pipeline;
  const lint = await options.stage("lint", () => pipeline.lint());
  const result: AllResult = { lint, failures: [], report: { marker: commentMarker(options.commentId) } };
  const lintFailed = lintFailure(lint.counts, options.failOnWarnings);
  let settings: string | undefined;
  // Lint errors stop the run before the build, but still reach the report: it must not keep saying ✅.
  if (lint.counts.error > 0) result.failure = lintFailed;
  else {
    try {
      settings = await buildAndSmoke(pipeline, result);
    } catch (error) {
      result.failure = describeError(error);
    }
  }
  await options.stage("report", () => compareAndSave(pipeline, result, settings));
  result.report = reportInput(pipeline, result);
  result.failures = [
    ...(lintFailed === undefined ? [] : [lintFailed]),
    ...(result.failure === undefined || lint.counts.error > 0 ? [] : [result.failure]),
    ...[smokeFailure(result.smoke)].filter((line) => line !== undefined),
  ];
  return result;
}

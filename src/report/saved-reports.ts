/**
 * Saved smoke reports, under two kinds of key:
 * - a commit's SHA, saved by runs on a branch (a push to main): the baseline a pull request based on that
 *   commit is compared with. In a workflow they live in GitHub's cache, where entries saved on the default
 *   branch are readable from pull requests: no token needed.
 * - an image's content-addressed tag and the smoke settings: a later run that finds the image already built,
 *   with the same cases, shows that report instead of booting the image again; and a pull request whose base
 *   commit saved no report finds the base image's by content. (A pull request's cache entries are visible only
 *   to that pull request and the default branch's to everyone, as GitHub scopes caches.)
 * `comment-id` keeps the reports of several workflows apart.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { DirectoryCache } from "../io/directory-cache.js";
import { writeFileAtomically } from "../io/files.js";
import { splitImageReference } from "../registry/image-ref.js";
import { parseSmokeReport } from "../smoke/report-schema.js";
import type { SmokeReport } from "../smoke/types.js";

/** A saved report, or why there is none (said in the comment). */
export type SavedReport = { report: SmokeReport } | { missing: string };

/** Where reports are kept between runs: the pipeline decides what it reads and saves (pipeline/reports.ts). */
export interface ReportStore {
  /** The report saved for a commit; `what` names it in the message when there is none. */
  forCommit(sha: string, what: string): Promise<SavedReport>;
  /** The report of an image smoked with `settings`; without settings, the newest of that image with any. */
  forImage(imageTag: string, what: string, settings?: string): Promise<SavedReport>;
  saveForCommit(sha: string, report: SmokeReport): Promise<void>;
  saveForImage(imageTag: string, settings: string, report: SmokeReport): Promise<void>;
}

export const BASELINE_KEY_PREFIX = "ollama-build-report-v1-";
const REPORT_FILE = "smoke-report.json";

export function baselineKey(sha: string, commentId?: string): string {
  return `${BASELINE_KEY_PREFIX}${commentId === undefined ? "" : `${commentId}-`}${sha}`;
}

/**
 * The report key of an image smoked with given settings (`settings`: a digest of the case files, budgets,
 * repeat and GPU mode): `ghcr.io/theo/models:m-0123456789ab` → `…image-m-0123456789ab-<settings>`. A report is
 * reused only for the same image and the same settings; a baseline may come from any settings (the prefix).
 */
export function imageReportKey(imageTag: string, settings: string, commentId?: string): string {
  return `${imageReportPrefix(imageTag, commentId)}${settings}`;
}

export function imageReportPrefix(imageTag: string, commentId?: string): string {
  return baselineKey(`image-${splitImageReference(imageTag).tag}-`, commentId);
}

/**
 * Reports kept in a directory cache. `dir` must be the same path for saving and restoring in every job (a cache
 * entry restores only to the paths it was saved from; they are part of its version).
 */
export function cachedReportStore(cache: DirectoryCache, dir: string, commentId?: string): ReportStore {
  async function save(key: string, report: SmokeReport): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    await writeFileAtomically(path.join(dir, REPORT_FILE), `${JSON.stringify(report)}\n`);
    await cache.save([dir], key);
  }
  /** The entry saved under `key`, else (with `prefix`) the newest whose key starts with it. */
  async function restore(what: string, key: string, prefix?: string): Promise<SavedReport> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const restored = await cache.restore([dir], key, prefix === undefined ? [] : [prefix]);
    if (restored === undefined || (restored !== key && (prefix === undefined || !restored.startsWith(prefix)))) {
      return { missing: `no report was saved for ${what}` };
    }
    try {
      const file = path.join(dir, REPORT_FILE);
      return { report: parseSmokeReport(await readFile(file, "utf8"), file) };
    } catch (error) {
      return { missing: `the saved report for ${what} could not be read: ${(error as Error).message}` };
    }
  }
  return {
    forCommit: (sha, what) => restore(what, baselineKey(sha, commentId)),
    forImage: (imageTag, what, settings) => {
      const prefix = imageReportPrefix(imageTag, commentId);
      return settings === undefined ? restore(what, prefix, prefix) : restore(what, `${prefix}${settings}`);
    },
    saveForCommit: (sha, report) => save(baselineKey(sha, commentId), report),
    saveForImage: (imageTag, settings, report) => save(imageReportKey(imageTag, settings, commentId), report),
  };
}

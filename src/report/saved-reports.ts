/**
 * Saved smoke reports, in GitHub's cache. Two keys per report:
 * - the commit's SHA, saved by runs on a branch (a push to main): the baseline a pull request based on that
 *   commit is compared with. Caches saved on the default branch are readable from pull requests, which is what
 *   makes this work without a token.
 * - the image's content-addressed tag and the smoke settings: a later run that finds the image already built,
 *   with the same cases, shows that report instead of booting the image again; and a pull request whose base
 *   commit saved no report finds the base image's by content. A pull request's entries are visible only to that
 *   pull request and the default branch's to everyone, as GitHub scopes caches.
 * `comment-id` keeps the reports of several workflows apart.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { DirectoryCache } from "../fetch/cache.js";
import { writeFileAtomically } from "../io/files.js";
import { splitImageReference } from "../registry/image-ref.js";
import { parseSmokeReport } from "../smoke/report-schema.js";
import type { SmokeReport } from "../smoke/types.js";

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

/** `dir` must be the same path for saving and restoring: the cache's version is derived from the paths. */
export async function saveBaseline(
  cache: DirectoryCache,
  dir: string,
  key: string,
  report: SmokeReport,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await writeFileAtomically(path.join(dir, REPORT_FILE), `${JSON.stringify(report)}\n`);
  await cache.save([dir], key);
}

export type Baseline = { report: SmokeReport } | { missing: string };

/**
 * Restores the entry saved under `key`, else (with `prefix`) the newest whose key starts with it. `what` names
 * the report in the message when there is none: `the base commit abc1234`.
 */
export async function restoreBaseline(
  cache: DirectoryCache,
  dir: string,
  what: string,
  key: string,
  prefix?: string,
): Promise<Baseline> {
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

/**
 * The baseline a pull request's report is compared with: the smoke report of its base commit, saved in
 * GitHub's cache by the workflow run on that commit (a push to main) under a key holding the commit's SHA.
 * Caches saved on the default branch are readable from pull requests, which is what makes this work without
 * a token. `comment-id` keeps the baselines of several workflows apart.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { DirectoryCache } from "../fetch/cache.js";
import { writeFileAtomically } from "../files.js";
import type { SmokeReport } from "../smoke/types.js";

export const BASELINE_KEY_PREFIX = "ollama-build-report-v1-";
const REPORT_FILE = "smoke-report.json";

export function baselineKey(sha: string, commentId?: string): string {
  return `${BASELINE_KEY_PREFIX}${commentId === undefined ? "" : `${commentId}-`}${sha}`;
}

/** `dir` must be the same path on every run: the cache's version is derived from the paths. */
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

export async function restoreBaseline(cache: DirectoryCache, dir: string, key: string, sha: string): Promise<Baseline> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // Exact key only: another commit's report would compare with the wrong base.
  if ((await cache.restore([dir], key, [])) !== key) {
    return {
      missing: `no report was saved for the base commit ${sha.slice(0, 7)} (the base branch's workflow saves one)`,
    };
  }
  try {
    return { report: JSON.parse(await readFile(path.join(dir, REPORT_FILE), "utf8")) as SmokeReport };
  } catch (error) {
    return { missing: `the saved report for ${sha.slice(0, 7)} could not be read: ${(error as Error).message}` };
  }
}

/**
 * GitHub's cache in a workflow: @actions/cache with every failure turned into a warning. A cache outage costs
 * a download (models) or a missing comparison (reports), never the build. (The library itself warns on failed
 * restores, but reports a failed save, whether from contention or an outage, only by returning -1.)
 */
import * as cache from "@actions/cache";
import * as core from "@actions/core";
import type { DirectoryCache } from "../io/directory-cache.js";

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `what` names the entries in messages; `withoutIt` says what a missed restore costs. */
export function githubCache(what: string, withoutIt: string): DirectoryCache {
  return {
    async restore(paths, key, restoreKeys) {
      if (!cache.isFeatureAvailable()) {
        core.warning(`the GitHub cache service is not available here: ${withoutIt}`);
        return undefined;
      }
      try {
        const restored = await cache.restoreCache(paths, key, restoreKeys);
        core.info(restored === undefined ? `${what}: no entry for ${key}` : `${what}: restored ${restored}`);
        return restored;
      } catch (error) {
        core.warning(`${what}: restore failed (${describe(error)}); ${withoutIt}`);
        return undefined;
      }
    },
    async save(paths, key) {
      if (!cache.isFeatureAvailable()) return;
      try {
        // Saving compresses the whole directory before it asks for the key: look first, as another job may
        // have saved the same entry meanwhile.
        if ((await cache.restoreCache(paths, key, [], { lookupOnly: true })) === key) {
          core.info(`${what}: ${key} is already saved`);
          return;
        }
        const id = await cache.saveCache(paths, key);
        if (id === -1) core.warning(`${what}: ${key} was not saved (the cache service refused or failed)`);
        else core.info(`${what}: saved ${key}`);
      } catch (error) {
        core.warning(`${what}: save failed (${describe(error)})`);
      }
    },
  };
}

export const githubModelCache = githubCache("model cache", "the base models are downloaded");
export const githubReportCache = githubCache("report cache", "there is no baseline to compare with");

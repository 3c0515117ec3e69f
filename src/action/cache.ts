/**
 * The model cache in a workflow: @actions/cache with every failure turned into a warning. A cache outage
 * costs a download, never the build. (The library itself warns on failed restores, but reports a failed
 * save, whether from contention or an outage, only by returning -1.)
 */
import * as cache from "@actions/cache";
import * as core from "@actions/core";
import type { ModelCache } from "../fetch/cache.js";

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const githubModelCache: ModelCache = {
  async restore(paths, key, restoreKeys) {
    if (!cache.isFeatureAvailable()) {
      core.warning("the GitHub cache service is not available here: the base models are downloaded");
      return undefined;
    }
    try {
      const restored = await cache.restoreCache(paths, key, restoreKeys);
      core.info(restored === undefined ? `model cache: no entry for ${key}` : `model cache: restored ${restored}`);
      return restored;
    } catch (error) {
      core.warning(`model cache: restore failed (${describe(error)}); the base models are downloaded`);
      return undefined;
    }
  },
  async save(paths, key) {
    if (!cache.isFeatureAvailable()) return;
    try {
      // Saving compresses the whole store before it asks for the key: look first, as another job may have
      // saved the same models meanwhile.
      if ((await cache.restoreCache(paths, key, [], { lookupOnly: true })) === key) {
        core.info(`model cache: ${key} is already saved`);
        return;
      }
      const id = await cache.saveCache(paths, key);
      if (id === -1) core.warning(`model cache: ${key} was not saved (the cache service refused or failed)`);
      else core.info(`model cache: saved ${key}`);
    } catch (error) {
      core.warning(`model cache: save failed (${describe(error)}); the next run downloads the base models again`);
    }
  },
};

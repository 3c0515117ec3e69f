/** The seam to a cache of directories between runs (GitHub's cache in a workflow; nothing elsewhere). */

/** Restoring and saving directories; implementations report failures as warnings and never throw. */
export interface DirectoryCache {
  /** The key that was restored (the exact key or a prefix match), or undefined. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

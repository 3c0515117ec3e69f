/** Image references for a build: one content-addressed tag plus human tags for the commit, PR and branch. */

export interface SourceContext {
  /** The commit being built. */
  sha?: string;
  /** The branch, for pushes and local runs. */
  branch?: string;
  pullRequest?: number;
}

export const CONTENT_TAG_PREFIX = "m-";

/** Docker tags: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`; anything else becomes `-`, as docker/metadata-action does. */
export function sanitiseTag(text: string): string | undefined {
  const tag = text
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[.-]+/, "")
    .slice(0, 128);
  return tag === "" ? undefined : tag;
}

export function contentTag(imageHash: string): string {
  return `${CONTENT_TAG_PREFIX}${imageHash.slice(0, 12)}`;
}

export function imageTags(imageHash: string, source: SourceContext): string[] {
  const tags = [contentTag(imageHash)];
  if (source.sha !== undefined) tags.push(`sha-${source.sha.slice(0, 7)}`);
  if (source.pullRequest !== undefined) tags.push(`pr-${source.pullRequest}`);
  else if (source.branch !== undefined) {
    const branch = sanitiseTag(source.branch);
    if (branch !== undefined && !tags.includes(branch)) tags.push(branch);
  }
  return tags;
}

/** `ghcr.io/Theo/Models` → `ghcr.io/theo/models`: repositories must be lower case. */
export function normaliseImageRepository(image: string): string {
  return image.toLowerCase();
}

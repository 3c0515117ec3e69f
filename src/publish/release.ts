/**
 * `release --version X.Y.Z`: gives the already-built image its semver tags (X.Y.Z, X.Y and X; a prerelease
 * gets only its own tag) by copying the content-addressed manifest through the registry API. Nothing is
 * rebuilt: the image that passed the checks is the one that is released.
 */

import type { Plan } from "../plan/plan.js";
import { CONTENT_TAG_PREFIX } from "../plan/tags.js";
import type { RegistryClient } from "../registry/client.js";
import { parseImageRepository } from "../registry/image-ref.js";
import { addTags } from "../registry/tags.js";
import { isValidSemver } from "../text/semver.js";

export class ReleaseError extends Error {}

/** `v1.2.3` → [`1.2.3`, `1.2`, `1`]; `1.2.3-rc.1` → [`1.2.3-rc.1`]. Full x.y.z only. */
export function releaseTags(version: string): string[] {
  const bare = version.startsWith("v") ? version.slice(1) : version;
  const match = /^(\d+)\.(\d+)\.(\d+)(-[^+]+)?(\+.*)?$/.exec(bare);
  if (match === null || !isValidSemver(`v${bare}`)) {
    throw new ReleaseError(`--version ${JSON.stringify(version)} is not a semantic version such as 1.4.0`);
  }
  if (match[5] !== undefined)
    throw new ReleaseError(`--version ${version}: build metadata (+…) cannot be part of an image tag`);
  const [, major, minor, patch, prerelease] = match;
  if (prerelease !== undefined) return [`${major}.${minor}.${patch}${prerelease}`];
  return [`${major}.${minor}.${patch}`, `${major}.${minor}`, `${major}`];
}

export interface ReleaseResult {
  image: string;
  /** The content-addressed tag that was released. */
  from: string;
  digest: string;
  tags: string[];
}

/** Tags the plan's content-addressed image, which must exist in `client`'s registry. */
export async function runRelease(plan: Plan, client: RegistryClient, version: string): Promise<ReleaseResult> {
  const tags = releaseTags(version);
  const from = plan.tags.find((t) => t.startsWith(CONTENT_TAG_PREFIX)) as string;
  const repository = parseImageRepository(plan.image).path;
  const digest = await client.headManifest(repository, from);
  if (digest === undefined) {
    throw new ReleaseError(
      `${plan.imageTag} does not exist: build this commit before releasing it (release never rebuilds)`,
    );
  }
  await addTags(client, repository, from, tags);
  return { image: plan.image, from, digest, tags };
}

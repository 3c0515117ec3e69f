/** What a build did: the report the build command prints, the action outputs and the PR comment reads. */
import type { Plan } from "../plan/plan.js";

export interface BuiltLayer {
  name: string;
  kind: "base" | "custom";
  files: number;
  bytes: number;
}

export interface BuildReport {
  plan: Plan;
  /** Why nothing was built, when nothing was. */
  skipped?: string;
  /** The pushed (or loaded) image's digest. */
  digest?: string;
  /**
   * Where the image went: pushed to its registry, or loaded into the local engine. What was asked decides it,
   * not the metadata (BuildKit writes a digest for a load too).
   */
  output?: "push" | "load";
  /**
   * What the push had to upload where the base commit's image already was: the blobs and manifests that
   * image did not have (the registry skips the rest). Only when both were pushed to the same repository.
   */
  pushedAgainstBase?: { image: string; bytes: number; blobs: number };
  /** Full references the image now has. */
  references: string[];
  recipe?: string;
  layers: BuiltLayer[];
  /** What fetching the base models took: blobs already in the store, and bytes downloaded. */
  fetched?: { blobs: number; present: number; bytesDownloaded: number };
  /** The model cache key, and what was restored: the key itself, another (partial), or nothing. */
  cache?: { key: string; restored?: string };
  milliseconds: { fetch: number; create: number; build: number; total: number };
}

/** Full references of every tag the plan gives the image. */
export const references = (plan: Plan) => plan.tags.map((tag) => `${plan.image}:${tag}`);

/**
 * What the workflow run is building, read from the runner's environment and event payload: the commit, the
 * branch or pull request, and the commit to compare with.
 */
import { readFile } from "node:fs/promises";
import type { SourceContext } from "../plan/tags.js";

export interface RunContext {
  source: SourceContext;
  /** The base commit: a pull request's base, a push's previous head, a merge queue's base. */
  baseRef?: string;
  /** `owner/repo`. */
  repository?: string;
}

const ZERO_SHA = /^0+$/;

interface EventPayload {
  pull_request?: { number?: number; base?: { sha?: string } };
  before?: string;
  merge_group?: { base_sha?: string };
}

export function runContextFrom(env: Readonly<Record<string, string | undefined>>, payload: EventPayload): RunContext {
  const context: RunContext = { source: {} };
  if (env.GITHUB_SHA) context.source.sha = env.GITHUB_SHA;
  if (env.GITHUB_REPOSITORY) context.repository = env.GITHUB_REPOSITORY;

  const pullRequest = payload.pull_request;
  if (pullRequest?.number !== undefined) {
    context.source.pullRequest = pullRequest.number;
    if (pullRequest.base?.sha) context.baseRef = pullRequest.base.sha;
  } else if (env.GITHUB_REF?.startsWith("refs/heads/") && !env.GITHUB_REF.startsWith("refs/heads/gh-readonly-queue/")) {
    // A merge queue's temporary branch is not worth a tag.
    context.source.branch = env.GITHUB_REF.slice("refs/heads/".length);
  }
  if (context.baseRef === undefined && payload.merge_group?.base_sha) context.baseRef = payload.merge_group.base_sha;
  if (context.baseRef === undefined && payload.before && !ZERO_SHA.test(payload.before))
    context.baseRef = payload.before;
  return context;
}

export async function readRunContext(env: Readonly<Record<string, string | undefined>>): Promise<RunContext> {
  let payload: EventPayload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as EventPayload;
    } catch (error) {
      throw new Error(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(error as Error).message}`);
    }
  }
  return runContextFrom(env, payload);
}

/** `ghcr.io/<owner>/<repo>` for the repository the workflow runs in; a local name elsewhere. */
export function defaultImageFor(repository: string | undefined, projectDirName: string): string {
  return repository ? `ghcr.io/${repository}` : `ollama-build/${projectDirName}`;
}

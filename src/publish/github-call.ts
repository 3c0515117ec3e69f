/**
 * One GitHub REST call as the publish steps make it: server errors and network failures are retried (GitHub's
 * 5xx are usually gone within seconds), anything else, or what is still failing after the last attempt, ends as
 * the caller's error, said for people. The sticky comment and the update-lock pull request share it.
 */
import type { getOctokit } from "@actions/github";

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubCallOptions {
  log?: (line: string) => void;
  /** Waits between attempts after a server or network error; one attempt more than delays. */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** Three attempts. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 3_000] as const;

/** An error from the API: octokit's RequestError carries `status`; a network failure has none. */
export const statusOf = (error: unknown) =>
  typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `cannot <what>: GitHub answered <status> (<message>)`: the start of every failure's description. */
export function cannot(error: unknown, what: string): string {
  const status = statusOf(error);
  return `cannot ${what}: ${status === undefined ? "" : `GitHub answered ${status} `}(${messageOf(error)})`;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Makes `call(what, request)`: the request, retried; a failure for good is thrown as `fail(error, what)`. */
export function gitHubCaller(options: GitHubCallOptions, fail: (error: unknown, what: string) => Error) {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? defaultSleep;
  const log = options.log ?? (() => {});
  return async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        const status = statusOf(error);
        const delay = delays[attempt];
        if ((status !== undefined && status < 500) || delay === undefined) throw fail(error, what);
        log(
          `GitHub API: ${what} failed (${messageOf(error)}); attempt ${attempt + 2} of ${delays.length + 1} in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  };
}

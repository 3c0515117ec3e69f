/**
 * The update-lock pull request: one branch, one pull request, updated in place on every run that finds a move.
 *
 * GitHub closes an open pull request as soon as its head has no commit its base lacks, so the branch is never
 * reset to the base and then committed to (the pull request would close in between, and the next run would open
 * a second one). The commit is made on a scratch branch started at the commit the lock was re-resolved at (the
 * contents API commits onto a branch, given the file's current blob sha there), the update branch is then moved
 * to it in one step (created, or force-updated), and the scratch branch is deleted. Then the open pull request
 * from `owner:branch` is updated (title, body, base), or opened; when a run racing this one opened it first
 * (422 "A pull request already exists"), this one updates it instead.
 *
 * Unlike the sticky comment this is the command's whole job: a failure throws, saying what the token lacks.
 * Server errors and network failures are retried first.
 */
import { randomBytes } from "node:crypto";
import { cannot, type GitHubCallOptions, type GitHubClient, gitHubCaller, messageOf, statusOf } from "./github-call.js";

export interface LockPullRequest {
  owner: string;
  repo: string;
  /** The branch the pull request goes into. */
  base: string;
  /** The commit the lock was re-resolved at: the update branch starts from it. */
  startSha: string;
  /** The update branch (`ollama-build/update-lock`). */
  branch: string;
  /** The file to commit, its path relative to the repository root. */
  file: { path: string; content: string };
  commitMessage: string;
  title: string;
  body: string;
}

export interface PullRequestResult {
  action: "created" | "updated";
  number: number;
  url: string;
  /** The update branch's new head. */
  commit: string;
}

export interface PullRequestOptions extends GitHubCallOptions {
  /** The scratch branch's name; default: the update branch's, a dash and 8 random hex digits. */
  scratchBranch?: string;
}

/** A call that failed for good: the reason, said for people, and GitHub's status when it answered. */
export class PullRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PullRequestError";
  }
}

const PERMISSIONS =
  "the workflow needs `permissions: contents: write` and `pull-requests: write` (and a token of this repository, not a fork's)";
const ACTIONS_SETTING =
  'the GITHUB_TOKEN may open pull requests only where Settings → Actions → General allows "GitHub Actions to create and approve pull requests" (or give a GitHub App or personal token as github-token)';

function describeFailure(error: unknown, what: string): string {
  const status = statusOf(error);
  const answer = cannot(error, what);
  if (status === 403) {
    return `${answer}; ${/not permitted to create or approve pull requests/i.test(messageOf(error)) ? ACTIONS_SETTING : PERMISSIONS}`;
  }
  if (status === 404) return `${answer}; no such repository or branch, or the token cannot see the repository`;
  return answer;
}

/** Runs one API call, retrying server and network errors; what is left fails as a PullRequestError. */
const caller = (options: PullRequestOptions) =>
  gitHubCaller(options, (error, what) => new PullRequestError(describeFailure(error, what), statusOf(error)));

/** `undefined` for a 404 (not there), the answer otherwise. */
const unlessMissing = <T>(request: Promise<T>): Promise<T | undefined> =>
  request.catch((error: unknown) => (statusOf(error) === 404 ? undefined : Promise.reject(error)));

type Call = ReturnType<typeof caller>;

/** Commits the file on the scratch branch (which starts at `startSha`); returns the commit. */
async function commitOnScratch(octokit: GitHubClient, call: Call, request: LockPullRequest, scratch: string) {
  const { owner, repo, file } = request;
  const current = await call(`read ${file.path} on ${scratch}`, () =>
    unlessMissing(octokit.rest.repos.getContent({ owner, repo, path: file.path, ref: scratch })),
  );
  const data = current?.data;
  if (data !== undefined && (Array.isArray(data) || data.type !== "file")) {
    throw new PullRequestError(`${file.path} is not a file in ${owner}/${repo} at ${request.startSha.slice(0, 7)}`);
  }
  const put = await call(`commit ${file.path} on ${scratch}`, () =>
    octokit.rest.repos.createOrUpdateFileContents({
      owner,
      repo,
      path: file.path,
      branch: scratch,
      message: request.commitMessage,
      content: Buffer.from(file.content, "utf8").toString("base64"),
      ...(data === undefined ? {} : { sha: data.sha }),
    }),
  );
  const commit = put.data.commit.sha;
  if (commit === undefined) throw new PullRequestError(`GitHub named no commit for ${file.path} on ${scratch}`);
  return commit;
}

/** Points the update branch at `commit` in one step: created, or force-moved (whatever it held is replaced). */
async function moveBranch(octokit: GitHubClient, call: Call, request: LockPullRequest, commit: string) {
  const { owner, repo, branch } = request;
  const force = () =>
    call(`move ${branch}`, () =>
      octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit, force: true }),
    );
  const existing = await call(`look up ${branch}`, () =>
    unlessMissing(octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })),
  );
  if (existing !== undefined) return force();
  try {
    return await call(`create ${branch}`, () =>
      octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit }),
    );
  } catch (error) {
    // A run racing this one created it first: this run's commit wins, as it would have a moment later.
    if (error instanceof PullRequestError && error.status === 422) return force();
    throw error;
  }
}

/** Updates the open pull request from the branch, or opens it. */
async function upsertPull(
  octokit: GitHubClient,
  call: Call,
  request: LockPullRequest,
  log: (line: string) => void,
): Promise<Omit<PullRequestResult, "commit">> {
  const { owner, repo, branch, base, title, body } = request;
  // `head` must name the owner: GitHub silently ignores a bare branch name and lists every open pull request.
  const findOpen = async () =>
    (
      await call(`list the open pull requests from ${owner}:${branch}`, () =>
        octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "open", per_page: 100 }),
      )
    ).data[0];
  let open = await findOpen();
  if (open === undefined) {
    try {
      const created = await call(`open a pull request from ${branch} into ${base}`, () =>
        octokit.rest.pulls.create({ owner, repo, head: branch, base, title, body }),
      );
      return { action: "created", number: created.data.number, url: created.data.html_url };
    } catch (error) {
      if (!(error instanceof PullRequestError && error.status === 422 && /already exists/i.test(error.message))) {
        throw error;
      }
      log(`another run opened the pull request from ${branch} at the same time: updating it`);
      open = await findOpen();
      if (open === undefined) throw error;
    }
  }
  const number = open.number;
  const updated = await call(`update pull request #${number}`, () =>
    octokit.rest.pulls.update({ owner, repo, pull_number: number, title, body, base }),
  );
  return { action: "updated", number, url: updated.data.html_url };
}

export async function upsertLockPullRequest(
  octokit: GitHubClient,
  request: LockPullRequest,
  options: PullRequestOptions = {},
): Promise<PullRequestResult> {
  const { owner, repo } = request;
  const log = options.log ?? (() => {});
  const call = caller(options);
  const scratch = options.scratchBranch ?? `${request.branch}-${randomBytes(4).toString("hex")}`;
  await call(`create the branch ${scratch} at ${request.startSha.slice(0, 7)}`, () =>
    octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${scratch}`, sha: request.startSha }),
  );
  let commit: string;
  try {
    commit = await commitOnScratch(octokit, call, request, scratch);
    await moveBranch(octokit, call, request, commit);
  } finally {
    // Tidying up: a scratch branch left behind is a nuisance, not a failed update.
    await call(`delete the branch ${scratch}`, () =>
      octokit.rest.git.deleteRef({ owner, repo, ref: `heads/${scratch}` }),
    ).catch((error: unknown) => log(`warning: ${messageOf(error)}`));
  }
  log(
    `${request.branch} is at ${commit.slice(0, 7)}: ${request.file.path} committed on ${request.startSha.slice(0, 7)}`,
  );
  return { ...(await upsertPull(octokit, call, request, log)), commit };
}

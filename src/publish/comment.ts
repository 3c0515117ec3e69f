/**
 * The sticky pull-request comment: one per pull request (and comment id), found again by its hidden marker
 * line and edited in place on every run.
 *
 * Anyone can post a comment that starts with the marker line, so a marked comment only counts as ours when a
 * bot or a maintainer wrote it: the GITHUB_TOKEN posts as github-actions[bot], a personal token as the
 * maintainer it belongs to. Anyone else's marked comment is never edited or deleted: where the token may not
 * edit it, adopting it would fail with 403 on every run and the report would never be posted, and tidying up
 * duplicates must not delete other people's comments. (A personal token of someone who is not an OWNER,
 * MEMBER or COLLABORATOR would not recognise its own comments and post a new one each run.)
 *
 * Two runs racing on the same pull request can both find nothing and both create a comment. So after
 * creating, the comments are listed again: when several carry the marker, the oldest (lowest id) is kept and
 * gets this run's body, and the one this run created is deleted. The run that created the oldest sees nothing
 * to delete, so every racer converges on that one comment.
 *
 * Reporting never fails a build: a forbidden or missing resource (a fork's read-only token, a missing
 * `pull-requests: write`), and anything else that goes wrong, is returned as `skipped` with the reason for the
 * caller to warn about. Server errors and network failures are retried first.
 */
import { markerLine } from "../report/render.js";
import { cannot, type GitHubCallOptions, type GitHubClient, gitHubCaller, messageOf, statusOf } from "./github-call.js";

export interface CommentTarget {
  owner: string;
  repo: string;
  /** The pull request (or issue) number. */
  issueNumber: number;
  /** From `commentMarker()`. */
  marker: string;
  /** From `renderReport()`; the marker line is added when it does not start with it. */
  body: string;
}

export type CommentResult =
  | { action: "created" | "updated"; id: number; url: string }
  | { action: "skipped"; reason: string };

export type CommentOptions = GitHubCallOptions;

interface ListedComment {
  id: number;
  body?: string | null;
  html_url: string;
  user?: { type?: string } | null;
  author_association?: string;
}

/** Associations that come with write access to the repository (CONTRIBUTOR only means a merged commit). */
const MAINTAINER_ASSOCIATIONS: ReadonlySet<string> = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

const byBotOrMaintainer = (comment: ListedComment) =>
  comment.user?.type === "Bot" || MAINTAINER_ASSOCIATIONS.has(comment.author_association ?? "");

/** A call that failed for good: the reason, said for people, and GitHub's status when it answered. */
class CallFailed extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

function describeFailure(error: unknown, what: string): string {
  const status = statusOf(error);
  const answer = cannot(error, what);
  if (status === 403)
    return `${answer}; a pull request from a fork gets a read-only token, otherwise the workflow needs \`permissions: pull-requests: write\``;
  if (status === 404) return `${answer}; no such pull request or comment, or the token cannot see the repository`;
  return answer;
}

export async function upsertComment(
  octokit: GitHubClient,
  target: CommentTarget,
  options: CommentOptions = {},
): Promise<CommentResult> {
  const { owner, repo, issueNumber } = target;
  const line = markerLine(target.marker);
  const body = target.body.startsWith(line) ? target.body : `${line}\n${target.body}`;
  const log = options.log ?? (() => {});
  // Any failure left ends the upsert as skipped.
  const call = gitHubCaller(options, (error, what) => new CallFailed(describeFailure(error, what), statusOf(error)));

  const ours = async () => {
    const comments: ListedComment[] = await call(`list the comments of #${issueNumber}`, () =>
      octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
    );
    return comments.filter((c) => c.body?.startsWith(line) && byBotOrMaintainer(c)).sort((a, b) => a.id - b.id);
  };
  const update = async (id: number) =>
    (await call(`update comment ${id}`, () => octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })))
      .data;
  /** Deleting is tidying up after a race: a failure leaves a duplicate, not a failed report. */
  const remove = async (id: number) => {
    try {
      await call(`delete comment ${id}`, () => octokit.rest.issues.deleteComment({ owner, repo, comment_id: id }));
    } catch (error) {
      // Another run tidying up the same duplicate got there first: it is gone either way.
      if (statusOf(error) !== 404) log(`warning: ${messageOf(error)}`);
    }
  };

  let created: ListedComment;
  try {
    const [oldest, ...duplicates] = await ours();
    if (oldest !== undefined) {
      const updated = await update(oldest.id);
      for (const duplicate of duplicates) await remove(duplicate.id);
      return { action: "updated", id: updated.id, url: updated.html_url };
    }
    created = (
      await call(`comment on #${issueNumber}`, () =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
      )
    ).data;
  } catch (error) {
    // `call` turned every failure into a CallFailed with the reason.
    return { action: "skipped", reason: messageOf(error) };
  }
  const result = { action: "created", id: created.id, url: created.html_url } as const;
  try {
    const [oldest] = await ours();
    if (oldest === undefined || oldest.id >= created.id) return result;
    log(`another run created comment ${oldest.id} at the same time: updating it and deleting ${created.id}`);
    const updated = await update(oldest.id);
    await remove(created.id);
    return { action: "updated", id: updated.id, url: updated.html_url };
  } catch (error) {
    // The report is posted; a duplicate at worst.
    log(`warning: could not check for a concurrent duplicate comment: ${messageOf(error)}`);
    return result;
  }
}

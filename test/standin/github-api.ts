/**
 * A stand-in for the GitHub REST API's issue-comment, git-ref, contents and pull-request endpoints, for tests
 * that drive @actions/github's Octokit against it (`getOctokit(token, { baseUrl: api.url })`). What it
 * answers, as GitHub does:
 *
 * - GET    /repos/:owner/:repo/issues/:number/comments?per_page&page -> 200, oldest first; `per_page` defaults
 *   to 30 and is capped at 100; more than one page gets a `Link` header with absolute URLs and rel="prev",
 *   "next", "last", "first" as they apply (Octokit's paginate follows rel="next").
 * - POST   /repos/:owner/:repo/issues/:number/comments {body} -> 201 and the comment, written by `author`.
 *   Every comment carries its author's `user` and `author_association`.
 * - PATCH  /repos/:owner/:repo/issues/comments/:id {body} -> 200 and the comment; 404 when there is none.
 * - DELETE /repos/:owner/:repo/issues/comments/:id -> 204; 404 when there is none.
 * - A body over 65,536 characters -> 422 "Validation Failed"; a request without the token -> 401
 *   "Bad credentials"; a repository not in `repositories` (when given) -> 404 "Not Found", as GitHub answers
 *   a token that cannot see it.
 *
 * Repositories hold commits (each with all its files) and branches; `branches` seeds one commit per branch, the
 * first seeded branch is the default one, and every other repository exists, empty.
 * - GET    /repos/:o/:r/git/ref/heads/:branch -> 200 `{ref, object: {sha, type: "commit"}}`; 404 "Not Found".
 * - POST   /repos/:o/:r/git/refs {ref: "refs/heads/…", sha} -> 201; 422 "Reference already exists", "Object
 *   does not exist" (an unknown commit), or "ref must start with 'refs/' and have at least two slashes.".
 * - PATCH  /repos/:o/:r/git/refs/heads/:branch {sha, force} -> 200; 422 "Update is not a fast forward" when the
 *   new commit does not descend from the old one and `force` is not true, "Reference does not exist",
 *   "Object does not exist".
 * - DELETE /repos/:o/:r/git/refs/heads/:branch -> 204; 422 "Reference does not exist".
 * - GET    /repos/:o/:r/contents/:path?ref -> 200, a file `{type: "file", sha: <git blob sha>, content: base64
 *   wrapped at 60 characters, encoding: "base64"}` or a folder's listing (an array); 404 "Not Found"; a ref that
 *   is no branch, tag or commit -> 404 "No commit found for the ref …". Default ref: the default branch.
 * - PUT    /repos/:o/:r/contents/:path {message, content: base64, sha?, branch?} -> a new commit on the branch
 *   (parent: its head), 201 for a new file, 200 for a changed one, `{content, commit: {sha}}`; an unknown branch
 *   -> 404 "Branch … not found" (checked first); an existing file without `sha` -> 422 'Invalid request.
 *   "sha" wasn't supplied.'; a `sha` that is not the file's blob sha there -> 409 "<path> does not match
 *   <sha>"; for a new file `sha` is ignored.
 * - GET    /repos/:o/:r/pulls?state&head&base&per_page&page -> 200, paginated like comments; `state` defaults to
 *   open; `head` is `owner:branch`, and a head without `owner:` is ignored (every pull request is listed).
 * - POST   /repos/:o/:r/pulls {title, head, base, body} -> 201 (numbers from 1, after those `pulls` takes);
 *   422 "Validation Failed" with errors[].message "A pull request already exists for owner:branch." (an open
 *   one, same head and base), "No commits between <base> and <head>", or field head/base "invalid" (no such
 *   branch); a body over 65,536 characters -> 422.
 * - PATCH  /repos/:o/:r/pulls/:n {title, body, base, state} -> 200. GET /repos/:o/:r/pulls/:n -> 200, or the
 *   head and base commits `pulls` gives a number, else 404.
 * - An open pull request is closed as soon as its head branch is deleted or holds no commit its base lacks
 *   (GitHub closes it then: a branch reset onto its base closes its pull request).
 *
 * Faults (`setFaults`, at any time): `readOnly` answers writes 403 "Resource not accessible by integration"
 * (a fork's pull request token); `pullRequestsForbidden` answers POST /pulls 403 "GitHub Actions is not
 * permitted to create or approve pull requests." (the repository setting that keeps the GITHUB_TOKEN from
 * opening pull requests); `serverErrors: N` answers the next N requests 502 (Infinity: every one); `delayMs`
 * holds every answer back, so concurrent clients interleave.
 * Every answer carries the fields GitHub's OpenAPI description requires (users, repositories and URLs made up
 * from the names; github-api.contract.test.ts checks them against it).
 * Not modelled: rate limits, reactions, the issue itself (every issue number exists), trees and merges,
 * permissions per endpoint, a pull request's counts and merge state (commits, diff statistics: 0; mergeable: null).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type Account,
  type Answer,
  ApiError,
  accountJson,
  BODY_LIMIT,
  GITHUB_ACTIONS_BOT,
  paginate,
  type Repository,
  repositoryRoutes,
  type SeedBranch,
  type StoredPull,
} from "./github-repository.js";

export { blobSha, type SeedBranch, type StoredPull } from "./github-repository.js";

const DOCS = "https://docs.github.com/rest";
/** Who the GITHUB_TOKEN posts as; GitHub gives its comments the association NONE. */
const GITHUB_ACTIONS: CommentAuthor = { user: GITHUB_ACTIONS_BOT, authorAssociation: "NONE" };

export interface GithubApiFaults {
  readOnly?: boolean;
  /** POST /pulls is refused: the repository does not let GitHub Actions open pull requests. */
  pullRequestsForbidden?: boolean;
  /** The next N requests are answered 502. */
  serverErrors?: number;
  delayMs?: number;
}

export interface CommentAuthor {
  user: Account;
  /** The author's relation to the repository: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, … */
  authorAssociation: string;
}

export interface StoredComment extends CommentAuthor {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/** The author defaults to github-actions[bot]. */
export interface SeedComment extends Partial<CommentAuthor> {
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query: `/repos/o/r/issues/7/comments?per_page=100&page=2`. */
  path: string;
  status: number;
  /** The parsed JSON body, for writes. */
  body?: unknown;
}

export interface GithubApiOptions {
  /** The token clients must send (`token …` or `Bearer …`). */
  token?: string;
  /** `owner/repo` the token can see; every repository when not given. */
  repositories?: string[];
  comments?: SeedComment[];
  /** Who the token posts as: github-actions[bot] when not given (a personal token posts as its owner). */
  author?: CommentAuthor;
  /** Pull requests GET /repos/:o/:r/pulls/:n answers with: `owner/repo#number` → its head commit. */
  pulls?: Record<string, { headSha: string; baseSha: string }>;
  /** `owner/repo` → branch → its files: one commit per branch (the first branch is the default one). */
  branches?: Record<string, Record<string, SeedBranch>>;
  faults?: GithubApiFaults;
}

export interface GithubApi {
  /** The API's base URL, for Octokit's `baseUrl`. */
  url: string;
  /** Every comment there is, oldest first (live). */
  comments: StoredComment[];
  /** Every request in arrival order, with the status it got (live). */
  requests: RecordedRequest[];
  /** Every pull request opened through the API, open or closed (live). */
  pullRequests: StoredPull[];
  /** A repository's commits and refs (live); `owner/repo`. */
  repository(fullName: string): Repository;
  /** A file's content on a branch (or at a commit), or undefined. */
  fileAt(fullName: string, ref: string, path: string): string | undefined;
  setFaults(faults: GithubApiFaults): void;
  stop(): Promise<void>;
}

const COMMENTS_OF_ISSUE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const ONE_COMMENT = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;
const ONE_PULL = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/;
/** `/repos/:owner/:repo` and the rest of the path, percent-decoded (Octokit encodes the `/` of refs and paths). */
const IN_REPOSITORY = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, "Problems parsing JSON");
  }
}

function commentBody(json: unknown): string {
  const body = typeof json === "object" && json !== null && "body" in json ? json.body : undefined;
  if (typeof body !== "string") throw new ApiError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
  // GitHub counts characters (code points), not UTF-16 units.
  if ([...body].length > BODY_LIMIT) {
    throw new ApiError(422, "Validation Failed", {
      errors: [
        {
          resource: "IssueComment",
          code: "unprocessable",
          field: "data",
          message: `Body is too long (maximum is ${BODY_LIMIT} characters)`,
        },
      ],
    });
  }
  return body;
}

export async function startGithubApi(options: GithubApiOptions = {}): Promise<GithubApi> {
  let faults: GithubApiFaults = { ...options.faults };
  const comments: StoredComment[] = [];
  const requests: RecordedRequest[] = [];
  let nextId = 1_000_001;
  let base = "";
  const started = new Date().toISOString();

  const store = (seed: SeedComment): StoredComment => {
    const now = new Date().toISOString();
    const comment = { ...GITHUB_ACTIONS, ...seed, id: nextId++, createdAt: now, updatedAt: now };
    comments.push(comment);
    return comment;
  };
  for (const seed of options.comments ?? []) store(seed);

  const asJson = (c: StoredComment) => ({
    id: c.id,
    node_id: `IC_${Buffer.from(String(c.id)).toString("base64url")}`,
    url: `${base}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
    html_url: `${base}/${c.owner}/${c.repo}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${c.owner}/${c.repo}/issues/${c.issueNumber}`,
    body: c.body,
    user: accountJson(base, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.authorAssociation,
    performed_via_github_app: null,
  });

  const find = (owner: string, repo: string, id: number) => {
    const comment = comments.find((c) => c.id === id && c.owner === owner && c.repo === repo);
    if (comment === undefined) throw new ApiError(404, "Not Found");
    return comment;
  };

  const repositories = repositoryRoutes({
    base: () => base,
    ...(options.branches === undefined ? {} : { branches: options.branches }),
    takenNumbers: Object.keys(options.pulls ?? {}).map((key) => Number(key.split("#")[1])),
    pullRequestsForbidden: () => faults.pullRequestsForbidden === true,
  });

  const repositoryNamed = (fullName: string) => {
    const [owner = "", repo = ""] = fullName.split("/");
    return repositories.repository(owner, repo);
  };

  /** GET /repos/:o/:r/pulls/:n for the head and base commits `pulls` gives, when no such pull request was opened. */
  function seededPull(owner: string, repo: string, number: string): Answer {
    const seeded = options.pulls?.[`${owner}/${repo}#${number}`];
    if (seeded === undefined) throw new ApiError(404, "Not Found");
    const pull = {
      ...seeded,
      number: Number(number),
      owner,
      repo,
      title: `Pull request #${number}`,
      body: "",
      head: "feature",
      base: "main",
      state: "open" as const,
      createdAt: started,
      updatedAt: started,
    };
    return { status: 200, json: repositories.pullJson(pull) };
  }

  function commentRoutes(method: string, url: URL, json: unknown): Answer | undefined {
    const onIssue = COMMENTS_OF_ISSUE.exec(url.pathname);
    const onComment = ONE_COMMENT.exec(url.pathname);
    const [, owner = "", repo = "", number = ""] = onIssue ?? onComment ?? [];
    if (onIssue !== null && method === "GET") {
      const issueNumber = Number(number);
      const all = comments.filter((c) => c.owner === owner && c.repo === repo && c.issueNumber === issueNumber);
      return paginate(url, base, all.map(asJson));
    }
    if (onIssue !== null && method === "POST") {
      const body = commentBody(json);
      return {
        status: 201,
        json: asJson(store({ ...options.author, owner, repo, issueNumber: Number(number), body })),
      };
    }
    if (onComment !== null && method === "PATCH") {
      const comment = find(owner, repo, Number(number));
      comment.body = commentBody(json);
      comment.updatedAt = new Date().toISOString();
      return { status: 200, json: asJson(comment) };
    }
    if (onComment !== null && method === "DELETE") {
      comments.splice(comments.indexOf(find(owner, repo, Number(number))), 1);
      return { status: 204 };
    }
    return undefined;
  }

  /** The status and JSON to answer with, plus headers. */
  async function route(req: IncomingMessage, url: URL, record: RecordedRequest): Promise<Answer> {
    const method = req.method ?? "GET";
    const write = method !== "GET";
    const json = write ? await readJson(req) : undefined;
    if (json !== undefined) record.body = json;
    if (options.token !== undefined) {
      const auth = req.headers.authorization ?? "";
      if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`)
        throw new ApiError(401, "Bad credentials");
    }
    const inRepository = IN_REPOSITORY.exec(url.pathname);
    if (inRepository === null) throw new ApiError(404, "Not Found");
    const [, owner = "", repo = "", rest = ""] = inRepository;
    if (options.repositories !== undefined && !options.repositories.includes(`${owner}/${repo}`)) {
      throw new ApiError(404, "Not Found");
    }
    if (write && faults.readOnly) throw new ApiError(403, "Resource not accessible by integration");
    const answer =
      commentRoutes(method, url, json) ??
      repositories.route(method, owner, repo, decodeURIComponent(rest), url, json) ??
      (method === "GET" && ONE_PULL.test(url.pathname) ? seededPull(owner, repo, rest.split("/")[2] ?? "") : undefined);
    if (answer === undefined) throw new ApiError(404, "Not Found");
    return answer;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const record: RecordedRequest = { method: req.method ?? "GET", path: `${url.pathname}${url.search}`, status: 0 };
    requests.push(record);
    if (faults.delayMs !== undefined) await sleep(faults.delayMs);
    let answer: Answer;
    if ((faults.serverErrors ?? 0) > 0) {
      faults.serverErrors = (faults.serverErrors as number) - 1;
      for await (const _ of req); // drain the request body
      answer = { status: 502, json: { message: "Server Error" } };
    } else {
      try {
        answer = await route(req, url, record);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        answer = {
          status: error.status,
          json: { message: error.message, ...error.extra, documentation_url: DOCS, status: String(error.status) },
        };
      }
    }
    record.status = answer.status;
    const payload = answer.json === undefined ? "" : JSON.stringify(answer.json);
    res.writeHead(answer.status, {
      ...(payload === "" ? {} : { "Content-Type": "application/json; charset=utf-8" }),
      "X-GitHub-Request-Id": `STANDIN:${requests.length}`,
      ...answer.headers,
    });
    res.end(payload);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    comments,
    requests,
    pullRequests: repositories.pulls,
    repository: repositoryNamed,
    fileAt(fullName, ref, path) {
      const repository = repositoryNamed(fullName);
      const sha = repository.refs.get(`heads/${ref}`) ?? ref;
      return repository.commits.get(sha)?.files.get(path);
    },
    setFaults(next) {
      faults = { ...faults, ...next };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A stand-in for the GitHub REST API's issue-comment endpoints, for tests that drive @actions/github's
 * Octokit against it (`getOctokit(token, { baseUrl: api.url })`). What it answers, as GitHub does:
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
 * Faults (`setFaults`, at any time): `readOnly` answers writes 403 "Resource not accessible by integration"
 * (a fork's pull request token); `serverErrors: N` answers the next N requests 502 (Infinity: every one);
 * `delayMs` holds every answer back, so concurrent clients interleave.
 * Not modelled: rate limits, reactions, the issue itself (every issue number exists).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

const DOCS = "https://docs.github.com/rest/issues/comments";
const BODY_LIMIT = 65_536;
/** Who the GITHUB_TOKEN posts as; GitHub gives its comments the association NONE. */
const GITHUB_ACTIONS: CommentAuthor = {
  user: { login: "github-actions[bot]", id: 41898282, type: "Bot" },
  authorAssociation: "NONE",
};

export interface GithubApiFaults {
  readOnly?: boolean;
  /** The next N requests are answered 502. */
  serverErrors?: number;
  delayMs?: number;
}

export interface CommentAuthor {
  user: { login: string; id: number; type: "User" | "Bot" };
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
  faults?: GithubApiFaults;
}

export interface GithubApi {
  /** The API's base URL, for Octokit's `baseUrl`. */
  url: string;
  /** Every comment there is, oldest first (live). */
  comments: StoredComment[];
  /** Every request in arrival order, with the status it got (live). */
  requests: RecordedRequest[];
  setFaults(faults: GithubApiFaults): void;
  stop(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const COMMENTS_OF_ISSUE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const ONE_COMMENT = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;
const ONE_PULL = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/;

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

const clampInt = (value: string | null, fallback: number, min: number, max: number) => {
  const parsed = value === null ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) ? Math.min(Math.max(parsed, min), max) : fallback;
};

export async function startGithubApi(options: GithubApiOptions = {}): Promise<GithubApi> {
  let faults: GithubApiFaults = { ...options.faults };
  const comments: StoredComment[] = [];
  const requests: RecordedRequest[] = [];
  let nextId = 1_000_001;
  let base = "";

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
    user: c.user,
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

  /** The status and JSON to answer with, plus headers. */
  async function route(
    req: IncomingMessage,
    url: URL,
    record: RecordedRequest,
  ): Promise<{ status: number; json?: unknown; headers?: Record<string, string> }> {
    const write = req.method !== "GET";
    const json = write ? await readJson(req) : undefined;
    if (json !== undefined) record.body = json;
    if (options.token !== undefined) {
      const auth = req.headers.authorization ?? "";
      if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`)
        throw new ApiError(401, "Bad credentials");
    }
    const onPull = ONE_PULL.exec(url.pathname);
    if (onPull !== null && req.method === "GET") {
      const [, owner, repo, number] = onPull;
      const pull = options.pulls?.[`${owner}/${repo}#${number}`];
      if (pull === undefined) throw new ApiError(404, "Not Found");
      return {
        status: 200,
        json: {
          number: Number(number),
          state: "open",
          head: { sha: pull.headSha, ref: "feature" },
          base: { sha: pull.baseSha, ref: "main" },
        },
      };
    }
    const onIssue = COMMENTS_OF_ISSUE.exec(url.pathname);
    const onComment = ONE_COMMENT.exec(url.pathname);
    const [, owner = "", repo = "", number = ""] = onIssue ?? onComment ?? [];
    if (
      (onIssue === null && onComment === null) ||
      (options.repositories !== undefined && !options.repositories.includes(`${owner}/${repo}`))
    )
      throw new ApiError(404, "Not Found");
    if (write && faults.readOnly) throw new ApiError(403, "Resource not accessible by integration");

    if (onIssue !== null && req.method === "GET") {
      const issueNumber = Number(number);
      const all = comments.filter((c) => c.owner === owner && c.repo === repo && c.issueNumber === issueNumber);
      const perPage = clampInt(url.searchParams.get("per_page"), 30, 1, 100);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const page = clampInt(url.searchParams.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
      const link = (p: number, rel: string) => {
        const target = new URL(url.pathname, base);
        target.searchParams.set("per_page", String(perPage));
        target.searchParams.set("page", String(p));
        return `<${target.href}>; rel="${rel}"`;
      };
      const links = [
        ...(page > 1 ? [link(Math.min(page - 1, last), "prev")] : []),
        ...(page < last ? [link(page + 1, "next"), link(last, "last")] : []),
        ...(page > 1 ? [link(1, "first")] : []),
      ];
      return {
        status: 200,
        json: all.slice((page - 1) * perPage, page * perPage).map(asJson),
        ...(links.length === 0 ? {} : { headers: { Link: links.join(", ") } }),
      };
    }
    if (onIssue !== null && req.method === "POST") {
      return {
        status: 201,
        json: asJson(
          store({
            ...options.author,
            owner,
            repo,
            issueNumber: Number(number),
            body: commentBody(json),
          }),
        ),
      };
    }
    if (onComment !== null && req.method === "PATCH") {
      const comment = find(owner, repo, Number(number));
      comment.body = commentBody(json);
      comment.updatedAt = new Date().toISOString();
      return { status: 200, json: asJson(comment) };
    }
    if (onComment !== null && req.method === "DELETE") {
      comments.splice(comments.indexOf(find(owner, repo, Number(number))), 1);
      return { status: 204 };
    }
    throw new ApiError(404, "Not Found");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const record: RecordedRequest = { method: req.method ?? "GET", path: `${url.pathname}${url.search}`, status: 0 };
    requests.push(record);
    if (faults.delayMs !== undefined) await sleep(faults.delayMs);
    let answer: { status: number; json?: unknown; headers?: Record<string, string> };
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
    setFaults(next) {
      faults = { ...faults, ...next };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

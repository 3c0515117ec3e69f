/**
 * The repository half of the GitHub REST API stand-in (`github-api.ts` serves it and documents what it answers):
 * commits with their files, branches (git refs), file contents and pull requests, kept as GitHub keeps them.
 */
import { createHash } from "node:crypto";

export const BODY_LIMIT = 65_536;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Answer {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

/** A branch to seed: its files; its commit's SHA is made up unless given. */
export interface SeedBranch {
  sha?: string;
  files: Record<string, string>;
}

export interface StoredCommit {
  sha: string;
  parents: string[];
  message: string;
  /** Path → content (UTF-8). */
  files: Map<string, string>;
}

export interface StoredPull {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string;
  /** Branch names in this repository. */
  head: string;
  base: string;
  /** The commits the branches were at: followed while the pull request is open, kept once it is closed. */
  headSha: string;
  baseSha: string;
  state: "open" | "closed";
  createdAt: string;
  updatedAt: string;
}

export interface Repository {
  owner: string;
  repo: string;
  defaultBranch: string;
  commits: Map<string, StoredCommit>;
  /** `heads/<branch>` → commit SHA. */
  refs: Map<string, string>;
}

/** One page of `all`, and the `Link` header GitHub sends with it (absolute URLs; rel prev, next, last, first). */
export function paginate<T>(url: URL, base: string, all: readonly T[]): Answer {
  const clampInt = (value: string | null, fallback: number, min: number, max: number) => {
    const parsed = value === null ? Number.NaN : Number.parseInt(value, 10);
    return Number.isFinite(parsed) ? Math.min(Math.max(parsed, min), max) : fallback;
  };
  const perPage = clampInt(url.searchParams.get("per_page"), 30, 1, 100);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const page = clampInt(url.searchParams.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
  const link = (p: number, rel: string) => {
    const target = new URL(url.pathname, base);
    for (const [name, value] of url.searchParams)
      if (name !== "page" && name !== "per_page") target.searchParams.set(name, value);
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
    json: all.slice((page - 1) * perPage, page * perPage),
    ...(links.length === 0 ? {} : { headers: { Link: links.join(", ") } }),
  };
}

const sha1 = (text: string | Buffer) => createHash("sha1").update(text).digest("hex");
/** What git names a file's content: `sha1("blob <bytes>\0<content>")`. */
export const blobSha = (content: string) =>
  sha1(Buffer.concat([Buffer.from(`blob ${Buffer.byteLength(content)}\0`), Buffer.from(content)]));

/** A made-up, stable id for a name (GitHub hands out its ids in order; the stand-in keeps no such counter). */
const idOf = (name: string) => Number.parseInt(sha1(name).slice(0, 7), 16);
/** GitHub's legacy global node ids: base64 of `<length of the type>:<type><id>`. */
const nodeId = (type: string, id: number) =>
  Buffer.from(`${String(type.length).padStart(2, "0")}:${type}${id}`).toString("base64");
/** When seeded repositories were created and last pushed to: the stand-in keeps no such dates. */
const SEEDED_AT = "2024-01-01T00:00:00Z";

export interface Account {
  login: string;
  id: number;
  type: "User" | "Bot";
}

/** Who the GITHUB_TOKEN acts as. */
export const GITHUB_ACTIONS_BOT: Account = { login: "github-actions[bot]", id: 41898282, type: "Bot" };

/** An account as GitHub shows it (`simple-user`): its URLs all follow from its login. */
export function accountJson(base: string, account: Account) {
  const url = `${base}/users/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `${base}/avatars/u/${account.id}?v=4`,
    gravatar_id: "",
    url,
    // A bot's page is its GitHub App's.
    html_url: `${base}/${account.type === "Bot" ? `apps/${account.login.replace(/\[bot\]$/, "")}` : account.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** The `<name>_url` fields of a repository: each a path, or a URI template, under its API URL. */
const REPOSITORY_URLS: Record<string, string> = {
  archive: "/{archive_format}{/ref}",
  assignees: "/assignees{/user}",
  blobs: "/git/blobs{/sha}",
  branches: "/branches{/branch}",
  collaborators: "/collaborators{/collaborator}",
  comments: "/comments{/number}",
  commits: "/commits{/sha}",
  compare: "/compare/{base}...{head}",
  contents: "/contents/{+path}",
  contributors: "/contributors",
  deployments: "/deployments",
  downloads: "/downloads",
  events: "/events",
  forks: "/forks",
  git_commits: "/git/commits{/sha}",
  git_refs: "/git/refs{/sha}",
  git_tags: "/git/tags{/sha}",
  hooks: "/hooks",
  issue_comment: "/issues/comments{/number}",
  issue_events: "/issues/events{/number}",
  issues: "/issues{/number}",
  keys: "/keys{/key_id}",
  labels: "/labels{/name}",
  languages: "/languages",
  merges: "/merges",
  milestones: "/milestones{/number}",
  notifications: "/notifications{?since,all,participating}",
  pulls: "/pulls{/number}",
  releases: "/releases{/id}",
  stargazers: "/stargazers",
  statuses: "/statuses/{sha}",
  subscribers: "/subscribers",
  subscription: "/subscription",
  tags: "/tags",
  teams: "/teams",
  trees: "/git/trees{/sha}",
};

/** A repository as GitHub shows it (`repository`, as in a pull request's head and base): public, no activity. */
export function repositoryJson(base: string, r: Repository) {
  const fullName = `${r.owner}/${r.repo}`;
  const api = `${base}/repos/${fullName}`;
  const html = `${base}/${fullName}`;
  const host = new URL(base).host;
  const id = idOf(fullName);
  return {
    id,
    node_id: nodeId("Repository", id),
    name: r.repo,
    full_name: fullName,
    owner: accountJson(base, { login: r.owner, id: idOf(r.owner), type: "User" }),
    private: false,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    ...Object.fromEntries(Object.entries(REPOSITORY_URLS).map(([name, path]) => [`${name}_url`, `${api}${path}`])),
    created_at: SEEDED_AT,
    updated_at: SEEDED_AT,
    pushed_at: SEEDED_AT,
    git_url: `git://${host}/${fullName}.git`,
    ssh_url: `git@${host}:${fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: 0,
    license: null,
    forks: 0,
    open_issues: 0,
    watchers: 0,
    default_branch: r.defaultBranch,
    visibility: "public",
  };
}

/**
 * What a single pull request adds to a listed one: its merge state and counts. Not modelled (merges, reviews,
 * comments, diff statistics), so never merged, mergeability not computed yet, and 0.
 */
const PULL_DETAILS = {
  merged: false,
  mergeable: null,
  rebaseable: null,
  mergeable_state: "unknown",
  merged_by: null,
  comments: 0,
  review_comments: 0,
  maintainer_can_modify: false,
  commits: 0,
  additions: 0,
  deletions: 0,
  changed_files: 0,
};

const invalid = (field: string) => new ApiError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
const validationFailed = (errors: Record<string, unknown>[]) => new ApiError(422, "Validation Failed", { errors });

function field(json: unknown, name: string): unknown {
  return typeof json === "object" && json !== null && name in json
    ? (json as Record<string, unknown>)[name]
    : undefined;
}

function requireString(json: unknown, name: string): string {
  const value = field(json, name);
  if (typeof value !== "string") throw invalid(name);
  return value;
}

export interface RepositoryRoutes {
  /** The repository `owner/repo` (every repository exists; unseeded ones are empty). */
  repository(owner: string, repo: string): Repository;
  pulls: StoredPull[];
  /** A pull request's JSON, as GET /repos/:o/:r/pulls/:n answers (for seeded ones, which `pulls` lacks). */
  pullJson(pull: StoredPull): unknown;
  route(method: string, owner: string, repo: string, rest: string, url: URL, json: unknown): Answer | undefined;
}

export interface RepositoryOptions {
  base: () => string;
  branches?: Record<string, Record<string, SeedBranch>>;
  /** Numbers the seeded pull requests take (new ones come after them). */
  takenNumbers: number[];
  /** POST /pulls answers 403 "GitHub Actions is not permitted to create or approve pull requests." */
  pullRequestsForbidden: () => boolean;
}

// Long because it is one closure over the repositories' state: every route reads and writes the same maps.
export function repositoryRoutes(options: RepositoryOptions): RepositoryRoutes {
  const repositories = new Map<string, Repository>();
  const pulls: StoredPull[] = [];
  let commitCounter = 0;
  const taken = new Set(options.takenNumbers);

  const makeCommit = (
    repository: Repository,
    parents: string[],
    files: Map<string, string>,
    message: string,
    sha?: string,
  ) => {
    const made =
      sha ?? sha1(JSON.stringify([repository.owner, repository.repo, parents, [...files], message, commitCounter++]));
    repository.commits.set(made, { sha: made, parents, message, files });
    return made;
  };

  const repository = (owner: string, repo: string): Repository => {
    const key = `${owner}/${repo}`;
    let found = repositories.get(key);
    if (found === undefined) {
      found = { owner, repo, defaultBranch: "main", commits: new Map(), refs: new Map() };
      repositories.set(key, found);
    }
    return found;
  };
  for (const [key, branches] of Object.entries(options.branches ?? {})) {
    const [owner = "", repo = ""] = key.split("/");
    const seeded = repository(owner, repo);
    for (const [index, [branch, seed]] of Object.entries(branches).entries()) {
      if (index === 0) seeded.defaultBranch = branch;
      const sha = makeCommit(seeded, [], new Map(Object.entries(seed.files)), `seed ${branch}`, seed.sha);
      seeded.refs.set(`heads/${branch}`, sha);
    }
  }

  /** Whether `ancestor` is `commit` or one of its ancestors. */
  const reaches = (r: Repository, commit: string, ancestor: string): boolean => {
    const queue = [commit];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const sha = queue.shift() as string;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(r.commits.get(sha)?.parents ?? []));
    }
    return false;
  };

  /**
   * An open pull request follows its branches' commits; GitHub closes one whose head branch is gone or has no
   * commit its base lacks.
   */
  const followBranches = (r: Repository) => {
    for (const pull of pulls) {
      if (pull.owner !== r.owner || pull.repo !== r.repo || pull.state !== "open") continue;
      const head = r.refs.get(`heads/${pull.head}`);
      const base = r.refs.get(`heads/${pull.base}`);
      pull.headSha = head ?? pull.headSha;
      pull.baseSha = base ?? pull.baseSha;
      if (head === undefined || (base !== undefined && reaches(r, base, head))) {
        pull.state = "closed";
        pull.updatedAt = new Date().toISOString();
      }
    }
  };

  const refJson = (r: Repository, ref: string, sha: string) => ({
    ref: `refs/${ref}`,
    node_id: `REF_${Buffer.from(`${r.owner}/${r.repo}/${ref}`).toString("base64url")}`,
    url: `${options.base()}/repos/${r.owner}/${r.repo}/git/refs/${ref}`,
    object: { sha, type: "commit", url: `${options.base()}/repos/${r.owner}/${r.repo}/git/commits/${sha}` },
  });

  /** A pull request as GitHub shows it: `pull-request-simple` in a listing, `pull-request` when `detailed`. */
  const pullJson = (pull: StoredPull, detailed: boolean) => {
    const base = options.base();
    const api = `${base}/repos/${pull.owner}/${pull.repo}`;
    const self = `${api}/pulls/${pull.number}`;
    const html = `${base}/${pull.owner}/${pull.repo}/pull/${pull.number}`;
    const owner = accountJson(base, { login: pull.owner, id: idOf(pull.owner), type: "User" });
    const repo = repositoryJson(base, repository(pull.owner, pull.repo));
    const side = (branch: string, sha: string) => ({
      label: `${pull.owner}:${branch}`,
      ref: branch,
      sha,
      user: owner,
      repo,
    });
    const links = {
      self,
      html,
      issue: `${api}/issues/${pull.number}`,
      comments: `${api}/issues/${pull.number}/comments`,
      review_comments: `${self}/comments`,
      review_comment: `${api}/pulls/comments{/number}`,
      commits: `${self}/commits`,
      statuses: `${api}/statuses/${pull.headSha}`,
    };
    const id = 5_000_000 + pull.number;
    return {
      url: self,
      id,
      node_id: nodeId("PullRequest", id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: links.issue,
      commits_url: links.commits,
      review_comments_url: links.review_comments,
      review_comment_url: links.review_comment,
      comments_url: links.comments,
      statuses_url: links.statuses,
      number: pull.number,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: accountJson(base, GITHUB_ACTIONS_BOT),
      body: pull.body,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.state === "closed" ? pull.updatedAt : null,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: side(pull.head, pull.headSha),
      base: side(pull.base, pull.baseSha),
      _links: Object.fromEntries(Object.entries(links).map(([name, href]) => [name, { href }])),
      author_association: "NONE",
      auto_merge: null,
      draft: false,
      ...(detailed ? PULL_DETAILS : {}),
    };
  };

  const pullBody = (json: unknown): string | undefined => {
    const body = field(json, "body");
    if (body === undefined || body === null) return undefined;
    if (typeof body !== "string") throw invalid("body");
    if ([...body].length > BODY_LIMIT) {
      throw validationFailed([
        {
          resource: "PullRequest",
          code: "custom",
          field: "body",
          message: `body is too long (maximum is ${BODY_LIMIT} characters)`,
        },
      ]);
    }
    return body;
  };

  function refs(r: Repository, method: string, rest: string, json: unknown): Answer | undefined {
    const one = /^\/git\/refs?\/(.+)$/.exec(rest);
    if (method === "GET" && rest.startsWith("/git/ref/") && one !== null) {
      const sha = r.refs.get(one[1] as string);
      if (sha === undefined) throw new ApiError(404, "Not Found");
      return { status: 200, json: refJson(r, one[1] as string, sha) };
    }
    if (method === "POST" && rest === "/git/refs") {
      const ref = requireString(json, "ref");
      const sha = requireString(json, "sha");
      if (!/^refs\/[^/]+\/.+/.test(ref))
        throw new ApiError(422, "ref must start with 'refs/' and have at least two slashes.");
      if (!r.commits.has(sha)) throw new ApiError(422, "Object does not exist");
      const key = ref.slice("refs/".length);
      if (r.refs.has(key)) throw new ApiError(422, "Reference already exists");
      r.refs.set(key, sha);
      return { status: 201, json: refJson(r, key, sha) };
    }
    if (!rest.startsWith("/git/refs/") || one === null) return undefined;
    const key = one[1] as string;
    if (method === "PATCH") {
      const sha = requireString(json, "sha");
      const current = r.refs.get(key);
      if (current === undefined) throw new ApiError(422, "Reference does not exist");
      if (!r.commits.has(sha)) throw new ApiError(422, "Object does not exist");
      if (field(json, "force") !== true && !reaches(r, sha, current))
        throw new ApiError(422, "Update is not a fast forward");
      r.refs.set(key, sha);
      followBranches(r);
      return { status: 200, json: refJson(r, key, sha) };
    }
    if (method === "DELETE") {
      if (!r.refs.delete(key)) throw new ApiError(422, "Reference does not exist");
      followBranches(r);
      return { status: 204 };
    }
    return undefined;
  }

  const commitAt = (r: Repository, name: string) => {
    const sha = r.refs.get(`heads/${name}`) ?? r.refs.get(`tags/${name}`) ?? (r.commits.has(name) ? name : undefined);
    if (sha === undefined) throw new ApiError(404, `No commit found for the ref ${name}`);
    return r.commits.get(sha) as StoredCommit;
  };

  /** A file or folder at a ref as the contents API lists it: its URLs, and `_links` naming them again. */
  const entryJson = (r: Repository, ref: string, path: string, type: "file" | "dir", sha: string, size: number) => {
    const url = `${options.base()}/repos/${r.owner}/${r.repo}/contents/${path}?ref=${ref}`;
    const gitUrl = `${options.base()}/repos/${r.owner}/${r.repo}/git/${type === "file" ? "blobs" : "trees"}/${sha}`;
    const htmlUrl = `${options.base()}/${r.owner}/${r.repo}/${type === "file" ? "blob" : "tree"}/${ref}/${path}`;
    const downloadUrl = type === "file" ? `${options.base()}/${r.owner}/${r.repo}/raw/${ref}/${path}` : null;
    const name = path.split("/").pop() as string;
    const links = { self: url, git: gitUrl, html: htmlUrl };
    return {
      type,
      size,
      name,
      path,
      sha,
      url,
      git_url: gitUrl,
      html_url: htmlUrl,
      download_url: downloadUrl,
      _links: links,
    };
  };

  const fileJson = (r: Repository, ref: string, path: string, content: string) => ({
    ...entryJson(r, ref, path, "file", blobSha(content), Buffer.byteLength(content)),
    encoding: "base64",
    // GitHub wraps the base64 at 60 characters.
    content: (
      Buffer.from(content)
        .toString("base64")
        .match(/.{1,60}/g) ?? []
    ).join("\n"),
  });

  function contents(r: Repository, method: string, rest: string, url: URL, json: unknown): Answer | undefined {
    const match = /^\/contents\/(.+)$/.exec(rest);
    if (match === null) return undefined;
    const path = match[1] as string;
    if (method === "GET") {
      const ref = url.searchParams.get("ref") ?? r.defaultBranch;
      const commit = commitAt(r, ref);
      const content = commit.files.get(path);
      if (content !== undefined) return { status: 200, json: fileJson(r, ref, path, content) };
      const inside = [...commit.files.keys()].filter((f) => f.startsWith(`${path}/`));
      if (inside.length === 0) throw new ApiError(404, "Not Found");
      const names = [...new Set(inside.map((f) => f.slice(path.length + 1).split("/")[0] as string))].sort();
      return {
        status: 200,
        json: names.map((name) => {
          const full = `${path}/${name}`;
          const file = commit.files.get(full);
          // A folder's sha is made up: the stand-in keeps files, not git trees.
          return file === undefined
            ? entryJson(r, ref, full, "dir", sha1(`tree ${commit.sha} ${full}`), 0)
            : entryJson(r, ref, full, "file", blobSha(file), Buffer.byteLength(file));
        }),
      };
    }
    if (method !== "PUT") return undefined;
    const message = requireString(json, "message");
    const content = Buffer.from(requireString(json, "content"), "base64").toString("utf8");
    const branch = (field(json, "branch") as string | undefined) ?? r.defaultBranch;
    const head = r.refs.get(`heads/${branch}`);
    if (head === undefined) throw new ApiError(404, `Branch ${branch} not found`);
    const parent = r.commits.get(head) as StoredCommit;
    const existing = parent.files.get(path);
    const given = field(json, "sha");
    if (existing !== undefined) {
      if (given === undefined) throw invalid("sha");
      if (given !== blobSha(existing)) throw new ApiError(409, `${path} does not match ${String(given)}`);
    }
    const files = new Map(parent.files);
    files.set(path, content);
    const sha = makeCommit(r, [head], files, message);
    r.refs.set(`heads/${branch}`, sha);
    followBranches(r);
    return {
      status: existing === undefined ? 201 : 200,
      json: {
        content: entryJson(r, branch, path, "file", blobSha(content), Buffer.byteLength(content)),
        commit: { sha, message, parents: [{ sha: head }] },
      },
    };
  }

  function pullRoutes(r: Repository, method: string, rest: string, url: URL, json: unknown): Answer | undefined {
    const ours = () => pulls.filter((p) => p.owner === r.owner && p.repo === r.repo);
    if (rest === "/pulls" && method === "GET") {
      const state = url.searchParams.get("state") ?? "open";
      const head = url.searchParams.get("head");
      const base = url.searchParams.get("base");
      // GitHub ignores a head filter without its `owner:` (it lists every pull request then).
      const [headOwner, headBranch] = head?.includes(":") ? head.split(/:(.*)/s) : [undefined, undefined];
      const listed = ours().filter(
        (p) =>
          (state === "all" || p.state === state) &&
          (headBranch === undefined || (headOwner === r.owner && p.head === headBranch)) &&
          (base === null || p.base === base),
      );
      return paginate(
        url,
        options.base(),
        listed.map((pull) => pullJson(pull, false)),
      );
    }
    if (rest === "/pulls" && method === "POST") {
      if (options.pullRequestsForbidden()) {
        throw new ApiError(403, "GitHub Actions is not permitted to create or approve pull requests.");
      }
      const title = requireString(json, "title");
      const headGiven = requireString(json, "head");
      const base = requireString(json, "base");
      const body = pullBody(json) ?? "";
      const head = headGiven.startsWith(`${r.owner}:`) ? headGiven.slice(r.owner.length + 1) : headGiven;
      const headSha = r.refs.get(`heads/${head}`);
      const baseSha = r.refs.get(`heads/${base}`);
      if (headSha === undefined) throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
      if (baseSha === undefined) throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
      if (ours().some((p) => p.state === "open" && p.head === head && p.base === base)) {
        throw validationFailed([
          { resource: "PullRequest", code: "custom", message: `A pull request already exists for ${r.owner}:${head}.` },
        ]);
      }
      if (reaches(r, baseSha, headSha)) {
        throw validationFailed([
          { resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${head}` },
        ]);
      }
      let number = 1;
      while (taken.has(number)) number++;
      taken.add(number);
      const now = new Date().toISOString();
      const pull: StoredPull = {
        number,
        owner: r.owner,
        repo: r.repo,
        title,
        body,
        head,
        base,
        headSha,
        baseSha,
        state: "open",
        createdAt: now,
        updatedAt: now,
      };
      pulls.push(pull);
      return { status: 201, json: pullJson(pull, true) };
    }
    const one = /^\/pulls\/(\d+)$/.exec(rest);
    const pull = one === null ? undefined : ours().find((p) => p.number === Number(one[1]));
    if (pull === undefined) return undefined;
    if (method === "GET") return { status: 200, json: pullJson(pull, true) };
    if (method !== "PATCH") return undefined;
    const title = field(json, "title");
    const body = pullBody(json);
    const base = field(json, "base");
    if (typeof base === "string" && !r.refs.has(`heads/${base}`)) {
      throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
    }
    if (typeof title === "string") pull.title = title;
    if (body !== undefined) pull.body = body;
    if (typeof base === "string") {
      pull.base = base;
      pull.baseSha = r.refs.get(`heads/${base}`) as string;
    }
    const state = field(json, "state");
    if (state === "open" || state === "closed") pull.state = state;
    pull.updatedAt = new Date().toISOString();
    return { status: 200, json: pullJson(pull, true) };
  }

  return {
    repository,
    pulls,
    pullJson: (pull) => pullJson(pull, true),
    route(method, owner, repo, rest, url, json) {
      const r = repository(owner, repo);
      return (
        refs(r, method, rest, json) ?? contents(r, method, rest, url, json) ?? pullRoutes(r, method, rest, url, json)
      );
    },
  };
}

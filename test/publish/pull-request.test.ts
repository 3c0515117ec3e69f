/** The update-lock pull request through @actions/github's Octokit, against the GitHub API stand-in. */
import { getOctokit } from "@actions/github";
import { afterEach, describe, expect, it } from "vitest";
import {
  type LockPullRequest,
  PullRequestError,
  type PullRequestOptions,
  upsertLockPullRequest,
} from "../../src/publish/pull-request.js";
import { type GithubApi, type GithubApiOptions, startGithubApi } from "../standin/github-api.js";

const TOKEN = "ghs_standin";
const MAIN = "a".repeat(40);
const BRANCH = "ollama-build/update-lock";
const LOCK = "models/ollama.lock";

const request = (content: string, overrides: Partial<LockPullRequest> = {}): LockPullRequest => ({
  owner: "acme",
  repo: "voice",
  base: "main",
  startSha: MAIN,
  branch: BRANCH,
  file: { path: LOCK, content },
  commitMessage: "ollama.lock: qwen3:4b moved upstream",
  title: "ollama.lock: qwen3:4b moved upstream",
  body: `body ${content}`,
  ...overrides,
});

const started: GithubApi[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((api) => api.stop()));
});

async function setup(options: GithubApiOptions = {}) {
  const api = await startGithubApi({
    token: TOKEN,
    branches: { "acme/voice": { main: { sha: MAIN, files: { [LOCK]: "old\n", "README.md": "readme\n" } } } },
    ...options,
  });
  started.push(api);
  const octokit = getOctokit(TOKEN, { baseUrl: api.url });
  const log: string[] = [];
  const waits: number[] = [];
  const settings: PullRequestOptions = {
    log: (line) => log.push(line),
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
  const upsert = (content: string, extra: PullRequestOptions & Partial<LockPullRequest> = {}) => {
    const { scratchBranch, ...overrides } = extra;
    return upsertLockPullRequest(octokit, request(content, overrides), {
      ...settings,
      ...(scratchBranch === undefined ? {} : { scratchBranch }),
    });
  };
  return { api, octokit, upsert, log, waits };
}

const writes = (api: GithubApi) =>
  api.requests.filter((r) => r.method !== "GET").map((r) => `${r.status} ${r.method} ${decodeURIComponent(r.path)}`);
const branchHead = (api: GithubApi, branch = BRANCH) => api.repository("acme/voice").refs.get(`heads/${branch}`);
const parentOf = (api: GithubApi, sha: string | undefined) =>
  api.repository("acme/voice").commits.get(sha ?? "")?.parents;

describe("upsertLockPullRequest", () => {
  it("commits the lock on a scratch branch, creates the update branch at that commit, and opens the pull request", async () => {
    const { api, upsert } = await setup();
    const result = await upsert("new\n", { scratchBranch: `${BRANCH}-s1` });
    expect(result).toEqual({
      action: "created",
      number: 1,
      url: `${api.url}/acme/voice/pull/1`,
      commit: branchHead(api),
    });
    expect(writes(api)).toEqual([
      `201 POST /repos/acme/voice/git/refs`,
      `200 PUT /repos/acme/voice/contents/${LOCK}`,
      `201 POST /repos/acme/voice/git/refs`,
      `204 DELETE /repos/acme/voice/git/refs/heads/${BRANCH}-s1`,
      `201 POST /repos/acme/voice/pulls`,
    ]);
    // The scratch branch started at the commit the lock was re-resolved at, and the file got its blob sha there.
    expect(api.requests[0]?.body).toEqual({ ref: `refs/heads/${BRANCH}-s1`, sha: MAIN });
    expect(api.requests.find((r) => r.method === "PUT")?.body).toMatchObject({ branch: `${BRANCH}-s1` });
    expect(parentOf(api, branchHead(api))).toEqual([MAIN]);
    expect(api.fileAt("acme/voice", BRANCH, LOCK)).toBe("new\n");
    expect(api.fileAt("acme/voice", BRANCH, "README.md")).toBe("readme\n");
    expect([...api.repository("acme/voice").refs.keys()].sort()).toEqual(["heads/main", `heads/${BRANCH}`]);
    expect(api.pullRequests).toEqual([
      expect.objectContaining({ number: 1, head: BRANCH, base: "main", state: "open", body: "body new\n" }),
    ]);
  });

  it("a second run force-moves the branch to a new commit on the start commit and updates the same pull request", async () => {
    const { api, upsert } = await setup();
    const first = await upsert("new\n");
    const second = await upsert("newer\n", { title: "ollama.lock: 2 base models moved upstream" });
    expect(second).toMatchObject({ action: "updated", number: first.number });
    expect(second.commit).not.toBe(first.commit);
    // One commit on the start commit, not two: what the pull request shows is exactly this run's lock.
    expect(parentOf(api, branchHead(api))).toEqual([MAIN]);
    expect(api.fileAt("acme/voice", BRANCH, LOCK)).toBe("newer\n");
    // GitHub closes a pull request whose branch is reset onto its base: it stayed open, so that never happened.
    expect(api.pullRequests).toEqual([
      expect.objectContaining({
        number: first.number,
        state: "open",
        title: "ollama.lock: 2 base models moved upstream",
        body: "body newer\n",
      }),
    ]);
    const moves = api.requests.filter((r) => r.method === "PATCH" && r.path.includes("/git/refs/"));
    expect(moves.map((r) => r.body)).toEqual([{ sha: second.commit, force: true }]);
    expect([...api.repository("acme/voice").refs.keys()].sort()).toEqual(["heads/main", `heads/${BRANCH}`]);
  });

  it("creates the file when the start commit has none", async () => {
    const { api, upsert } = await setup({
      branches: { "acme/voice": { main: { sha: MAIN, files: { "README.md": "readme\n" } } } },
    });
    await upsert("new\n");
    const put = api.requests.find((r) => r.method === "PUT");
    expect(put).toMatchObject({ status: 201 });
    expect(put?.body).not.toHaveProperty("sha");
    expect(api.fileAt("acme/voice", BRANCH, LOCK)).toBe("new\n");
  });

  it("leaves an open pull request from another branch alone (the head filter names the owner)", async () => {
    const { api, octokit, upsert } = await setup();
    await octokit.rest.git.createRef({ owner: "acme", repo: "voice", ref: "refs/heads/feature", sha: MAIN });
    await octokit.rest.repos.createOrUpdateFileContents({
      owner: "acme",
      repo: "voice",
      path: "x",
      message: "x",
      content: "eA==",
      branch: "feature",
    });
    await octokit.rest.pulls.create({ owner: "acme", repo: "voice", head: "feature", base: "main", title: "other" });
    const result = await upsert("new\n");
    expect(result).toMatchObject({ action: "created", number: 2 });
    expect(api.pullRequests.map((p) => [p.number, p.head, p.title])).toEqual([
      [1, "feature", "other"],
      [2, BRANCH, "ollama.lock: qwen3:4b moved upstream"],
    ]);
    expect(api.requests.find((r) => r.path.includes("/pulls?"))?.path).toContain(
      `head=${encodeURIComponent(`acme:${BRANCH}`)}`,
    );
  });

  it("opens a new pull request when the last one was closed", async () => {
    const { api, octokit, upsert } = await setup();
    const first = await upsert("new\n");
    await octokit.rest.pulls.update({ owner: "acme", repo: "voice", pull_number: first.number, state: "closed" });
    const second = await upsert("newer\n");
    expect(second).toMatchObject({ action: "created" });
    expect(api.pullRequests.map((p) => p.state)).toEqual(["closed", "open"]);
  });

  it("two runs at once converge on one pull request", async () => {
    const { api, upsert } = await setup({ faults: { delayMs: 20 } });
    const results = await Promise.all([
      upsert("new\n", { scratchBranch: `${BRANCH}-a` }),
      upsert("new\n", { scratchBranch: `${BRANCH}-b` }),
    ]);
    expect(results.map((r) => r.action).sort()).toEqual(["created", "updated"]);
    expect(api.pullRequests).toEqual([expect.objectContaining({ number: 1, state: "open" })]);
    expect([...api.repository("acme/voice").refs.keys()].sort()).toEqual(["heads/main", `heads/${BRANCH}`]);
  });

  it("another run opening the pull request between this run's look and its create: this run updates it", async () => {
    const { api, octokit, upsert, log } = await setup();
    // The other run: it opens the pull request from the branch just before this run's POST /pulls arrives.
    octokit.hook.before("request", async (options) => {
      if (options.method !== "POST" || !String(options.url).endsWith("/pulls") || api.pullRequests.length > 0) return;
      const other = getOctokit(TOKEN, { baseUrl: api.url });
      await other.rest.pulls.create({ owner: "acme", repo: "voice", head: BRANCH, base: "main", title: "other run" });
    });
    const result = await upsert("new\n");
    expect(result).toMatchObject({ action: "updated", number: 1 });
    expect(api.requests.filter((r) => r.method === "POST" && r.path.endsWith("/pulls")).map((r) => r.status)).toEqual([
      201, 422,
    ]);
    expect(log).toContain(
      "another run opened the pull request from ollama-build/update-lock at the same time: updating it",
    );
    expect(api.pullRequests).toEqual([
      expect.objectContaining({ number: 1, state: "open", title: "ollama.lock: qwen3:4b moved upstream" }),
    ]);
  });

  it("a repository that does not let Actions open pull requests: the error names the setting; no scratch branch is left", async () => {
    const { api, upsert } = await setup({ faults: { pullRequestsForbidden: true } });
    const error = await upsert("new\n").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullRequestError);
    expect((error as PullRequestError).status).toBe(403);
    expect((error as Error).message).toMatch(
      /^cannot open a pull request from ollama-build\/update-lock into main: GitHub answered 403 \(GitHub Actions is not permitted to create or approve pull requests\..*\); the GITHUB_TOKEN may open pull requests only where Settings → Actions → General allows/,
    );
    expect([...api.repository("acme/voice").refs.keys()].sort()).toEqual(["heads/main", `heads/${BRANCH}`]);
  });

  it("a read-only token: the error says which permissions the workflow needs, and nothing is written", async () => {
    const { api, upsert } = await setup({ faults: { readOnly: true } });
    await expect(upsert("new\n")).rejects.toThrow(
      /cannot create the branch ollama-build\/update-lock-[0-9a-f]{8} at aaaaaaa: GitHub answered 403 .*`permissions: contents: write` and `pull-requests: write`/,
    );
    expect(api.requests.map((r) => r.status)).toEqual([403]);
    expect(api.pullRequests).toEqual([]);
  });

  it("retries server errors, then succeeds", async () => {
    const { api, upsert, waits } = await setup({ faults: { serverErrors: 2 } });
    await expect(upsert("new\n")).resolves.toMatchObject({ action: "created" });
    expect(waits).toEqual([1_000, 3_000]);
    expect(api.requests.slice(0, 3).map((r) => r.status)).toEqual([502, 502, 201]);
  });

  it("gives up after three attempts at a server that keeps failing", async () => {
    const { api, upsert } = await setup({ faults: { serverErrors: Number.POSITIVE_INFINITY } });
    await expect(upsert("new\n")).rejects.toThrow(/^cannot create the branch .*: GitHub answered 502/);
    expect(api.requests).toHaveLength(3);
  });
});
